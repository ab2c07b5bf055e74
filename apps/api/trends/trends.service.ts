import { Injectable } from '@nestjs/common';
import { Prisma } from '@prisma/client';
import { CATEGORIES, PRIORITIES, REGIONS, type Region } from '../../../workflows/common/domain';
import { FEEDBACK_OUTCOMES } from '../../../workflows/common/deconfliction';
import { RESULT_KINDS } from '../../../workflows/operation/operation.messages';
import { RefusedException } from '../auth/denials';
import type { Principal } from '../auth/principal';
import { UnprocessableEntityException } from '@nestjs/common';

// Each field is well-formed, but together they make no period to report on: 422.
const unprocessable = (details: Array<{ field: string; problem: string }>) => new UnprocessableEntityException({ message: `invalid ${details[0].field}`, details });
import { PrismaService } from '../infra/prisma.service';
import {
  AllRegionsTrendsDto,
  DisseminationFiguresDto,
  DisseminationTrendDto,
  IntelFiguresDto,
  IntelTrendDto,
  MAX_BUCKETS,
  OperationTrendDto,
  RegionTrendsDto,
  RequestFiguresDto,
  RequestTrendDto,
  TrendInterval,
  TrendsQuery,
} from './trends.dto';

interface Period {
  from: Date;
  to: Date;
  interval: TrendInterval;
  /** Calendar bucket starts (UTC), the first one at or before `from`. */
  starts: Date[];
  includeExercises: boolean;
}

/** A SQL grouping row: null bucket = the whole period; null category/priority = all of them. */
interface RequestRow {
  region: string;
  bucket: string | null;
  category: string | null;
  priority: string | null;
  submitted: number;
  resolved: number;
  sla_met: number;
  sla_breached: number;
  median_triage_ms: number | null;
  median_resolution_ms: number | null;
}
/** Rows of the category x priority breakdowns (intel, disseminations); same null convention. */
interface BreakdownRow {
  region: string;
  bucket: string | null;
  category: string | null;
  priority: string | null;
}
interface IntelRow extends BreakdownRow {
  contributed: number;
  duplicates: number;
  disseminated: number;
}
interface DisseminationRow extends BreakdownRow {
  delivered: number;
  in_time: number;
  late: number;
  overdue: number;
  median_ack_ms: number | null;
  actioned: number;
  no_action: number;
  already_known: number;
}
interface OperationRow {
  region: string;
  bucket: string | null;
  operations: number;
  aborted: number;
  countries: number;
}
interface OperationKeyRow {
  region: string;
  bucket: string | null;
  key: string;
  n: number;
}

/** Where a bucket starts: PostgreSQL's date_trunc in UTC (weeks start on Monday). */
function truncate(at: Date, interval: TrendInterval): Date {
  const y = at.getUTCFullYear();
  const m = at.getUTCMonth();
  const d = at.getUTCDate();
  switch (interval) {
    case 'day':
      return new Date(Date.UTC(y, m, d));
    case 'week':
      return new Date(Date.UTC(y, m, d - ((at.getUTCDay() + 6) % 7)));
    case 'month':
      return new Date(Date.UTC(y, m, 1));
    case 'quarter':
      return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'year':
      return new Date(Date.UTC(y, 0, 1));
  }
}

function next(start: Date, interval: TrendInterval): Date {
  const y = start.getUTCFullYear();
  const m = start.getUTCMonth();
  const d = start.getUTCDate();
  switch (interval) {
    case 'day':
      return new Date(Date.UTC(y, m, d + 1));
    case 'week':
      return new Date(Date.UTC(y, m, d + 7));
    case 'month':
      return new Date(Date.UTC(y, m + 1, 1));
    case 'quarter':
      return new Date(Date.UTC(y, m + 3, 1));
    case 'year':
      return new Date(Date.UTC(y + 1, 0, 1));
  }
}

/** Timestamps are stored as UTC without a zone: compare with the same form. */
const sqlInstant = (at: Date) => at.toISOString().replace('T', ' ').replace('Z', '');
const BUCKET_TEXT = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

const emptyIntel = (): IntelFiguresDto => ({ contributed: 0, duplicates: 0, disseminated: 0 });
const emptyDisseminations = (): DisseminationFiguresDto => ({
  delivered: 0,
  acknowledgedInTime: 0,
  acknowledgedLate: 0,
  overdue: 0,
  medianTimeToAcknowledgeMs: null,
  feedback: Object.fromEntries(FEEDBACK_OUTCOMES.map((o) => [o, 0])),
});

