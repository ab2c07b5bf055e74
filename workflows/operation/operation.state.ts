import { ApplicationFailure } from '@temporalio/common';
import {
  CountryProgress,
  CountrySnapshot,
  FINISHED_PHASES,
  Instants,
  OperationSnapshot,
  OperationState,
  Participant,
  Phase,
  RESULT_KINDS,
  ResultKind,
  Totals,
} from './operation.messages';

// Pure rules of a regional operation: phase by time, instant checks, totals. No Temporal calls
// but the failure type, so validators, handlers and tests share them.

export const INVALID_OPERATION_CHANGE = 'InvalidOperationChange';
const refuse = (message: string) => ApplicationFailure.nonRetryable(message, INVALID_OPERATION_CHANGE);
const ms = (iso: string) => new Date(iso).getTime();
const INSTANT_ORDER: Array<keyof Instants> = ['readinessDeadline', 'actionStart', 'actionEnd', 'debriefDeadline'];

/** The instant that ends the current phase (or the next deadline inside it). */
export function phaseEnd(phase: Phase): keyof Instants | null {
  if (phase === 'preparation') return 'actionStart';
  if (phase === 'action') return 'actionEnd';
  if (phase === 'debrief') return 'debriefDeadline';
  return null;
}

/** The phase of a launched, not aborted operation at `now`. */
export function phaseAt(instants: Instants, now: number): Phase {
  if (now < ms(instants.actionStart)) return 'preparation';
  if (now < ms(instants.actionEnd)) return 'action';
  if (now < ms(instants.debriefDeadline)) return 'debrief';
  return 'closed';
}

/** Instants must keep their order: readiness ≤ action start < action end < debrief deadline. */
export function checkInstantOrder(instants: Instants): void {
  const [r, s, e, d] = INSTANT_ORDER.map((k) => ms(instants[k]));
  if ([r, s, e, d].some(Number.isNaN)) throw refuse('every instant must be an ISO 8601 date-time');
  if (!(r <= s && s < e && e < d)) {
    throw refuse('instants must be in order: readinessDeadline <= actionStart < actionEnd < debriefDeadline');
  }
}

/** Extending may move only instants still ahead; the result must stay in order. */
export function checkExtend(state: OperationState, change: Partial<Instants>, now: number): Instants {
  if (FINISHED_PHASES.includes(state.phase)) throw refuse(`the operation is ${state.phase}`);
  const keys = Object.keys(change) as Array<keyof Instants>;
  if (keys.length === 0) throw refuse('name at least one instant to move');
  for (const key of keys) {
    if (ms(state.instants[key]) <= now) throw refuse(`${key} has already passed`);
    if (ms(change[key]!) <= now) throw refuse(`${key} must be in the future`);
  }
  const merged = { ...state.instants, ...change };
  checkInstantOrder(merged);
  return merged;
}

export function checkActive(state: OperationState, change: string): void {
  if (FINISHED_PHASES.includes(state.phase)) throw refuse(`cannot ${change}: the operation is ${state.phase}`);
}

export function checkLaunch(state: OperationState, now: number): void {
  if (state.phase !== 'planning') throw refuse(`cannot launch: the operation is already ${state.phase}`);
  if (ms(state.instants.readinessDeadline) <= now) throw refuse('cannot launch after the readiness deadline; extend it first');
}

export function checkAdd(state: OperationState, participants: Participant[]): void {
  checkActive(state, 'add countries');
  if (participants.length === 0) throw refuse('name at least one country');
  const present = participants.filter((p) => state.countries[p.iso]);
  const withdrawn = present.filter((p) => state.countries[p.iso].status === 'withdrawn');
  if (withdrawn.length) throw refuse(`withdrawn countries do not rejoin the same operation: ${withdrawn.map((p) => p.iso).join(', ')}`);
  if (present.length) throw refuse(`already taking part: ${present.map((p) => p.iso).join(', ')}`);
}

export function checkWithdraw(state: OperationState, iso: string): void {
  checkActive(state, 'withdraw a country');
  const country = state.countries[iso];
  if (!country || country.status === 'withdrawn') throw refuse(`${iso} is not taking part`);
}

export function newProgress(p: Participant, launched: boolean): CountryProgress {
  return {
    iso: p.iso,
    region: p.region,
    status: launched ? 'invited' : 'planned',
    ready: false,
    late: false,
    reports: 0,
    counts: {},
    finalReport: false,
    lastReportAt: null,
    ended: false,
  };
}

export function computeTotals(countries: CountryProgress[]): Totals {
  const results = Object.fromEntries(RESULT_KINDS.map((k) => [k, 0])) as Record<ResultKind, number>;
  const totals: Totals = { invited: 0, ready: 0, notReady: 0, reporting: 0, finalReports: 0, withdrawn: 0, results, byRegion: {} };
  for (const c of countries) {
    if (c.status === 'withdrawn') {
      totals.withdrawn++;
      continue;
    }
    const region = (totals.byRegion[c.region] ??= { invited: 0, ready: 0, reporting: 0, finalReports: 0 });
    totals.invited++;
    region.invited++;
    if (c.ready) {
      totals.ready++;
      region.ready++;
    } else totals.notReady++;
    if (c.reports > 0) {
      totals.reporting++;
      region.reporting++;
    }
    if (c.finalReport) {
      totals.finalReports++;
      region.finalReports++;
    }
    for (const [kind, n] of Object.entries(c.counts)) results[kind as ResultKind] += n ?? 0;
  }
  return totals;
}

export function operationSnapshot(input: { id: string; name: string; objective: string; categories: string[]; exercise: boolean; lead: { sub: string } }, state: OperationState, now: number): OperationSnapshot {
  const countries = Object.values(state.countries).sort((a, b) => a.iso.localeCompare(b.iso));
  const upcoming = INSTANT_ORDER.find((k) => ms(state.instants[k]) > now && !FINISHED_PHASES.includes(state.phase));
  return {
    id: input.id,
    name: input.name,
    objective: input.objective,
    categories: input.categories,
    phase: state.phase,
    exercise: input.exercise,
    lead: input.lead.sub,
    instants: state.instants,
    nextDeadline: upcoming && state.phase !== 'planning' ? { name: upcoming, at: state.instants[upcoming] } : null,
    countries: countries.map((c) => ({ iso: c.iso, region: c.region, status: c.status, ready: c.ready, late: c.late, reports: c.reports, lastReportAt: c.lastReportAt })),
    lateCountries: countries.filter((c) => c.late && c.status !== 'withdrawn').map((c) => c.iso),
    totals: computeTotals(countries),
    launchedAt: state.launchedAt,
    abortReason: state.abortReason,
    runs: state.runs,
  };
}

/** Earlier reports the live state no longer holds, then the ones it does (by sequence number). */
export function mergeReports(older: CountrySnapshot['reports'] | null | undefined, newer: CountrySnapshot['reports']): CountrySnapshot['reports'] {
  const seqs = new Set(newer.map((r) => r.seq));
  return [...(older ?? []).filter((r) => !seqs.has(r.seq)), ...newer];
}
