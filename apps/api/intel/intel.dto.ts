import { ApiExtraModels, ApiProperty, getSchemaPath } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { FEEDBACK_OUTCOMES } from '../../../workflows/common/deconfliction';
import { CATEGORIES, PRIORITIES, REGIONS, ROLES } from '../../../workflows/common/domain';
import {
  ATTEMPT_KINDS,
  DISSEMINATION_STATUSES,
  INTEL_STATUSES,
  RECIPIENT_STATUSES,
  RELIABILITY,
  SOURCE_KINDS,
  TLP_MARKINGS,
} from '../../../workflows/dissemination/dissemination.messages';
import { DeconflictionResultDto, NormalizedIndicatorDto } from '../deconfliction/deconfliction.dto';
import { PartnerGrantRefDto } from '../partner-grants/partner-grants.dto';
import { INDICATOR_SCHEMA, IndicatorDto } from '../common/indicators';
import { PageQuery } from '../common/paging';
import { Duration, Integer, IsIsoCountry, ISO_COUNTRY, Nested, OneOf, Text, TextList } from '../common/validation';

// Group names are matched in capitals, as stored.
const upper = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.toUpperCase() : v)) : value);
const INTEL_ID = /^IN-[0-9A-F]{10}$/;
const DISSEMINATION_ID = /^DS-[0-9A-F]{10}$/;

export class IntelSourceDto {
  @OneOf(SOURCE_KINDS)
  kind!: (typeof SOURCE_KINDS)[number];

  @Text(200, { optional: true, example: 'CERT-PH' })
  name?: string;

  @OneOf(RELIABILITY)
  reliability!: (typeof RELIABILITY)[number];
}

export class SubmitIntelDto {
  @Text(300, { minLength: 3, example: 'Bulletproof hoster serving ransomware C2' })
  title!: string;

  @Text(20_000)
  summary!: string;

  @TextList(CATEGORIES.length, { enum: CATEGORIES }, { minItems: 1, unique: true })
  categories!: (typeof CATEGORIES)[number][];

  @Nested(() => IndicatorDto, { maxItems: 1000, schema: { type: 'array', items: INDICATOR_SCHEMA, maxItems: 1000 } })
  indicators!: IndicatorDto[];

  @OneOf(PRIORITIES)
  priority!: (typeof PRIORITIES)[number];

  @OneOf(TLP_MARKINGS)
  tlp!: (typeof TLP_MARKINGS)[number];

  @Nested(() => IntelSourceDto)
  source!: IntelSourceDto;

  @Integer(1, 6, { description: 'Admiralty information credibility' })
  credibility!: number;
}

export class ListIntelQuery extends PageQuery {
  @OneOf(TLP_MARKINGS, { optional: true })
  tlp?: string;

  @OneOf(PRIORITIES, { optional: true })
  priority?: string;

  @OneOf(INTEL_STATUSES, { optional: true })
  status?: string;

  @OneOf(CATEGORIES, { optional: true })
  category?: string;

  @IsIsoCountry({ optional: true })
  country?: string;
}

export class IntelIdParam {
  @Text(13, { minLength: 13, pattern: INTEL_ID, patternHint: 'look like IN-1A2B3C4D5E', example: 'IN-1A2B3C4D5E' })
  id!: string;
}

export class DisseminationIdParam {
  @Text(13, { minLength: 13, pattern: DISSEMINATION_ID, patternHint: 'look like DS-1A2B3C4D5E', example: 'DS-1A2B3C4D5E' })
  id!: string;
}

export class RecipientParam extends DisseminationIdParam {
  @IsIsoCountry()
  iso!: string;
}

export class DisseminateDto {
  @TextList(300, { maxLength: 2, pattern: ISO_COUNTRY, patternHint: 'be an ISO 3166-1 alpha-2 code in capitals like "PH"' }, { optional: true, example: ['PH', 'TH'] })
  countries?: string[];

  @TextList(50, { maxLength: 50 }, { optional: true, example: ['ASEAN'] }) @Transform(upper)
  groups?: string[];

  @TextList(REGIONS.length, { enum: REGIONS }, { optional: true })
  regions?: string[];

  @TextList(100, { maxLength: 100 }, { optional: true, example: ['PH-primary'], description: 'contact ids; required for TLP:RED, which goes to named contacts only' })
  contacts?: string[];

