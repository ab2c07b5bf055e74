import { ApiProperty } from '@nestjs/swagger';
import { FEEDBACK_OUTCOMES } from '../../../workflows/common/deconfliction';
import { PARTNER_ORG } from '../../../workflows/common/domain';
import { RELIABILITY, Reliability, TLP_MARKINGS, Tlp } from '../../../workflows/dissemination/dissemination.messages';
import { GRANT_OBJECT_TYPES, GRANT_STATUSES, GrantObjectType, GrantStatus } from '../../../workflows/partner-grant/partner-grant.messages';
import { TEXT } from '../common/limits';
import { PageQuery } from '../common/paging';
import { Duration, Instant, Integer, OneOf, Text, TextList } from '../common/validation';

export const PARTNER_GRANT_ID = /^PG-[0-9A-F]{10}$/;
/** An operation or an intelligence item id, as the two features write them. */
const GRANTABLE_ID = /^(OP|IN)-[0-9A-F]{10}$/;
/** Partner individuals named on a grant (token subs): a handful, not a mailing list. */
export const MAX_NAMED_SUBS = 20;
/** The longest a grant may run: partners get time-boxed access, renewed on purpose. */
export const MAX_GRANT_DAYS = 365;

export class CreatePartnerGrantDto {
  @Text(100, { minLength: 2, pattern: PARTNER_ORG, patternHint: 'be an organisation id in lower case like "acme-sec"', example: 'acme-sec', description: 'the partner organisation (token claim `org`)' })
  org!: string;

  @OneOf(GRANT_OBJECT_TYPES)
  objectType!: GrantObjectType;

  @Text(13, { minLength: 13, pattern: GRANTABLE_ID, patternHint: 'be an operation (OP-…) or intelligence item (IN-…) id', example: 'OP-1A2B3C4D5E' })
  objectId!: string;

  @OneOf(TLP_MARKINGS, { description: 'the most restricted marking the partner may read through this grant: never above the item\'s marking; TLP:RED only with namedSubs; TLP:AMBER+STRICT items only from their originator' })
  tlpCeiling!: Tlp;

  @TextList(MAX_NAMED_SUBS, { maxLength: 200 }, { optional: true, unique: true, example: ['analyst@acme-sec.example'], description: 'partner individuals (token subs) the grant is limited to; required for TLP:RED' })
  namedSubs?: string[];

  @Text(TEXT.note, { example: 'sinkhole data for the takedown of the botnet C2' })
  purpose!: string;

  @Instant({ description: `when access ends by itself (in the future, at most ${MAX_GRANT_DAYS} days ahead)` })
  endsAt!: string;

  @Duration({ optional: true, example: '1d', description: 'how long before endsAt the granter is reminded (default 1d; half the grant when it is shorter)' })
  remindBefore?: string;
}

export class ListPartnerGrantsQuery extends PageQuery {
  @OneOf(GRANT_STATUSES, { optional: true })
  status?: GrantStatus;

  @OneOf(GRANT_OBJECT_TYPES, { optional: true })
  objectType?: GrantObjectType;

  @Text(13, { optional: true, minLength: 13, pattern: GRANTABLE_ID, patternHint: 'be an operation (OP-…) or intelligence item (IN-…) id' })
  objectId?: string;
}

export class PartnerGrantIdParam {
  @Text(13, { minLength: 13, pattern: PARTNER_GRANT_ID, patternHint: 'look like PG-1A2B3C4D5E', example: 'PG-1A2B3C4D5E' })
  id!: string;
}

export class RevokeGrantDto {
  @Text(TEXT.note)
  reason!: string;
}

export class PartnerFeedbackDto {
  @OneOf(FEEDBACK_OUTCOMES)
  outcome!: (typeof FEEDBACK_OUTCOMES)[number];

  @Text(TEXT.note)
  note!: string;
}

// Responses.

