import { ApiProperty } from '@nestjs/swagger';
import { CATEGORIES, PRIORITIES, REGIONS, type Region } from '../../../workflows/common/domain';
import { FEEDBACK_OUTCOMES } from '../../../workflows/common/deconfliction';
import { RESULT_KINDS } from '../../../workflows/operation/operation.messages';
import { Flag, Instant, OneOf } from '../common/validation';

export const TREND_INTERVALS = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type TrendInterval = (typeof TREND_INTERVALS)[number];
/** More buckets than this is a client's mistake (a decade by day), not a report a meeting reads. */
export const MAX_BUCKETS = 400;

export class RegionParam {
  @OneOf(REGIONS)
  region!: Region;
}

export class TrendsQuery {
  @Instant({ optional: true, example: '2026-01-01T00:00:00Z', description: 'start of the period (inclusive); default: 12 calendar months before `to`' })
  from?: string;

  @Instant({ optional: true, example: '2027-01-01T00:00:00Z', description: 'end of the period (exclusive), after `from`; default: the start of next month (UTC)' })
  to?: string;

  @OneOf(TREND_INTERVALS, { optional: true })
  interval?: TrendInterval;

  @Flag({ optional: true, fromQuery: true, description: 'count exercise-mode operations too (default false)' })
  includeExercises?: boolean;
}

export class RequestFiguresDto {
  @ApiProperty({ description: 'requests submitted in the bucket' }) submitted!: number;
  @ApiProperty({ description: 'requests resolved in the bucket' }) resolved!: number;
  @ApiProperty({ description: 'requests resolved in the bucket without any SLA clock breached' }) slaMet!: number;
  @ApiProperty({ description: 'requests whose first SLA breach (any clock) happened in the bucket' }) slaBreached!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'median submission-to-triage time of the requests triaged in the bucket (ms)' })
  medianTimeToTriageMs!: number | null;
  @ApiProperty({ type: Number, nullable: true, description: 'median submission-to-resolution time of the requests resolved in the bucket (ms)' })
  medianTimeToResolutionMs!: number | null;
}

export class CategoryFiguresDto extends RequestFiguresDto {
  @ApiProperty({ enum: CATEGORIES }) category!: string;
}

export class PriorityFiguresDto extends RequestFiguresDto {
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
}

export class RequestTrendDto {
  @ApiProperty({ type: RequestFiguresDto }) total!: RequestFiguresDto;
  @ApiProperty({ type: [CategoryFiguresDto], description: 'one entry per category, all categories listed' }) byCategory!: CategoryFiguresDto[];
  @ApiProperty({ type: [PriorityFiguresDto], description: 'one entry per priority, all priorities listed' }) byPriority!: PriorityFiguresDto[];
}

export class OperationCategoryDto {
  @ApiProperty({ enum: CATEGORIES }) category!: string;
  @ApiProperty() operations!: number;
}

export class OperationTrendDto {
  @ApiProperty({ description: 'operations whose action window starts in the bucket and in which a country of the region takes part' }) operations!: number;
  @ApiProperty({ description: 'of those, aborted' }) aborted!: number;
  @ApiProperty({ description: "distinct countries of the region taking part (withdrawn countries excluded)" }) countries!: number;
  @ApiProperty({ type: [OperationCategoryDto] }) byCategory!: OperationCategoryDto[];
  @ApiProperty({
    description: "result totals reported by the region's countries, by kind (every kind listed)",
    type: 'object',
    properties: Object.fromEntries(RESULT_KINDS.map((k) => [k, { type: 'number' }])),
  })
  results!: Record<string, number>;
}

export class IntelFiguresDto {
  @ApiProperty({ description: "items taken in from the region's member countries in the bucket (duplicates excluded)" }) contributed!: number;
  @ApiProperty({ description: "items from the region's countries stored as duplicates of an earlier item" }) duplicates!: number;
  @ApiProperty({ description: 'distinct items delivered to at least one country of the region in the bucket' }) disseminated!: number;
}

export class IntelCategoryFiguresDto extends IntelFiguresDto {
  @ApiProperty({ enum: CATEGORIES, description: 'an item with several categories counts in each' }) category!: string;
}

export class IntelPriorityFiguresDto extends IntelFiguresDto {
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
}