  @Duration({ optional: true, example: '3d', description: 'feedback reminder after delivery (default: 3 × the priority\'s acknowledge SLA)' })
  feedbackReminder?: string;

  @Duration({ optional: true, example: '2h', description: 'originator approval deadline for a widened RED / AMBER+STRICT audience (default: the acknowledge SLA)' })
  approvalWithin?: string;
}


export class FeedbackDto {
  @OneOf(FEEDBACK_OUTCOMES)
  outcome!: (typeof FEEDBACK_OUTCOMES)[number];

  @Text(5000)
  note!: string;
}

export class RecallDto {
  @Text(2000)
  reason!: string;
}

export class ApprovalDto {
  @OneOf(['approve', 'refuse'])
  decision!: 'approve' | 'refuse';

  @Text(2000, { optional: true, minLength: 0 })
  note?: string;
}

export class ListDisseminationsQuery extends PageQuery {
  @OneOf(DISSEMINATION_STATUSES, { optional: true })
  status?: string;

  @Text(13, { optional: true, minLength: 13, pattern: INTEL_ID, patternHint: 'look like IN-1A2B3C4D5E', example: 'IN-1A2B3C4D5E' })
  intelId?: string;
}

// Responses (OpenAPI shapes of what the services answer).

const nullableString = { type: String, nullable: true } as const;
const nullableInstant = { type: String, format: 'date-time', nullable: true } as const;
const GRADING = { pattern: '^[A-F][1-6]$', example: 'B2', description: 'Admiralty reliability and credibility' } as const;

export class IntelSubmittedDto {
  @ApiProperty({ example: 'IN-1A2B3C4D5E' }) id!: string;
  @ApiProperty({ enum: INTEL_STATUSES, description: '`awaiting_grading` for a partner\'s item' }) status!: string;
  @ApiProperty({ ...nullableString, description: 'the earlier item with the same indicators' }) duplicateOf!: string | null;
  @ApiProperty({ type: DeconflictionResultDto }) deconfliction!: DeconflictionResultDto;
}

export class IntelSourceViewDto {
  @ApiProperty({ enum: SOURCE_KINDS }) kind!: string;
  @ApiProperty(nullableString) name!: string | null;
  @ApiProperty({ enum: RELIABILITY }) reliability!: string;
}

export class IntelOriginatorDto {
  @ApiProperty(nullableString) country!: string | null;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ required: false, description: 'staff and the originator\'s own country only' }) sub?: string;
}

export class IntelDisseminationRefDto {
  @ApiProperty({ example: 'DS-1A2B3C4D5E' }) id!: string;
  @ApiProperty({ enum: DISSEMINATION_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** An item as staff and members see it in a list. */
export class IntelSummaryDto {
  @ApiProperty({ example: 'IN-1A2B3C4D5E' }) id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: TLP_MARKINGS }) tlp!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
  @ApiProperty({ enum: CATEGORIES, isArray: true }) categories!: string[];
  @ApiProperty({ enum: INTEL_STATUSES }) status!: string;
  @ApiProperty(nullableString) duplicateOf!: string | null;
  @ApiProperty({ type: IntelSourceViewDto }) source!: IntelSourceViewDto;
  @ApiProperty({ type: 'integer', minimum: 1, maximum: 6 }) credibility!: number;
  @ApiProperty(GRADING) grading!: string;
  @ApiProperty({ type: IntelOriginatorDto }) originator!: IntelOriginatorDto;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** The item with its content. */
export class IntelItemDto extends IntelSummaryDto {
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [NormalizedIndicatorDto] }) indicators!: NormalizedIndicatorDto[];
  @ApiProperty({ type: DeconflictionResultDto, required: false, description: 'staff and the originator only' }) deconfliction?: DeconflictionResultDto;
  @ApiProperty({ type: [IntelDisseminationRefDto], required: false, description: 'staff only' }) disseminations?: IntelDisseminationRefDto[];
}

