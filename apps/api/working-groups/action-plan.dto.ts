import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES, REGIONS } from '../../../workflows/common/domain';
import {
  ITEM_KINDS,
  ITEM_STATUS_CHANGES,
  ITEM_STATUSES,
  MAX_ITEMS_PER_PLAN,
} from '../../../workflows/working-group/action-item.messages';
import { OPERATION_ID } from '../operations/operations.dto';
import { ITEMS, TEXT } from '../common/limits';
import { PageQuery } from '../common/paging';
import { Duration, Instant, Integer, IsIsoCountry, ISO_COUNTRY, Nested, OneOf, Text, TextList } from '../common/validation';
import { WorkingGroupParam } from './working-groups.dto';

const COUNTRY_LIST = { maxLength: 2, pattern: ISO_COUNTRY, patternHint: 'be an ISO 3166-1 alpha-2 code in capitals' };
/** Trainees one country sends to one course. */
export const MAX_TRAINEES = 1_000;

export class ActionItemParam extends WorkingGroupParam {
  @Integer(1, MAX_ITEMS_PER_PLAN, { fromQuery: true, example: 1, description: "the item's number in the plan" })
  n!: number;
}

export class PlanQuery extends PageQuery {
  @OneOf(ITEM_STATUSES, { optional: true })
  status?: string;

  @IsIsoCountry({ optional: true, description: 'only the items this country owns' })
  owner?: string;
}

export class CreateActionItemDto {
  @IsIsoCountry({ description: 'the country that owns the item; one of the meeting’s participants' })
  ownerCountry!: string;

  @OneOf(ITEM_KINDS)
  kind!: string;

  @Text(TEXT.title, { minLength: 3, example: 'Joint operation against bulletproof hosting' })
  title!: string;

  @Text(TEXT.narrative, { example: 'Take down the hosting providers named at the meeting' })
  description!: string;

  @Instant({ description: 'in the future; the owner is reminded before it, and the item is escalated once it passes' })
  dueDate!: string;

  @TextList(ITEMS.categories, { enum: CATEGORIES }, { optional: true, unique: true, description: 'an operation item: the categories of the operation it becomes' })
  categories?: string[];

  @TextList(ITEMS.countries, COUNTRY_LIST, { optional: true, example: ['PH', 'SG'], description: 'an operation item: the countries it will invite (default: the owner)' })
  countries?: string[];

  @Duration({ optional: true, example: '14d', description: 'the owner is reminded this long before the due date (default 14d)' })
  reminderBefore?: string;

  @Duration({ optional: true, example: '3d', description: 'wait at the regional officer before the supervisor is alerted (default 3d)' })
  escalationStep?: string;
}

export class NoteDto {
  @Text(TEXT.note, { example: 'Draft bill sent to parliament' })
  text!: string;
}

export class ItemStatusDto {
  @OneOf(ITEM_STATUS_CHANGES)
  status!: string;

  @Text(TEXT.note, { optional: true })
  reason?: string;
}

export class DueDateDto {
  @Instant({ description: 'the new due date, in the future' })
  dueDate!: string;

  @Text(TEXT.note, { optional: true })
  reason?: string;
}

export class TraineesDto {
  @IsIsoCountry()
  iso!: string;

  @Integer(1, MAX_TRAINEES, { example: 4 })
  count!: number;
}

export class TrainingDto {
  @Instant()
  startDate!: string;

  @Instant({ description: 'after startDate' })
  endDate!: string;

  @IsIsoCountry({ description: 'the country hosting the course' })
  hostCountry!: string;

  @Nested(() => TraineesDto, { minItems: 1, maxItems: ITEMS.countries, description: 'trainees per country, one entry per country' })
  trainees!: TraineesDto[];
}

/** Everything optional: prefilled from the item; instants default to weeks ahead (days for an exercise: minutes). */
export class ItemOperationDto {
  @Text(TEXT.title, { optional: true, minLength: 3, description: "default: the item's title" })
  name?: string;

  @Text(TEXT.narrative, { optional: true, description: "default: the item's description" })
  objective?: string;

  @TextList(ITEMS.categories, { enum: CATEGORIES }, { optional: true, minItems: 1, unique: true, description: "default: the item's categories" })
  categories?: string[];

  @TextList(ITEMS.countries, COUNTRY_LIST, { optional: true, minItems: 1, description: "default: the item's countries (a training item: host and trainee countries)" })
  countries?: string[];

  @Instant({ optional: true }) readinessDeadline?: string;
  @Instant({ optional: true }) actionStart?: string;
  @Instant({ optional: true }) actionEnd?: string;
  @Instant({ optional: true }) debriefDeadline?: string;
}

export class ProgressNoteViewDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() by!: string;
  @ApiProperty({ type: String, nullable: true, example: 'PH' }) country!: string | null;
  @ApiProperty() text!: string;
}