export class IntelTrendDto {
  @ApiProperty({ type: IntelFiguresDto }) total!: IntelFiguresDto;
  @ApiProperty({ type: [IntelCategoryFiguresDto], description: 'one entry per category, all categories listed' }) byCategory!: IntelCategoryFiguresDto[];
  @ApiProperty({ type: [IntelPriorityFiguresDto], description: 'one entry per priority, all priorities listed' }) byPriority!: IntelPriorityFiguresDto[];
}

export class DisseminationFiguresDto {
  @ApiProperty({ description: "recipient countries of the region first delivered an item in the bucket" }) delivered!: number;
  @ApiProperty({ description: 'recipients that acknowledged in the bucket, by their deadline (first delivery + the priority\'s acknowledge SLA)' })
  acknowledgedInTime!: number;
  @ApiProperty({ description: 'recipients that acknowledged in the bucket, after their deadline' }) acknowledgedLate!: number;
  @ApiProperty({ description: 'recipients whose deadline passed in the bucket and that have still not acknowledged (recalled before the deadline excluded)' })
  overdue!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'median delivery-to-acknowledgement time of the acknowledgements in the bucket (ms)' })
  medianTimeToAcknowledgeMs!: number | null;
  @ApiProperty({
    description: 'feedback given in the bucket, by outcome (every outcome listed)',
    type: 'object',
    properties: Object.fromEntries(FEEDBACK_OUTCOMES.map((k) => [k, { type: 'number' }])),
  })
  feedback!: Record<string, number>;
}

export class DisseminationCategoryFiguresDto extends DisseminationFiguresDto {
  @ApiProperty({ enum: CATEGORIES, description: "the item's categories; an item with several counts in each" }) category!: string;
}

export class DisseminationPriorityFiguresDto extends DisseminationFiguresDto {
  @ApiProperty({ enum: PRIORITIES }) priority!: string;
}

export class DisseminationTrendDto {
  @ApiProperty({ type: DisseminationFiguresDto }) total!: DisseminationFiguresDto;
  @ApiProperty({ type: [DisseminationCategoryFiguresDto], description: 'one entry per category, all categories listed' }) byCategory!: DisseminationCategoryFiguresDto[];
  @ApiProperty({ type: [DisseminationPriorityFiguresDto], description: 'one entry per priority, all priorities listed' }) byPriority!: DisseminationPriorityFiguresDto[];
}

export class TrendBucketDto {
  @ApiProperty({ format: 'date-time', description: 'bucket start, clipped to `from`' }) start!: string;
  @ApiProperty({ format: 'date-time', description: 'bucket end (exclusive), clipped to `to`' }) end!: string;
  @ApiProperty({ type: RequestTrendDto }) supportRequests!: RequestTrendDto;
  @ApiProperty({ type: IntelTrendDto }) intel!: IntelTrendDto;
  @ApiProperty({ type: DisseminationTrendDto, description: "the region's recipient countries of disseminated intelligence" }) disseminations!: DisseminationTrendDto;
  @ApiProperty({ type: OperationTrendDto }) operations!: OperationTrendDto;
}

export class PeriodFiguresDto {
  @ApiProperty({ type: RequestTrendDto }) supportRequests!: RequestTrendDto;
  @ApiProperty({ type: IntelTrendDto }) intel!: IntelTrendDto;
  @ApiProperty({ type: DisseminationTrendDto, description: "the region's recipient countries of disseminated intelligence" }) disseminations!: DisseminationTrendDto;
  @ApiProperty({ type: OperationTrendDto }) operations!: OperationTrendDto;
}

export class RegionTrendsDto {
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ enum: TREND_INTERVALS }) interval!: string;
  @ApiProperty({ type: [TrendBucketDto], description: 'every bucket of the period in order, empty ones included' }) buckets!: TrendBucketDto[];
  @ApiProperty({ type: PeriodFiguresDto, description: 'the whole period (medians over the whole period, not of the buckets)' }) period!: PeriodFiguresDto;
}

export class AllRegionsTrendsDto {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ enum: TREND_INTERVALS }) interval!: string;
  @ApiProperty({ type: [RegionTrendsDto], description: 'one entry per working-group region, in a fixed order' }) regions!: RegionTrendsDto[];
}