/** An item as a partner sees it in a list: metadata always, the title within its grant's ceiling. */
export class PartnerIntelSummaryDto {
  @ApiProperty({ example: 'IN-1A2B3C4D5E' }) id!: string;
  @ApiProperty({ enum: TLP_MARKINGS }) tlp!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
  @ApiProperty({ enum: CATEGORIES, isArray: true }) categories!: string[];
  @ApiProperty({ enum: INTEL_STATUSES }) status!: string;
  @ApiProperty(GRADING) grading!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'true when the marking is above the grant\'s ceiling: no title, summary or indicators' }) contentWithheld!: boolean;
  @ApiProperty({ type: PartnerGrantRefDto, required: false, description: 'the grant it is read through (absent for the partner\'s own submission)' }) grant?: PartnerGrantRefDto;
  @ApiProperty({ enum: [true], required: false, description: 'the partner\'s own submission' }) submittedByYou?: boolean;
  @ApiProperty({ required: false }) title?: string;
}

export class PartnerIntelItemDto extends PartnerIntelSummaryDto {
  @ApiProperty({ required: false }) summary?: string;
  @ApiProperty({ type: [NormalizedIndicatorDto], required: false }) indicators?: NormalizedIndicatorDto[];
  @ApiProperty({ type: DeconflictionResultDto, required: false, description: 'the partner\'s own submission only' }) deconfliction?: DeconflictionResultDto;
}

/** Staff and members get IntelSummaryDto rows, partners PartnerIntelSummaryDto rows. */
@ApiExtraModels(IntelSummaryDto, PartnerIntelSummaryDto)
export class IntelListDto {
  @ApiProperty({ type: 'array', items: { oneOf: [{ $ref: getSchemaPath(IntelSummaryDto) }, { $ref: getSchemaPath(PartnerIntelSummaryDto) }] } })
  items!: Array<IntelSummaryDto | PartnerIntelSummaryDto>;
  @ApiProperty(nullableString) nextCursor!: string | null;
}

/** The detail route's answer: IntelItemDto, or PartnerIntelItemDto for a partner. */
export const INTEL_DETAIL_SCHEMA = { oneOf: [{ $ref: getSchemaPath(IntelItemDto) }, { $ref: getSchemaPath(PartnerIntelItemDto) }] };

export class DisseminationCreatedDto {
  @ApiProperty({ example: 'DS-1A2B3C4D5E' }) id!: string;
  @ApiProperty({ example: 'IN-1A2B3C4D5E' }) intelId!: string;
  @ApiProperty({ enum: ['active', 'pending_approval'] }) status!: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'how many countries receive it' }) recipients!: number;
  @ApiProperty({ description: 'a widened RED / AMBER+STRICT audience waits for the originator' }) approvalRequired!: boolean;
}

export class DisseminationTotalsDto {
  @ApiProperty({ type: 'integer', minimum: 0 }) recipients!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) delivered!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) acknowledged!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) feedback!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) overdue!: number;
}

export class RecipientFeedbackViewDto {
  @ApiProperty({ enum: FEEDBACK_OUTCOMES }) outcome!: string;
  @ApiProperty() note!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class DeliveryAttemptDto {
  @ApiProperty({ enum: ATTEMPT_KINDS }) kind!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) level!: number;
  @ApiProperty() levelName!: string;
  @ApiProperty() contact!: string;
  @ApiProperty({ required: false }) contactId?: string;
  @ApiProperty({ example: 'email' }) channel!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty({ description: 'queued in the notification outbox (see `queued`), or false when refused at once' }) ok!: boolean;
  @ApiProperty({ required: false }) queued?: boolean;
  @ApiProperty({ required: false }) error?: string;
}

export class DisseminationRecipientDto {
  @ApiProperty({ example: 'PH' }) iso!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty({ enum: RECIPIENT_STATUSES }) status!: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'the rung of the contact chain reached' }) level!: number;
  @ApiProperty(nullableString) levelName!: string | null;
  @ApiProperty(nullableInstant) deliveredAt!: string | null;
  @ApiProperty(nullableInstant) acknowledgedAt!: string | null;
  @ApiProperty(nullableString) acknowledgedBy!: string | null;
  @ApiProperty({ type: RecipientFeedbackViewDto, nullable: true }) feedback!: RecipientFeedbackViewDto | null;
  @ApiProperty({ type: [DeliveryAttemptDto], required: false, description: 'in the detail only' }) attempts?: DeliveryAttemptDto[];
}

/** What every view of a dissemination starts with. */
class DisseminationCoreDto {
  @ApiProperty({ example: 'DS-1A2B3C4D5E' }) id!: string;
  @ApiProperty({ example: 'IN-1A2B3C4D5E' }) intelId!: string;
  @ApiProperty({ enum: TLP_MARKINGS }) tlp!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
  @ApiProperty({ enum: DISSEMINATION_STATUSES }) status!: string;
}

