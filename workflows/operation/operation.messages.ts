import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, Indicator, Region } from '../common/domain';
import type { Stamped } from '../common/commands';
import type { LadderProgress } from '../sla/escalation';

// Messages of `operation/<id>` and its children `operation/<id>/country/<ISO>`: shared by the
// workflows, the API and tests.

export const PHASES = ['planning', 'preparation', 'action', 'debrief', 'closed', 'aborted'] as const;
export type Phase = (typeof PHASES)[number];
export const FINISHED_PHASES: readonly Phase[] = ['closed', 'aborted'];

export const RESULT_KINDS = [
  'arrests',
  'servers_seized',
  'domains_taken_down',
  'botnet_nodes_sinkholed',
  'victims_notified',
  'funds_frozen_usd',
  'other',
] as const;
export type ResultKind = (typeof RESULT_KINDS)[number];
export type ResultCounts = Partial<Record<ResultKind, number>>;

export const COUNTRY_STATUSES = ['planned', 'invited', 'ready', 'not_ready', 'reporting', 'final', 'withdrawn', 'aborted'] as const;
export type CountryStatus = (typeof COUNTRY_STATUSES)[number];

export const operationWorkflowId = (id: string) => `operation/${id}`;
export const countryWorkflowId = (id: string, iso: string) => `operation/${id}/country/${iso}`;

export interface Instants {
  readinessDeadline: string;
  actionStart: string;
  actionEnd: string;
  debriefDeadline: string;
}

/** Escalation timing for missed deadlines; exercise mode scales it down. */
export interface OperationEscalation {
  stepMs: number;
  loops: number;
  ackExpiryMs: number;
}

export interface Participant {
  iso: string;
  region: Region;
}

export interface OperationInput {
  id: string;
  name: string;
  objective: string;
  categories: string[];
  participants: Participant[];
  instants: Instants;
  lead: Actor;
  exercise: boolean;
  escalation: OperationEscalation;
  /** Continue-as-new once the history passes this many events (the server's suggestion also counts). */
  maxHistoryEvents?: number;
  /** Set by continue-as-new: the state carried over. */
  carried?: OperationState;
}

export interface CountryProgress {
  iso: string;
  region: Region;
  status: CountryStatus;
  ready: boolean;
  late: boolean;
  reports: number;
  counts: ResultCounts;
  finalReport: boolean;
  lastReportAt: string | null;
  ended: boolean;
}

export interface OperationState {
  phase: Phase;
  instants: Instants;
  countries: Record<string, CountryProgress>;
  launchedAt: string | null;
  abortReason: string | null;
  step: number;
  runs: number;
}

export interface Totals {
  invited: number;
  ready: number;
  notReady: number;
  reporting: number;
  finalReports: number;
  withdrawn: number;
  results: Record<ResultKind, number>;
  byRegion: Record<string, { invited: number; ready: number; reporting: number; finalReports: number }>;
}

export interface OperationSnapshot {
  id: string;
  name: string;
  objective: string;
  categories: string[];
  phase: Phase;
  exercise: boolean;
  lead: string;
  instants: Instants;
  nextDeadline: { name: keyof Instants; at: string } | null;
  countries: Array<{ iso: string; region: Region; status: CountryStatus; ready: boolean; late: boolean; reports: number; lastReportAt: string | null }>;
  lateCountries: string[];
  totals: Totals;
  launchedAt: string | null;
  abortReason: string | null;
  runs: number;
}

export interface CountryInput {
  operationId: string;
  iso: string;
  region: Region;
  phase: Phase;
  instants: Instants;
  joinedAt: string;
  exercise: boolean;
  escalation: OperationEscalation;
  operationName: string;
  /** Continue-as-new once the history passes this many events (the server's suggestion also counts). */
  maxHistoryEvents?: number;
  /** Set by continue-as-new: the state carried over. */
  carried?: CountryCarry;
}

