import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES, Category, INDICATOR_TYPES, PRIORITIES, Priority } from '../../../workflows/common/domain';
import { ACTION_KINDS, ActionKind, Mode, MODES, SUPPORT_REQUEST_STATUSES, SupportRequestStatus } from '../../../workflows/support-request/support-request.messages';
import { INDICATOR_SCHEMA, IndicatorDto } from '../common/indicators';
import { ITEMS, TEXT } from '../common/limits';
import { PageQuery } from '../common/paging';
import { OFFICER_EMAIL } from '../staff/staff.dto';
import { Instant, IsIsoCountry, Nested, OneOf, Text, TextList } from '../common/validation';

export const SUPPORT_REQUEST_ID = /^SR-[0-9A-F]{12}$/;
const ID_HINT = 'look like SR-1A2B3C4D5E6F';

class OnSiteDto {
  @Instant({ optional: true })
  plannedStart?: string;

  @Instant({ optional: true })
  plannedEnd?: string;

  @TextList(ITEMS.team, { maxLength: TEXT.label }, { optional: true, description: 'team members' })
  team?: string[];
}

export class SubmitSupportRequestDto {
  @OneOf(CATEGORIES)
  category!: Category;

  @OneOf(MODES)
  mode!: Mode;

  @OneOf(PRIORITIES)
  priority!: Priority;

  @Text(TEXT.title, { minLength: 3, example: 'Botnet C2 hosted on bulletproof infrastructure' })
  title!: string;

  @Text(TEXT.narrative)
  description!: string;

  @Nested(() => IndicatorDto, {
    maxItems: ITEMS.indicators,
    schema: { type: 'array', items: INDICATOR_SCHEMA, maxItems: ITEMS.indicators },
  })
  indicators!: IndicatorDto[];

  @TextList(ITEMS.relatedRefs, { maxLength: TEXT.label }, { optional: true, description: 'related case or request references' })
  relatedRefs?: string[];

  @Nested(() => OnSiteDto, { optional: true, description: 'planned deployment, for mode on_site' })
  onSite?: OnSiteDto;
}

export class ListSupportRequestsQuery extends PageQuery {
  @OneOf(SUPPORT_REQUEST_STATUSES, { optional: true })
  status?: SupportRequestStatus;

  @IsIsoCountry({ optional: true })
  country?: string;

  @OneOf(PRIORITIES, { optional: true })
  priority?: Priority;

  @OneOf(CATEGORIES, { optional: true })
  category?: Category;
}

export class RequestIdParam {
  @Text(15, { minLength: 15, pattern: SUPPORT_REQUEST_ID, patternHint: ID_HINT, example: 'SR-1A2B3C4D5E6F' })
  id!: string;
}

export class TriageDto {
  @OneOf(['accept', 'reject', 'duplicate'])
  decision!: 'accept' | 'reject' | 'duplicate';

  @Text(TEXT.note, { optional: true, description: 'required to reject' })
  reason?: string;

  @Text(15, { optional: true, minLength: 15, pattern: SUPPORT_REQUEST_ID, patternHint: ID_HINT, example: 'SR-1A2B3C4D5E6F', description: 'required for duplicate: the request this one duplicates' })
  duplicateOf?: string;
}

export class AssignDto {
  @Text(OFFICER_EMAIL.maxLength, {
    ...OFFICER_EMAIL,
    example: 'officer.manila@cyberops.test',
    description: 'the e-mail of an active officer of the staff directory (GET /api/v1/staff), any case; anyone else is 400',
  })
  assignee!: string;
}

export class ActionDto {
  @OneOf(ACTION_KINDS)
  kind!: ActionKind;

  @Text(TEXT.note)
  note!: string;

  @Instant({ optional: true, description: 'required for on_site_deployment' })
  startsAt?: string;

  @Instant({ optional: true, description: 'required for on_site_deployment' })
  endsAt?: string;

  @TextList(ITEMS.team, { maxLength: TEXT.label }, { optional: true, description: 'required for on_site_deployment' })
  team?: string[];
}

export class RequestInfoDto {
  @Text(TEXT.note)
  question!: string;
}

export class ProvideInfoDto {
  @Text(TEXT.narrative)
  answer!: string;
}

export class ResolveDto {
  @Text(TEXT.narrative)
  summary!: string;
}