export class DisseminationSummaryDto extends DisseminationCoreDto {
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: DisseminationRecipientDto, nullable: true, required: false, description: 'members: their own country\'s row' }) recipient?: DisseminationRecipientDto | null;
  @ApiProperty({ type: 'integer', minimum: 0, required: false, description: 'staff: how many countries' }) recipients?: number;
  @ApiProperty({ type: DisseminationTotalsDto, required: false, description: 'staff only' }) totals?: DisseminationTotalsDto;
}

export class DisseminationListDto {
  @ApiProperty({ type: [DisseminationSummaryDto] }) items!: DisseminationSummaryDto[];
  @ApiProperty(nullableString) nextCursor!: string | null;
}

export class DisseminationApprovalDto {
  @ApiProperty() required!: boolean;
  @ApiProperty() originatorSub!: string;
  @ApiProperty({ enum: ['pending', 'approved', 'refused', 'expired', null] as never, nullable: true }) decision!: string | null;
  @ApiProperty(nullableString) by!: string | null;
  @ApiProperty(nullableInstant) at!: string | null;
  @ApiProperty(nullableInstant) deadline!: string | null;
  @ApiProperty(nullableString) note!: string | null;
}

export class DisseminationRecallViewDto {
  @ApiProperty(nullableString) reason!: string | null;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

export class DisseminationDetailDto extends DisseminationCoreDto {
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: DisseminationApprovalDto, nullable: true, required: false, description: 'staff only' }) approval?: DisseminationApprovalDto | null;
  @ApiProperty({ type: DisseminationRecallViewDto, nullable: true }) recall!: DisseminationRecallViewDto | null;
  @ApiProperty({ type: [DisseminationRecipientDto], description: 'a member: its own country\'s row only' }) recipients!: DisseminationRecipientDto[];
  @ApiProperty({ required: false, description: 'staff only' }) analyst?: string;
  @ApiProperty({ type: DisseminationTotalsDto, required: false, description: 'staff only' }) totals?: DisseminationTotalsDto;
}

export class RecipientFeedbackDto {
  @ApiProperty({ enum: FEEDBACK_OUTCOMES }) outcome!: string;
  @ApiProperty() note!: string;
}

export class RecipientAnswerDto {
  @ApiProperty({ example: 'DS-1A2B3C4D5E' }) id!: string;
  @ApiProperty({ example: 'PH' }) iso!: string;
  @ApiProperty({ enum: RECIPIENT_STATUSES }) status!: string;
  @ApiProperty(nullableInstant) acknowledgedAt!: string | null;
  @ApiProperty({ type: RecipientFeedbackDto, nullable: true }) feedback!: RecipientFeedbackDto | null;
}

export class RecipientProgressDto {
  @ApiProperty({ example: 'PH' }) iso!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty({ enum: RECIPIENT_STATUSES }) status!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) level!: number;
  @ApiProperty(nullableString) levelName!: string | null;
  @ApiProperty(nullableInstant) deliveredAt!: string | null;
  @ApiProperty(nullableInstant) acknowledgedAt!: string | null;
  @ApiProperty({ type: RecipientFeedbackDto, nullable: true }) feedback!: RecipientFeedbackDto | null;
  @ApiProperty({ description: 'the recipient\'s workflow has finished' }) ended!: boolean;
}

export class DisseminationRecallDto {
  @ApiProperty() reason!: string;
  @ApiProperty() by!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
}

/** The dissemination as its workflow holds it, after a recall or the originator's decision. */
export class DisseminationStateDto extends DisseminationCoreDto {
  @ApiProperty() analyst!: string;
  @ApiProperty({ type: [String], description: 'TLP:RED: the named contacts\' addresses' }) namedAddresses!: string[];
  @ApiProperty({ type: [RecipientProgressDto] }) recipients!: RecipientProgressDto[];
  @ApiProperty({ type: DisseminationTotalsDto }) totals!: DisseminationTotalsDto;
  @ApiProperty({ type: DisseminationApprovalDto }) approval!: DisseminationApprovalDto;
  @ApiProperty({ type: DisseminationRecallDto, nullable: true }) recall!: DisseminationRecallDto | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'continue-as-new runs so far' }) runs!: number;
}