/** What a country workflow carries into its next run. */
export interface CountryCarry {
  aborted: boolean;
  abortReason: string | null;
  instants: Instants;
  status: CountryStatus;
  withdrawn: boolean;
  ready: boolean;
  late: boolean;
  pointOfContact: string | null;
  teamSize: number | null;
  reports: CountrySnapshot['reports'];
  reportCount: number;
  counts: ResultCounts;
  finalReport: CountrySnapshot['finalReport'];
  version: number;
  step: number;
  runs: number;
  alerts: Array<{ id: string; kind: 'readiness' | 'final_report'; acknowledged: boolean; resolved: boolean; progress: LadderProgress }>;
}

export interface ReadinessCommand extends Stamped {
  actor: Actor;
  ready: boolean;
  pointOfContact: string;
  teamSize: number;
}
export interface ResultsCommand extends Stamped {
  actor: Actor;
  counts: ResultCounts;
  notes?: string;
  /** Normalised by the API; recorded in the deconfliction index. */
  indicators?: Indicator[];
}
export interface FinalReportCommand extends Stamped {
  actor: Actor;
  summary: string;
  counts?: ResultCounts;
}

export interface CountrySnapshot {
  operationId: string;
  iso: string;
  region: Region;
  phase: Phase;
  status: CountryStatus;
  ready: boolean;
  late: boolean;
  pointOfContact: string | null;
  teamSize: number | null;
  /** The last KEPT_REPORTS reports; reportCount says how many there were in all. */
  reports: Array<{ seq: number; counts: ResultCounts; notes: string | null; by: string; at: string }>;
  reportCount?: number;
  counts: ResultCounts;
  finalReport: { summary: string; by: string; at: string } | null;
  openAlerts: Array<{ id: string; kind: string; acknowledged: boolean }>;
}

// Parent: queries and steering updates.
export const getOperationQuery = defineQuery<OperationSnapshot>('getOperation');
/** Returns once the operation is recorded (first projection done): used with update-with-start. */
export const operationCreatedUpdate = defineUpdate<OperationSnapshot>('created');
export const launchUpdate = defineUpdate<OperationSnapshot, [{ actor: Actor } & Stamped]>('launch');
export const addCountriesUpdate = defineUpdate<OperationSnapshot, [{ actor: Actor; participants: Participant[] } & Stamped]>('addCountries');
export const withdrawUpdate = defineUpdate<OperationSnapshot, [{ actor: Actor; iso: string } & Stamped]>('withdraw');
export const extendUpdate = defineUpdate<OperationSnapshot, [{ actor: Actor; instants: Partial<Instants> } & Stamped]>('extend');
export const abortUpdate = defineUpdate<OperationSnapshot, [{ actor: Actor; reason: string } & Stamped]>('abort');
/** Child → parent: the country's current standing (absolute, so a repeat changes nothing). */
export const countryProgressSignal = defineSignal<[CountryProgress]>('countryProgress');

// Child: participation updates and signals from the parent.
export const getCountryQuery = defineQuery<CountrySnapshot>('getCountry');
export const readinessUpdate = defineUpdate<CountrySnapshot, [ReadinessCommand]>('readiness');
export const resultsUpdate = defineUpdate<CountrySnapshot, [ResultsCommand]>('results');
export const finalReportUpdate = defineUpdate<CountrySnapshot, [FinalReportCommand]>('finalReport');
export const operationChangedSignal = defineSignal<[{ phase: Phase; instants: Instants; reason?: string }]>('operationChanged');
export const withdrawCountrySignal = defineSignal<[{ by: string }]>('withdrawCountry');

/** The workflow's signature: clients (the API) start it by this type, never by its implementation. */
export type OperationWorkflow = (input: OperationInput) => Promise<{ phase: string; runs: number }>;

/** The workflow's signature: clients (the API) start it by this type, never by its implementation. */
export type OperationCountryWorkflow = (input: CountryInput) => Promise<{ status: CountryStatus }>;

/** Failure type of a participation change the country's workflow refuses (the API answers 409/422). */
export const INVALID_PARTICIPATION = 'InvalidParticipation';