export class DueDateChangeViewDto {
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() by!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ type: String, nullable: true }) reason!: string | null;
}

export class TraineesViewDto {
  @ApiProperty({ example: 'PH' }) iso!: string;
  @ApiProperty({ type: 'integer' }) count!: number;
}

export class TrainingViewDto {
  @ApiProperty({ format: 'date-time' }) startDate!: string;
  @ApiProperty({ format: 'date-time' }) endDate!: string;
  @ApiProperty({ example: 'SG' }) hostCountry!: string;
  @ApiProperty({ type: [TraineesViewDto] }) trainees!: TraineesViewDto[];
  @ApiProperty() recordedBy!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
}

export class ActionItemSummaryDto {
  @ApiProperty({ example: 'working-group/EURASIA/2027/item/1' }) id!: string;
  @ApiProperty({ type: 'integer', example: 1 }) n!: number;
  @ApiProperty({ example: 'PH' }) ownerCountry!: string;
  @ApiProperty({ enum: ITEM_KINDS }) kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ITEM_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) dueDate!: string;
  @ApiProperty({ description: 'the due date passed with the item still open' }) overdue!: boolean;
  @ApiProperty({ type: String, nullable: true, pattern: OPERATION_ID.source }) operationId!: string | null;
  @ApiProperty({ type: [String] }) exerciseOperationIds!: string[];
  @ApiProperty({ type: 'integer', description: 'progress notes so far' }) notes!: number;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) lastNoteAt!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class ActionItemViewDto {
  @ApiProperty({ example: 'working-group/EURASIA/2027/item/1' }) id!: string;
  @ApiProperty({ example: 'working-group/EURASIA/2027' }) workingGroupId!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty({ type: 'integer' }) year!: number;
  @ApiProperty({ type: 'integer' }) n!: number;
  @ApiProperty({ example: 'PH' }) ownerCountry!: string;
  @ApiProperty({ enum: ITEM_KINDS }) kind!: string;
  @ApiProperty() title!: string;
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String], enum: CATEGORIES }) categories!: string[];
  @ApiProperty({ type: [String] }) countries!: string[];
  @ApiProperty({ enum: ITEM_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) dueDate!: string;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ description: 'the owner was reminded before the current due date' }) reminded!: boolean;
  @ApiProperty({ type: [ProgressNoteViewDto] }) notes!: ProgressNoteViewDto[];
  @ApiProperty({ type: [DueDateChangeViewDto] }) dueDateChanges!: DueDateChangeViewDto[];
  @ApiProperty({ type: String, nullable: true, description: 'the operation an operation item became' }) operationId!: string | null;
  @ApiProperty({ type: TrainingViewDto, nullable: true }) training!: TrainingViewDto | null;
  @ApiProperty({ type: [String], description: 'exercise-mode operations a training item ran' }) exerciseOperationIds!: string[];
  @ApiProperty() createdBy!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) closedBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) closedAt!: string | null;
  @ApiProperty({ type: String, nullable: true }) closeReason!: string | null;
  @ApiProperty({ type: [String] }) openAlerts!: string[];
  @ApiProperty({ type: 'integer' }) version!: number;
}

export class PlanStatusCountsDto {
  @ApiProperty({ type: 'integer' }) open!: number;
  @ApiProperty({ type: 'integer' }) in_progress!: number;
  @ApiProperty({ type: 'integer' }) done!: number;
  @ApiProperty({ type: 'integer' }) cancelled!: number;
}

export class PlanTotalsDto {
  @ApiProperty({ type: 'integer' }) items!: number;
  @ApiProperty({ type: PlanStatusCountsDto, description: `items by status: ${ITEM_STATUSES.join(', ')}` }) byStatus!: PlanStatusCountsDto;
  @ApiProperty({ type: 'integer', description: 'open or in progress past their due date' }) overdue!: number;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'items per owner country', example: { PH: 2 } })
  byOwner!: Record<string, number>;
}

export class PlanViewDto {
  @ApiProperty({ example: 'working-group/EURASIA/2027' }) workingGroupId!: string;
  @ApiProperty({ type: [ActionItemSummaryDto] }) items!: ActionItemSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
  @ApiProperty({ type: PlanTotalsDto, description: 'of the whole plan (not only this page or filter)' }) totals!: PlanTotalsDto;
}

export class ItemOperationCreatedDto {
  @ApiProperty({ example: 'OP-1A2B3C4D5E', pattern: OPERATION_ID.source }) operationId!: string;
  @ApiProperty({ enum: ['planning'] }) phase!: string;
  @ApiProperty() exercise!: boolean;
  @ApiProperty({ type: ActionItemViewDto }) item!: ActionItemViewDto;
}
