import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { Actor, Category, Indicator, Priority, Region } from '../common/domain';
import type { ClockSnapshot, PauseReason } from '../sla/sla-clock';
import type { Stamped } from '../common/commands';
import type { LadderProgress } from '../sla/escalation';
import type { SupportRequestStateData } from './support-request.state';

// Signals, queries and updates of `support-request/<id>`: shared by the workflow, the API and tests.

export const SUPPORT_REQUEST_STATUSES = [
  'submitted',
  'triaged',
  'in_progress',
  'awaiting_requester',
  'resolved',
  'closed',
  'rejected',
  'duplicate',
  'cancelled',
] as const;
export type SupportRequestStatus = (typeof SUPPORT_REQUEST_STATUSES)[number];
export const TERMINAL_STATUSES: readonly SupportRequestStatus[] = ['closed', 'rejected', 'duplicate', 'cancelled'];

export const MODES = ['remote', 'on_site'] as const;
export type Mode = (typeof MODES)[number];

export const ACTION_KINDS = ['info_exchange', 'tele_meeting', 'advice', 'on_site_deployment'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

export const CLOCKS = ['triage', 'firstResponse', 'resolution'] as const;
export type ClockName = (typeof CLOCKS)[number];

export const supportRequestWorkflowId = (id: string) => `support-request/${id}`;

/** The SLA policy of the request's priority, copied at submission so later edits don't rewrite it. */
export interface PolicySnapshot {
  priority: Priority;
  version: number;
  triageMs: number;
  firstResponseMs: number;
  resolutionMs: number;
  warnAt: number;
  escalationStepMs: number;
  escalationLoops: number;
  ackExpiryMs: number;
  autoCloseAfterMs: number;
}

export interface SupportRequestInput {
  id: string;
  country: string;
  region: Region;
  requester: Actor;
  category: Category;
  mode: Mode;
  priority: Priority;
  title: string;
  description: string;
  indicators: Indicator[];
  relatedRefs: string[];
  onSite?: { plannedStart?: string; plannedEnd?: string; team?: string[] };
  policy: PolicySnapshot;
  /** Set when the client sent an Idempotency-Key: the key and a hash of the request body. */
  idempotency?: { key: string; requestHash: string };
  /** Continue-as-new once the history passes this many events (the server's suggestion also counts). */
  maxHistoryEvents?: number;
  /** Set by continue-as-new: the state carried over. */
  carried?: SupportRequestCarry;
}

/** What a support request carries into its next run: state, SLA clocks, open alerts, step counter. */
export interface SupportRequestCarry {
  state: SupportRequestStateData;
  step: number;
  runs: number;
  alerts: CarriedAlert[];
}

export interface CarriedAlert {
  id: string;
  kind: 'sla_warning' | 'sla_breach';
  clock: ClockName;
  acknowledged: boolean;
  ackCount: number;
  ackedAt: number | null;
  round: number;
  progress: LadderProgress;
}

export type { Deconfliction, DeconflictionHit } from '../common/deconfliction';
import type { Deconfliction } from '../common/deconfliction';

export interface SupportAction {
  seq: number;
  kind: ActionKind;
  note: string;
  startsAt?: string;
  endsAt?: string;
  team?: string[];
  by: string;
  at: string;
}

export interface InfoRequest {
  question: string;
  askedBy: string;
  askedAt: string;
  answer: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
}

export interface SupportRequestSnapshot {
  id: string;
  workflowId: string;
  status: SupportRequestStatus;
  country: string;
  region: Region;
  requester: string;
  priority: Priority;
  category: Category;
  mode: Mode;
  title: string;
  description: string;
  indicators: Indicator[];
  relatedRefs: string[];
  onSite?: SupportRequestInput['onSite'];
  assignee: string | null;
  duplicateOf: string | null;
  triageReason: string | null;
  /** The last KEPT_NOTES actions and info requests; the counts say how many there were in all. */
  actions: SupportAction[];
  actionCount?: number;
  infoRequests: InfoRequest[];
  infoRequestCount?: number;
  resolution: string | null;
  cancelReason: string | null;
  deconfliction: Deconfliction | null;
  policy: { priority: Priority; version: number; warnAt: number };
  sla: Record<ClockName, ClockSnapshot>;
  openAlerts: Array<{ id: string; kind: string; clock: ClockName; acknowledged: boolean }>;
  submittedAt: string;
  updatedAt: string;
  version: number;
  idempotency?: SupportRequestInput['idempotency'];
}

// Commands: plain objects, validated by the API before they reach the workflow.
export interface Command extends Stamped {
  actor: Actor;
}
export interface TriageCommand extends Command {
  decision: 'accept' | 'reject' | 'duplicate';
  reason?: string;
  duplicateOf?: string;
}
export interface AssignCommand extends Command {
  assignee: string;
}
export interface ActionCommand extends Command {
  kind: ActionKind;
  note: string;
  startsAt?: string;
  endsAt?: string;
  team?: string[];
}
export interface RequestInfoCommand extends Command {
  question: string;
}
export interface ProvideInfoCommand extends Command {
  answer: string;
}
export interface ResolveCommand extends Command {
  summary: string;
}
export interface ReasonCommand extends Command {
  reason: string;
}
export interface PauseCommand extends Command {
  reason: PauseReason;
}

export const getSnapshotQuery = defineQuery<SupportRequestSnapshot>('getSnapshot');
/** Returns once submission processing (deconfliction, first projection) is done. */
export const submittedUpdate = defineUpdate<SupportRequestSnapshot>('submitted');
export const triageUpdate = defineUpdate<SupportRequestSnapshot, [TriageCommand]>('triage');
export const assignUpdate = defineUpdate<SupportRequestSnapshot, [AssignCommand]>('assign');
export const addActionUpdate = defineUpdate<SupportRequestSnapshot, [ActionCommand]>('addAction');
export const requestInfoUpdate = defineUpdate<SupportRequestSnapshot, [RequestInfoCommand]>('requestInfo');
export const provideInfoUpdate = defineUpdate<SupportRequestSnapshot, [ProvideInfoCommand]>('provideInfo');
export const resolveUpdate = defineUpdate<SupportRequestSnapshot, [ResolveCommand]>('resolve');
export const closeUpdate = defineUpdate<SupportRequestSnapshot, [Command]>('close');
export const cancelUpdate = defineUpdate<SupportRequestSnapshot, [ReasonCommand]>('cancel');
export const reopenUpdate = defineUpdate<SupportRequestSnapshot, [ReasonCommand]>('reopen');
/** Pause/resume the resolution clock for reasons outside the requester (partner, legal process). */
export const pauseClockUpdate = defineUpdate<SupportRequestSnapshot, [PauseCommand]>('pauseClock');
export const resumeClockUpdate = defineUpdate<SupportRequestSnapshot, [Command]>('resumeClock');
export const acknowledgeAlertSignal = defineSignal<[{ alertId: string; by: string }]>('acknowledgeAlert');

/** Which lifecycle change each update is, for the transition table and the API. */
export const LIFECYCLE_UPDATES = {
  triage: triageUpdate,
  assign: assignUpdate,
  actions: addActionUpdate,
  'request-info': requestInfoUpdate,
  'provide-info': provideInfoUpdate,
  resolve: resolveUpdate,
  close: closeUpdate,
  cancel: cancelUpdate,
  reopen: reopenUpdate,
  'pause-clock': pauseClockUpdate,
  'resume-clock': resumeClockUpdate,
} as const;
export type LifecycleChange = keyof typeof LIFECYCLE_UPDATES;

/** The workflow's signature: clients (the API) start it by this type, never by its implementation. */
export type SupportRequestWorkflow = (input: SupportRequestInput) => Promise<{ status: string }>;