export class GrantContributionDto {
  @ApiProperty({ type: 'integer' }) seq!: number;
  @ApiProperty({ enum: ['results', 'feedback'] }) kind!: string;
  @ApiProperty() by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ required: false, type: 'object', additionalProperties: { type: 'integer' }, description: 'counts by kind' } as never) counts?: Record<string, number>;
  @ApiProperty({ required: false, type: String, nullable: true }) notes?: string | null;
  @ApiProperty({ required: false, type: 'integer', description: 'indicators contributed (they go to the deconfliction index)' }) indicators?: number;
  @ApiProperty({ required: false, enum: FEEDBACK_OUTCOMES }) outcome?: string;
  @ApiProperty({ required: false }) note?: string;
}

export class PartnerGrantViewDto {
  @ApiProperty({ example: 'PG-1A2B3C4D5E' }) id!: string;
  @ApiProperty({ example: 'acme-sec' }) org!: string;
  @ApiProperty({ enum: GRANT_OBJECT_TYPES }) objectType!: GrantObjectType;
  @ApiProperty() objectId!: string;
  @ApiProperty({ description: 'the operation\'s name or the item\'s id' }) objectLabel!: string;
  @ApiProperty({ enum: TLP_MARKINGS }) tlpCeiling!: Tlp;
  @ApiProperty({ type: [String] }) namedSubs!: string[];
  @ApiProperty() purpose!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty({ format: 'date-time' }) remindAt!: string;
  @ApiProperty() grantedBy!: string;
  @ApiProperty({ enum: GRANT_STATUSES, description: '`expired` as soon as endsAt has passed, even before the workflow has recorded it' }) status!: GrantStatus;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) remindedAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokedBy!: string | null;
  @ApiProperty({ type: String, nullable: true }) revokeReason!: string | null;
  @ApiProperty({ type: [GrantContributionDto] }) contributions!: GrantContributionDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class PartnerGrantListDto {
  @ApiProperty({ type: [PartnerGrantViewDto] }) items!: PartnerGrantViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class PartnerAccessRowDto {
  @ApiProperty() sub!: string;
  @ApiProperty({ type: String, nullable: true }) org!: string | null;
  @ApiProperty({ example: 'intel.read' }) action!: string;
  @ApiProperty({ type: String, nullable: true, description: 'api, stix, list; or the write' }) via!: string | null;
  @ApiProperty({ type: String, nullable: true }) grantId!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class PartnerAccessGrantDto {
  @ApiProperty() id!: string;
  @ApiProperty() org!: string;
  @ApiProperty({ enum: TLP_MARKINGS }) tlpCeiling!: Tlp;
  @ApiProperty({ enum: GRANT_STATUSES }) status!: GrantStatus;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
  @ApiProperty() grantedBy!: string;
}

export class PartnerAccessDto {
  @ApiProperty() objectId!: string;
  @ApiProperty({ type: [PartnerAccessGrantDto] }) grants!: PartnerAccessGrantDto[];
  @ApiProperty({ type: [PartnerAccessRowDto], description: 'every read and write by a partner, newest first (at most 500)' }) accesses!: PartnerAccessRowDto[];
}

export class PartnerGrantRefDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: TLP_MARKINGS }) tlpCeiling!: Tlp;
  @ApiProperty() purpose!: string;
  @ApiProperty({ format: 'date-time' }) endsAt!: string;
}

export class PartnerOperationViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() objective!: string;
  @ApiProperty({ type: [String] }) categories!: string[];
  @ApiProperty() phase!: string;
  @ApiProperty() exercise!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) instants!: object;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'result sums by kind (all countries)' }) results!: Record<string, number>;
  @ApiProperty({ type: () => PartnerGrantRefDto }) grant!: PartnerGrantRefDto;
}

export class GradeIntelDto {
  @OneOf(RELIABILITY, { description: 'Admiralty source reliability' })
  reliability!: Reliability;

  @Integer(1, 6, { description: 'Admiralty information credibility' })
  credibility!: number;

  @OneOf(TLP_MARKINGS, { optional: true, description: 'the analyst\'s marking (default: the partner\'s)' })
  tlp?: Tlp;
}