/** Total, every category and every priority, from grouping rows of one region and bucket. */
function breakdown<R extends BreakdownRow, F extends object>(rows: R[], toFigures: (r: R) => F, empty: () => F) {
  const of = (r: R | undefined) => (r ? toFigures(r) : empty());
  return {
    total: of(rows.find((r) => r.category === null && r.priority === null)),
    byCategory: CATEGORIES.map((category) => ({ category, ...of(rows.find((r) => r.category === category)) })),
    byPriority: PRIORITIES.map((priority) => ({ priority, ...of(rows.find((r) => r.priority === priority)) })),
  };
}

const emptyFigures = (): RequestFiguresDto => ({
  submitted: 0,
  resolved: 0,
  slaMet: 0,
  slaBreached: 0,
  medianTimeToTriageMs: null,
  medianTimeToResolutionMs: null,
});

/**
 * Regional trend assessment for working-group meetings: support requests and operations per
 * region and period bucket, aggregated in PostgreSQL from the read models. Each figure counts
 * an event in the bucket where it happened (submitted, triaged, resolved, first breach).
 */
@Injectable()
export class TrendsService {
  constructor(private readonly db: PrismaService) {}

  /** Members read their own country's region; regional coordinators their own region. */
  async assertMayRead(u: Principal, region: Region): Promise<void> {
    if (u.role === 'coordinator' && u.region && u.region !== region) {
      throw new RefusedException(`a coordinator of ${u.region} reads the trends of its own region only`, { objectType: 'region_trends', objectId: region });
    }
    if (u.role === 'member') {
      const country = u.country ? await this.db.client.country.findUnique({ where: { iso: u.country }, select: { region: true } }) : null;
      if (country?.region !== region) throw new RefusedException("a member reads the trends of its own country's region only", { objectType: 'region_trends', objectId: region });
    }
  }

  assertMayReadAll(u: Principal): void {
    if (u.role === 'member' || (u.role === 'coordinator' && u.region)) {
      throw new RefusedException(
        'the side-by-side view of all regions is for global coordinators, analysts and supervisors; read your region at /regions/{region}/trends',
        { objectType: 'region_trends', objectId: 'all' },
      );
    }
  }

  async region(u: Principal, region: Region, query: TrendsQuery): Promise<RegionTrendsDto> {
    await this.assertMayRead(u, region);
    const period = this.period(query);
    const [trends] = await this.compute([region], period);
    return trends;
  }

  async all(u: Principal, query: TrendsQuery): Promise<AllRegionsTrendsDto> {
    this.assertMayReadAll(u);
    const period = this.period(query);
    const regions = await this.compute([...REGIONS], period);
    return { from: period.from.toISOString(), to: period.to.toISOString(), interval: period.interval, regions };
  }

  period(query: TrendsQuery): Period {
    const interval = query.interval ?? 'month';
    const now = new Date();
    const to = query.to ? new Date(query.to) : next(truncate(now, 'month'), 'month');
    const from = query.from ? new Date(query.from) : new Date(Date.UTC(to.getUTCFullYear(), to.getUTCMonth() - 12, to.getUTCDate()));
    if (to.getTime() <= from.getTime()) throw unprocessable([{ field: 'to', problem: 'to must be after from' }]);
    const starts: Date[] = [];
    for (let start = truncate(from, interval); start < to; start = next(start, interval)) {
      starts.push(start);
      if (starts.length > MAX_BUCKETS) {
        throw unprocessable([{ field: 'interval', problem: `the period holds more than ${MAX_BUCKETS} ${interval} buckets; choose a longer interval or a shorter period` }]);
      }
    }
    return { from, to, interval, starts, includeExercises: query.includeExercises ?? false };
  }

