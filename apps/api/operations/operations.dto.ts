import { ApiProperty } from '@nestjs/swagger';
import { registerDecorator } from 'class-validator';
import { CATEGORIES, REGIONS } from '../../../workflows/common/domain';
import { Phase, PHASES, RESULT_KINDS } from '../../../workflows/operation/operation.messages';
import { INDICATOR_SCHEMA, IndicatorDto } from '../common/indicators';
import { ITEMS, MAX_RESULT_COUNT, MAX_TEAM_SIZE, TEXT } from '../common/limits';
import { PageQuery } from '../common/paging';
import { Flag, Instant, Integer, IsIsoCountry, ISO_COUNTRY, Nested, OneOf, Optional, Text, TextList } from '../common/validation';

export const OPERATION_ID = /^OP-[0-9A-F]{10}$/;
const GROUP_CODE = /^[A-Z0-9_]{2,20}$/;
const COUNTRY_LIST = { maxLength: 2, pattern: ISO_COUNTRY, patternHint: 'be an ISO 3166-1 alpha-2 code in capitals' };

/** Counts by kind: every key a known result kind, every value an integer from 0 to MAX_RESULT_COUNT. */
function ResultCounts(options: { optional?: boolean } = {}) {
  const schema = {
    type: 'object',
    properties: Object.fromEntries(RESULT_KINDS.map((k) => [k, { type: 'integer', minimum: 0, maximum: MAX_RESULT_COUNT }])),
    additionalProperties: false,
    example: { arrests: 3, servers_seized: 1 },
    description: `counts by kind: ${RESULT_KINDS.join(', ')}`,
  };
  const validate = (object: object, propertyName: string | symbol) =>
    registerDecorator({
      name: 'isResultCounts',
      target: object.constructor,
      propertyName: propertyName as string,
      options: { message: `$property must map ${RESULT_KINDS.join(', ')} to integers from 0 to ${MAX_RESULT_COUNT}` },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(
            ([k, v]) => (RESULT_KINDS as readonly string[]).includes(k) && Number.isInteger(v) && (v as number) >= 0 && (v as number) <= MAX_RESULT_COUNT,
          ),
      },
    });
  return (target: object, key: string | symbol) => {
    ApiProperty({ ...schema, required: !options.optional } as never)(target, key);
    if (options.optional) Optional()(target, key);
    validate(target, key);
  };
}

export class CreateOperationDto {
  @Text(TEXT.title, { minLength: 3, example: 'Operation First Light ASEAN' })
  name!: string;

  @Text(TEXT.narrative)
  objective!: string;

  @TextList(ITEMS.categories, { enum: CATEGORIES }, { minItems: 1, unique: true })
  categories!: string[];

  @TextList(ITEMS.countries, COUNTRY_LIST, { optional: true, example: ['PH', 'TH'] })
  countries?: string[];

  @TextList(ITEMS.groups, { maxLength: 20, pattern: GROUP_CODE, patternHint: 'be a group code like ASEAN' }, { optional: true, example: ['ASEAN'] })
  groups?: string[];

  @TextList(ITEMS.regions, { enum: REGIONS }, { optional: true, unique: true })
  regions?: string[];

  @Instant()
  readinessDeadline!: string;

  @Instant()
  actionStart!: string;

  @Instant()
  actionEnd!: string;

  @Instant()
  debriefDeadline!: string;

  @Flag({ optional: true, description: 'training exercise: same workflows, escalation scaled down, data marked' })
  exercise?: boolean;
}

export class ListOperationsQuery extends PageQuery {
  @OneOf(PHASES, { optional: true })
  phase?: Phase;

  @Flag({ optional: true, fromQuery: true })
  exercise?: boolean;
}

export class OperationIdParam {
  @Text(13, { minLength: 13, pattern: OPERATION_ID, patternHint: 'look like OP-1A2B3C4D5E', example: 'OP-1A2B3C4D5E' })
  id!: string;
}

export class OperationCountryParam extends OperationIdParam {
  @IsIsoCountry()
  iso!: string;
}

export class CountriesDto {
  @TextList(ITEMS.countries, COUNTRY_LIST, { minItems: 1, example: ['MY'] })
  countries!: string[];
}

export class WithdrawDto {
  @IsIsoCountry()
  country!: string;
}

