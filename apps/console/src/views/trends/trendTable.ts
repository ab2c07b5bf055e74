import type { components } from '../../../generated/api';
import { RESULT_KINDS } from '../../api/vocabulary';

export type RegionTrends = components['schemas']['RegionTrendsDto'];
export type PeriodFigures = components['schemas']['PeriodFiguresDto'];
export type TrendBucket = components['schemas']['TrendBucketDto'];

/** One column of the tables and of the CSV: the key names its i18n label (`trends.col.<key>`). */
export interface Column {
  key: string;
  section: 'requests' | 'intel' | 'operations';
  value(f: PeriodFigures): number | null;
}

const hours = (ms: number | null | undefined) => (ms === null || ms === undefined ? null : Math.round(ms / 360_000) / 10);

/** Every figure the view shows, in order; the tables and the CSV export are both built from this. */
export const COLUMNS: Column[] = [
  { key: 'submitted', section: 'requests', value: (f) => f.supportRequests.total.submitted },
  { key: 'resolved', section: 'requests', value: (f) => f.supportRequests.total.resolved },
  { key: 'slaMet', section: 'requests', value: (f) => f.supportRequests.total.slaMet },
  { key: 'slaBreached', section: 'requests', value: (f) => f.supportRequests.total.slaBreached },
  { key: 'medianTriageH', section: 'requests', value: (f) => hours(f.supportRequests.total.medianTimeToTriageMs) },
  { key: 'medianResolutionH', section: 'requests', value: (f) => hours(f.supportRequests.total.medianTimeToResolutionMs) },
  { key: 'intelContributed', section: 'intel', value: (f) => f.intel.total.contributed },
  { key: 'intelDuplicates', section: 'intel', value: (f) => f.intel.total.duplicates },
  { key: 'intelDisseminated', section: 'intel', value: (f) => f.intel.total.disseminated },
  { key: 'recipients', section: 'intel', value: (f) => f.disseminations.total.delivered },
  { key: 'ackInTime', section: 'intel', value: (f) => f.disseminations.total.acknowledgedInTime },
  { key: 'ackLate', section: 'intel', value: (f) => f.disseminations.total.acknowledgedLate },
  { key: 'overdue', section: 'intel', value: (f) => f.disseminations.total.overdue },
  { key: 'medianAckH', section: 'intel', value: (f) => hours(f.disseminations.total.medianTimeToAcknowledgeMs) },
  { key: 'actioned', section: 'intel', value: (f) => f.disseminations.total.feedback.actioned ?? 0 },
  { key: 'no_action', section: 'intel', value: (f) => f.disseminations.total.feedback.no_action ?? 0 },
  { key: 'already_known', section: 'intel', value: (f) => f.disseminations.total.feedback.already_known ?? 0 },
  { key: 'operations', section: 'operations', value: (f) => f.operations.operations },
  { key: 'aborted', section: 'operations', value: (f) => f.operations.aborted },
  { key: 'countries', section: 'operations', value: (f) => f.operations.countries },
  ...RESULT_KINDS.map((kind): Column => ({ key: kind, section: 'operations', value: (f) => (f.operations.results as Record<string, number>)[kind] ?? 0 })),
];

/** A row as shown: one region's bucket (or its whole period). */
export interface Row {
  region: string;
  start: string;
  end: string;
  figures: PeriodFigures;
}

/** The rows a region's report shows: each bucket, then the whole period. */
export function regionRows(r: RegionTrends): Row[] {
  return [...r.buckets.map((b) => ({ region: r.region, start: b.start, end: b.end, figures: b })), { region: r.region, start: r.from, end: r.to, figures: r.period }];
}

/** RFC 4180: quote a field holding a comma, quote or line break. */
const field = (v: string | number | null) => {
  const s = v === null ? '' : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The CSV of the rows shown, with a header of machine-readable column names. */
export function toCsv(rows: Row[]): string {
  const head = ['region', 'start', 'end', ...COLUMNS.map((c) => c.key)];
  const body = rows.map((r) => [r.region, r.start, r.end, ...COLUMNS.map((c) => c.value(r.figures))]);
  return [head, ...body].map((line) => line.map(field).join(',')).join('\r\n') + '\r\n';
}