  private async compute(regions: Region[], p: Period): Promise<RegionTrendsDto[]> {
    const asOf = new Date();
    const [requests, intel, disseminations, operations, results, categories] = await Promise.all([
      this.requestRows(regions, p),
      this.intelRows(regions, p),
      this.disseminationRows(regions, p, asOf),
      this.operationRows(regions, p),
      this.operationKeyRows(regions, p, 'results'),
      this.operationKeyRows(regions, p, 'categories'),
    ]);
    return regions.map((region) => {
      const bucketKeys = [...p.starts.map((s) => s.toISOString()), null];
      const figures = new Map(
        bucketKeys.map((b) => {
          const mine = <R extends BreakdownRow>(rows: R[]) => rows.filter((r) => r.region === region && r.bucket === b);
          return [
            b,
            {
              supportRequests: this.requestTrend(requests.filter((r) => r.region === region && r.bucket === b)),
              intel: this.intelTrend(mine(intel)),
              disseminations: this.disseminationTrend(mine(disseminations)),
              operations: this.operationTrend(region, b, operations, results, categories),
            },
          ];
        }),
      );
      const buckets = p.starts.map((start, i) => {
        const end = i + 1 < p.starts.length ? p.starts[i + 1] : p.to;
        return {
          start: new Date(Math.max(start.getTime(), p.from.getTime())).toISOString(),
          end: new Date(Math.min(end.getTime(), p.to.getTime())).toISOString(),
          ...figures.get(start.toISOString())!,
        };
      });
      return { region, from: p.from.toISOString(), to: p.to.toISOString(), interval: p.interval, buckets, period: figures.get(null)! };
    });
  }

  private requestTrend(rows: RequestRow[]): RequestTrendDto {
    const toFigures = (r: RequestRow | undefined): RequestFiguresDto =>
      r
        ? {
            submitted: r.submitted,
            resolved: r.resolved,
            slaMet: r.sla_met,
            slaBreached: r.sla_breached,
            medianTimeToTriageMs: r.median_triage_ms === null ? null : Math.round(r.median_triage_ms),
            medianTimeToResolutionMs: r.median_resolution_ms === null ? null : Math.round(r.median_resolution_ms),
          }
        : emptyFigures();
    return {
      total: toFigures(rows.find((r) => r.category === null && r.priority === null)),
      byCategory: CATEGORIES.map((category) => ({ category, ...toFigures(rows.find((r) => r.category === category && r.priority === null)) })),
      byPriority: PRIORITIES.map((priority) => ({ priority, ...toFigures(rows.find((r) => r.priority === priority && r.category === null)) })),
    };
  }

  private intelTrend(rows: IntelRow[]): IntelTrendDto {
    return breakdown(rows, (r) => ({ contributed: r.contributed, duplicates: r.duplicates, disseminated: r.disseminated }), emptyIntel);
  }

  private disseminationTrend(rows: DisseminationRow[]): DisseminationTrendDto {
    return breakdown(
      rows,
      (r) => ({
        delivered: r.delivered,
        acknowledgedInTime: r.in_time,
        acknowledgedLate: r.late,
        overdue: r.overdue,
        medianTimeToAcknowledgeMs: r.median_ack_ms === null ? null : Math.round(r.median_ack_ms),
        feedback: { actioned: r.actioned, no_action: r.no_action, already_known: r.already_known },
      }),
      emptyDisseminations,
    );
  }

  private operationTrend(region: string, bucket: string | null, ops: OperationRow[], results: OperationKeyRow[], categories: OperationKeyRow[]): OperationTrendDto {
    const row = ops.find((r) => r.region === region && r.bucket === bucket);
    const of = (rows: OperationKeyRow[], key: string) => rows.find((r) => r.region === region && r.bucket === bucket && r.key === key)?.n ?? 0;
    return {
      operations: row?.operations ?? 0,
      aborted: row?.aborted ?? 0,
      countries: row?.countries ?? 0,
      byCategory: CATEGORIES.map((category) => ({ category, operations: of(categories, category) })),
      results: Object.fromEntries(RESULT_KINDS.map((kind) => [kind, of(results, kind)])),
    };
  }