export class CloseDto {
  @Text(TEXT.note, { optional: true, description: 'requester feedback on the support received' })
  feedback?: string;
}

export class ResumeClockDto {
  @Text(TEXT.note, { optional: true, description: 'why the clock runs again' })
  note?: string;
}

export class PauseClockDto {
  @OneOf(['awaiting_partner', 'legal_process'])
  reason!: 'awaiting_partner' | 'legal_process';
}

export class ReasonDto {
  @Text(TEXT.note)
  reason!: string;
}

// Responses (OpenAPI shapes of what the service answers).

const nullableString = { type: String, nullable: true } as const;

export class DeconflictionDto {
  @ApiProperty() hit!: boolean;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'indicator, whom to call; staff also see the other object and country' })
  hits!: object[];
  @ApiProperty({ format: 'date-time', required: false }) checkedAt?: string;
}

export class SubmitAnswerDto {
  @ApiProperty({ example: 'SR-1A2B3C4D5E6F' }) id!: string;
  @ApiProperty({ enum: SUPPORT_REQUEST_STATUSES }) status!: SupportRequestStatus;
  @ApiProperty({ example: 'PH' }) country!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: Priority;
  @ApiProperty({ enum: CATEGORIES }) category!: Category;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ type: DeconflictionDto }) deconfliction!: DeconflictionDto;
}

export class SupportRequestSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: SUPPORT_REQUEST_STATUSES }) status!: SupportRequestStatus;
  @ApiProperty() country!: string;
  @ApiProperty() region!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: Priority;
  @ApiProperty({ enum: CATEGORIES }) category!: Category;
  @ApiProperty({ enum: MODES }) mode!: Mode;
  @ApiProperty() title!: string;
  @ApiProperty(nullableString) assignee!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class SupportRequestListDto {
  @ApiProperty({ type: [SupportRequestSummaryDto] }) items!: SupportRequestSummaryDto[];
  @ApiProperty(nullableString) nextCursor!: string | null;
}

export class ClockDto {
  @ApiProperty({ format: 'date-time' }) deadline!: string;
  @ApiProperty({ type: 'integer' }) remainingMs!: number;
  @ApiProperty({ enum: ['running', 'paused', 'met', 'breached'] }) state!: string;
  @ApiProperty({ type: 'integer' }) pausedMs!: number;
}

export class SlaDto {
  @ApiProperty({ type: ClockDto }) triage!: ClockDto;
  @ApiProperty({ type: ClockDto }) firstResponse!: ClockDto;
  @ApiProperty({ type: ClockDto }) resolution!: ClockDto;
}

/** The live state of a request (the main fields; the workflow snapshot carries a few more). */
export class SupportRequestViewDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: SUPPORT_REQUEST_STATUSES }) status!: SupportRequestStatus;
  @ApiProperty() country!: string;
  @ApiProperty() region!: string;
  @ApiProperty({ enum: PRIORITIES }) priority!: Priority;
  @ApiProperty({ enum: CATEGORIES }) category!: Category;
  @ApiProperty({ enum: MODES }) mode!: Mode;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: 'array', items: { type: 'object', properties: { type: { type: 'string', enum: [...INDICATOR_TYPES] }, value: { type: 'string', description: 'normalised' } } } })
  indicators!: IndicatorDto[];
  @ApiProperty(nullableString) assignee!: string | null;
  @ApiProperty(nullableString) duplicateOf!: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) actions!: object[];
  @ApiProperty({ type: SlaDto }) sla!: SlaDto;
  @ApiProperty({ type: DeconflictionDto }) deconfliction!: DeconflictionDto;
  @ApiProperty({ format: 'date-time' }) submittedAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ description: 'false when the workflow could not answer and the last projection is shown' }) live!: boolean;
}

export class AuditEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) actor!: object;
  @ApiProperty(nullableString) before!: string | null;
  @ApiProperty(nullableString) after!: string | null;
  @ApiProperty({ nullable: true, description: 'any JSON the change recorded' }) data!: unknown;
  @ApiProperty(nullableString) requestId!: string | null;
}

export class HistoryDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty(nullableString) nextCursor!: string | null;
}

/** The Idempotency-Key header: 1 to 200 visible ASCII characters. */
export const IDEMPOTENCY_KEY = /^[!-~]{1,200}$/;