export class ExtendDto {
  @Instant({ optional: true })
  readinessDeadline?: string;

  @Instant({ optional: true })
  actionStart?: string;

  @Instant({ optional: true })
  actionEnd?: string;

  @Instant({ optional: true })
  debriefDeadline?: string;
}

export class AbortDto {
  @Text(TEXT.note)
  reason!: string;
}

export class ReadinessDto {
  @Flag()
  ready!: boolean;

  @Text(TEXT.label, { example: 'Insp. Santos, +63 2 0000 0000' })
  pointOfContact!: string;

  @Integer(0, MAX_TEAM_SIZE, { example: 6 })
  teamSize!: number;
}

export class ResultsDto {
  @ResultCounts()
  counts!: Record<string, number>;

  @Text(TEXT.note, { optional: true })
  notes?: string;

  @Nested(() => IndicatorDto, {
    optional: true,
    maxItems: ITEMS.indicators,
    schema: { type: 'array', items: INDICATOR_SCHEMA, maxItems: ITEMS.indicators },
  })
  indicators?: IndicatorDto[];
}

export class FinalReportDto {
  @Text(TEXT.narrative)
  summary!: string;

  @ResultCounts({ optional: true })
  counts?: Record<string, number>;
}

// Responses (OpenAPI shapes of what the service answers).

export class OperationCreatedDto {
  @ApiProperty({ example: 'OP-1A2B3C4D5E' }) id!: string;
  @ApiProperty({ enum: PHASES }) phase!: Phase;
  @ApiProperty({ type: 'integer', description: 'countries invited' }) countries!: number;
  @ApiProperty() exercise!: boolean;
}

export class OperationSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PHASES }) phase!: Phase;
  @ApiProperty() exercise!: boolean;
  @ApiProperty({ type: [String] }) categories!: string[];
  @ApiProperty({ type: 'integer', required: false, description: 'countries taking part (not shown to members)' }) countries?: number;
  @ApiProperty({ type: 'object', additionalProperties: true }) instants!: object;
  @ApiProperty({ type: 'object', additionalProperties: true }) totals!: object;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class OperationListDto {
  @ApiProperty({ type: [OperationSummaryDto] }) items!: OperationSummaryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}

export class OperationCountryRowDto {
  @ApiProperty() iso!: string;
  @ApiProperty() status!: string;
  @ApiProperty() ready!: boolean;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) lastReportAt!: string | null;
}

/** An operation's progress (the main fields; the workflow snapshot carries a few more). */
/** The working-group action-plan item an operation came from (an operation item, or a training item's exercise). */
export class OperationSourceItemDto {
  @ApiProperty({ example: 'working-group/EURASIA/2027/item/1' }) id!: string;
  @ApiProperty({ example: 'working-group/EURASIA/2027' }) workingGroupId!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty({ type: 'integer' }) year!: number;
  @ApiProperty({ type: 'integer' }) n!: number;
  @ApiProperty() title!: string;
  @ApiProperty({ example: 'operation' }) kind!: string;
  @ApiProperty({ example: 'PH' }) ownerCountry!: string;
}

export class OperationViewDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: PHASES }) phase!: Phase;
  @ApiProperty() exercise!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: true }) instants!: object;
  @ApiProperty({ type: [OperationCountryRowDto] }) countries!: OperationCountryRowDto[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'invited, ready, reporting, finalReports, results by kind' }) totals!: object;
  @ApiProperty({ required: false, description: 'false when the workflow could not answer and the last projection is shown' }) live?: boolean;
  @ApiProperty({ type: OperationSourceItemDto, nullable: true, description: 'the action-plan item it came from (null: planned directly)' }) actionPlanItem!: OperationSourceItemDto | null;
}

export class CountryParticipationDto {
  @ApiProperty() operationId!: string;
  @ApiProperty() iso!: string;
  @ApiProperty({ enum: PHASES }) phase!: Phase;
  @ApiProperty() status!: string;
  @ApiProperty() ready!: boolean;
  @ApiProperty({ type: String, nullable: true }) pointOfContact!: string | null;
  @ApiProperty({ type: 'integer', nullable: true }) teamSize!: number | null;
  @ApiProperty({ type: 'array', items: { type: 'object' } }) reports!: object[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' } }) counts!: Record<string, number>;
}