  /**
   * One pass over four event streams (submitted, triaged, resolved, first SLA breach), each
   * read through a (region, instant) index, grouped by bucket x category/priority and by the
   * whole period with GROUPING SETS; medians with percentile_cont.
   */
  private requestRows(regions: Region[], p: Period): Promise<RequestRow[]> {
    const list = regions.join(',');
    const from = sqlInstant(p.from);
    const to = sqlInstant(p.to);
    return this.query<RequestRow>(Prisma.sql`
      WITH ev AS (
        SELECT region, category, priority, 'submitted' AS kind, "createdAt" AS at, NULL::float8 AS ms, NULL::boolean AS met
          FROM "SupportRequest"
          WHERE region = ANY(string_to_array(${list}, ',')) AND "createdAt" >= ${from}::timestamp AND "createdAt" < ${to}::timestamp
        UNION ALL
        SELECT region, category, priority, 'triaged', "triagedAt", EXTRACT(EPOCH FROM "triagedAt" - "createdAt") * 1000, NULL
          FROM "SupportRequest"
          WHERE region = ANY(string_to_array(${list}, ',')) AND "triagedAt" >= ${from}::timestamp AND "triagedAt" < ${to}::timestamp
        UNION ALL
        SELECT s.region, s.category, s.priority, 'resolved', s."resolvedAt", EXTRACT(EPOCH FROM s."resolvedAt" - s."createdAt") * 1000,
               NOT EXISTS (SELECT 1 FROM "Alert" a WHERE a."objectType" = 'support_request' AND a."objectId" = s.id AND a.kind = 'sla_breach')
          FROM "SupportRequest" s
          WHERE s.region = ANY(string_to_array(${list}, ',')) AND s."resolvedAt" >= ${from}::timestamp AND s."resolvedAt" < ${to}::timestamp
        UNION ALL
        SELECT s.region, s.category, s.priority, 'breached', b.at, NULL, NULL
          FROM (SELECT "objectId", min("raisedAt") AS at FROM "Alert"
                 WHERE kind = 'sla_breach' AND "objectType" = 'support_request' AND "raisedAt" < ${to}::timestamp
                 GROUP BY "objectId") b
          JOIN "SupportRequest" s ON s.id = b."objectId"
          WHERE s.region = ANY(string_to_array(${list}, ',')) AND b.at >= ${from}::timestamp
      ), bucketed AS (
        SELECT ev.*, date_trunc(${p.interval}, at) AS bucket FROM ev
      )
      SELECT region,
             to_char(bucket, ${Prisma.raw(BUCKET_TEXT)}) AS bucket,
             category, priority,
             (count(*) FILTER (WHERE kind = 'submitted'))::int AS submitted,
             (count(*) FILTER (WHERE kind = 'resolved'))::int AS resolved,
             (count(*) FILTER (WHERE kind = 'resolved' AND met))::int AS sla_met,
             (count(*) FILTER (WHERE kind = 'breached'))::int AS sla_breached,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'triaged') AS median_triage_ms,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) FILTER (WHERE kind = 'resolved') AS median_resolution_ms
        FROM bucketed
       GROUP BY GROUPING SETS ((region, bucket), (region, bucket, category), (region, bucket, priority), (region), (region, category), (region, priority))`);
  }

  private query<T>(sql: Prisma.Sql): Promise<T[]> {
    return this.db.client.$queryRaw<T[]>(sql);
  }

  /**
   * Events (columns region, priority, categories, at, and the measures' own) grouped by region x
   * bucket x priority with GROUPING SETS, and by category over the unnested item categories in a
   * second branch (an item with two categories counts in each, never twice in a total).
   */
  private grouped<T>(p: Period, events: Prisma.Sql, measures: Prisma.Sql): Promise<T[]> {
    const bucket = Prisma.raw(`to_char(bucket, ${BUCKET_TEXT})`);
    return this.query<T>(Prisma.sql`
      WITH ev AS (${events}), b AS (SELECT ev.*, date_trunc(${p.interval}, at) AS bucket FROM ev)
      SELECT region, ${bucket} AS bucket, NULL::text AS category, priority, ${measures}
        FROM b
       GROUP BY GROUPING SETS ((region, bucket), (region, bucket, priority), (region), (region, priority))
      UNION ALL
      SELECT region, ${bucket}, c.category, NULL, ${measures}
        FROM b CROSS JOIN LATERAL unnest(b.categories) AS c(category)
       GROUP BY GROUPING SETS ((region, bucket, c.category), (region, c.category))`);
  }

  /**
   * Intelligence contributed by the region's countries (by intake time) and items delivered to
   * them (by delivery time; distinct items, so one item to five countries counts once).
   */
  private intelRows(regions: Region[], p: Period): Promise<IntelRow[]> {
    const list = regions.join(',');
    const from = sqlInstant(p.from);
    const to = sqlInstant(p.to);
    return this.grouped<IntelRow>(
      p,
      Prisma.sql`
        SELECT c.region, i.id, i.priority, i.categories, i."createdAt" AS at, CASE WHEN i.status = 'duplicate' THEN 'duplicate' ELSE 'contributed' END AS kind
          FROM "Country" c JOIN "IntelItem" i ON i."originatorCountry" = c.iso
         WHERE c.region = ANY(string_to_array(${list}, ',')) AND i."createdAt" >= ${from}::timestamp AND i."createdAt" < ${to}::timestamp
        UNION ALL
        SELECT s.region, i.id, i.priority, i.categories, s.at, 'disseminated'
          FROM (
            -- One row per item, region and bucket before the join: the counts are of distinct items.
            SELECT r.region, d."intelId", min(r."deliveredAt") AS at
              FROM "DisseminationRecipient" r JOIN "Dissemination" d ON d.id = r."disseminationId"
             WHERE r.region = ANY(string_to_array(${list}, ',')) AND r."deliveredAt" >= ${from}::timestamp AND r."deliveredAt" < ${to}::timestamp
             GROUP BY r.region, d."intelId", date_trunc(${p.interval}, r."deliveredAt")
          ) s JOIN "IntelItem" i ON i.id = s."intelId"`,
      Prisma.sql`
        (count(DISTINCT id) FILTER (WHERE kind = 'contributed'))::int AS contributed,
        (count(DISTINCT id) FILTER (WHERE kind = 'duplicate'))::int AS duplicates,
        (count(DISTINCT id) FILTER (WHERE kind = 'disseminated'))::int AS disseminated`,
    );
  }

  /**
   * The region's recipients: first delivery, acknowledgement (by or after the deadline), deadline
   * missed and still unanswered as of `asOf`, and feedback by outcome, each in its own bucket.
   */
  private async disseminationRows(regions: Region[], p: Period, asOf: Date): Promise<DisseminationRow[]> {
    const list = regions.join(',');
    const from = sqlInstant(p.from);
    const to = sqlInstant(p.to);
    const inRegion = Prisma.sql`r.region = ANY(string_to_array(${list}, ','))`;
    const within = (column: string) => Prisma.sql`r.${Prisma.raw(`"${column}"`)} >= ${from}::timestamp AND r.${Prisma.raw(`"${column}"`)} < ${to}::timestamp`;
    const bucket = (column: string) => Prisma.sql`date_trunc(${p.interval}, r.${Prisma.raw(`"${column}"`)})`;
    // Counts: recipients folded to one row per dissemination, bucket and kind before the item's
    // priority and categories are joined (a few rows per dissemination instead of one per country).
    const counts = this.grouped<DisseminationRow>(
      p,
      Prisma.sql`
        SELECT per.region, d.priority, i.categories, per.kind, per.bucket AS at, per.outcome, per.n
          FROM (
            SELECT region, ds, kind, bucket, outcome, count(*)::int AS n FROM (
              SELECT r.region, r."disseminationId" AS ds, 'delivered' AS kind, ${bucket('deliveredAt')} AS bucket, NULL::text AS outcome
                FROM "DisseminationRecipient" r WHERE ${inRegion} AND ${within('deliveredAt')}
              UNION ALL
              SELECT r.region, r."disseminationId", CASE WHEN r."ackDueAt" IS NULL OR r."acknowledgedAt" <= r."ackDueAt" THEN 'in_time' ELSE 'late' END,
                     ${bucket('acknowledgedAt')}, NULL
                FROM "DisseminationRecipient" r WHERE ${inRegion} AND ${within('acknowledgedAt')}
              UNION ALL
              SELECT r.region, r."disseminationId", 'overdue', ${bucket('ackDueAt')}, NULL
                FROM "DisseminationRecipient" r JOIN "Dissemination" d ON d.id = r."disseminationId"
               WHERE ${inRegion} AND ${within('ackDueAt')} AND r."ackDueAt" <= ${sqlInstant(asOf)}::timestamp AND r."acknowledgedAt" IS NULL
                 AND (d."recalledAt" IS NULL OR d."recalledAt" > r."ackDueAt")
              UNION ALL
              SELECT r.region, r."disseminationId", 'feedback', ${bucket('feedbackAt')}, r."feedbackOutcome"
                FROM "DisseminationRecipient" r WHERE ${inRegion} AND ${within('feedbackAt')}
            ) ev GROUP BY region, ds, kind, bucket, outcome
          ) per
          JOIN "Dissemination" d ON d.id = per.ds JOIN "IntelItem" i ON i.id = d."intelId"`,
      Prisma.sql`
        COALESCE(sum(n) FILTER (WHERE kind = 'delivered'), 0)::int AS delivered,
        COALESCE(sum(n) FILTER (WHERE kind = 'in_time'), 0)::int AS in_time,
        COALESCE(sum(n) FILTER (WHERE kind = 'late'), 0)::int AS late,
        COALESCE(sum(n) FILTER (WHERE kind = 'overdue'), 0)::int AS overdue,
        COALESCE(sum(n) FILTER (WHERE kind = 'feedback' AND outcome = 'actioned'), 0)::int AS actioned,
        COALESCE(sum(n) FILTER (WHERE kind = 'feedback' AND outcome = 'no_action'), 0)::int AS no_action,
        COALESCE(sum(n) FILTER (WHERE kind = 'feedback' AND outcome = 'already_known'), 0)::int AS already_known`,
    );
    // Medians need every acknowledgement: a second, narrow statement over those alone.
    const medians = this.grouped<BreakdownRow & { median_ack_ms: number | null }>(
      p,
      Prisma.sql`
        SELECT r.region, d.priority, i.categories, r."acknowledgedAt" AS at, EXTRACT(EPOCH FROM r."acknowledgedAt" - r."deliveredAt") * 1000 AS ms
          FROM "DisseminationRecipient" r JOIN "Dissemination" d ON d.id = r."disseminationId" JOIN "IntelItem" i ON i.id = d."intelId"
         WHERE ${inRegion} AND ${within('acknowledgedAt')}`,
      Prisma.sql`percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS median_ack_ms`,
    );
    const [rows, mids] = await Promise.all([counts, medians]);
    const key = (r: BreakdownRow) => `${r.region}|${r.bucket}|${r.category}|${r.priority}`;
    const median = new Map(mids.map((m) => [key(m), m.median_ack_ms]));
    return rows.map((r) => ({ ...r, median_ack_ms: median.get(key(r)) ?? null }));
  }

  /** The operations whose action window starts in the period, joined to their countries of the regions. */
  private operationSource(regions: Region[], p: Period): Prisma.Sql {
    return Prisma.sql`
      SELECT o.id, o.phase, o.categories, oc.region, oc.iso, oc.counts,
             date_trunc(${p.interval}, ((o.instants->>'actionStart')::timestamptz AT TIME ZONE 'UTC')) AS bucket
        FROM "Operation" o
        JOIN "OperationCountry" oc ON oc."operationId" = o.id AND oc.status <> 'withdrawn'
       WHERE oc.region = ANY(string_to_array(${regions.join(',')}, ','))
         AND (${p.includeExercises}::boolean OR NOT o.exercise)
         AND ((o.instants->>'actionStart')::timestamptz AT TIME ZONE 'UTC') >= ${sqlInstant(p.from)}::timestamp
         AND ((o.instants->>'actionStart')::timestamptz AT TIME ZONE 'UTC') < ${sqlInstant(p.to)}::timestamp`;
  }

  private operationRows(regions: Region[], p: Period): Promise<OperationRow[]> {
    return this.query<OperationRow>(Prisma.sql`
      WITH src AS (${this.operationSource(regions, p)})
      SELECT region, to_char(bucket, ${Prisma.raw(BUCKET_TEXT)}) AS bucket,
             count(DISTINCT id)::int AS operations,
             (count(DISTINCT id) FILTER (WHERE phase = 'aborted'))::int AS aborted,
             count(DISTINCT iso)::int AS countries
        FROM src
       GROUP BY GROUPING SETS ((region, bucket), (region))`);
  }

  /** Result sums by kind, or operations by category, per region and bucket and for the period. */
  private operationKeyRows(regions: Region[], p: Period, what: 'results' | 'categories'): Promise<OperationKeyRow[]> {
    const source = this.operationSource(regions, p);
    return this.query<OperationKeyRow>(
      what === 'results'
        ? Prisma.sql`
          WITH src AS (${source})
          SELECT region, to_char(bucket, ${Prisma.raw(BUCKET_TEXT)}) AS bucket, r.key, sum(r.value::numeric)::float8 AS n
            FROM src CROSS JOIN LATERAL jsonb_each_text(src.counts) r
           GROUP BY GROUPING SETS ((region, bucket, r.key), (region, r.key))`
        : Prisma.sql`
          WITH src AS (${source})
          SELECT region, to_char(bucket, ${Prisma.raw(BUCKET_TEXT)}) AS bucket, c.category AS key, count(DISTINCT id)::int AS n
            FROM src CROSS JOIN LATERAL unnest(src.categories) AS c(category)
           GROUP BY GROUPING SETS ((region, bucket, c.category), (region, c.category))`,
    );
  }
}
