import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { FeedbackOutcome } from '../common/deconfliction';
import type { Actor, ContactPoint, Priority, Region } from '../common/domain';

// Messages of `dissemination/<id>` and its children `dissemination/<id>/recipient/<ISO>`:
// shared by the workflows, the API and tests.

export const TLP_MARKINGS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'] as const;
export type Tlp = (typeof TLP_MARKINGS)[number];
/** Widening these audiences needs the originator's approval. */
export const APPROVAL_MARKINGS: readonly Tlp[] = ['TLP:AMBER+STRICT', 'TLP:RED'];

export const SOURCE_KINDS = ['law_enforcement', 'private_sector', 'academia', 'cert', 'open_source'] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
/** Admiralty scale: source reliability A (reliable) … F (cannot be judged); credibility 1 … 6. */
export const RELIABILITY = ['A', 'B', 'C', 'D', 'E', 'F'] as const;
export type Reliability = (typeof RELIABILITY)[number];

export const INTEL_STATUSES = ['received', 'duplicate', 'awaiting_grading'] as const;
export type IntelStatus = (typeof INTEL_STATUSES)[number];

export const DISSEMINATION_STATUSES = ['pending_approval', 'refused', 'active', 'completed', 'recalled'] as const;
export type DisseminationStatus = (typeof DISSEMINATION_STATUSES)[number];

export const RECIPIENT_STATUSES = ['pending', 'delivered', 'acknowledged', 'feedback', 'overdue', 'recalled'] as const;
export type RecipientStatus = (typeof RECIPIENT_STATUSES)[number];

export const disseminationWorkflowId = (id: string) => `dissemination/${id}`;
export const recipientWorkflowId = (id: string, iso: string) => `dissemination/${id}/recipient/${iso}`;

/** The longest contact chain an admin may set; a recipient's ladder has this many chain levels. */
export const MAX_CHAIN_RANK = 5;

/** Refusals of updates (API 409), as an ApplicationFailure type. */
export const INVALID_DISSEMINATION_CHANGE = 'InvalidDisseminationChange';

export interface DisseminationPolicy {
  /** The priority's `acknowledge` SLA: wait at each contact before climbing. */
  ackMs: number;
  /** A reminder goes out when no feedback came this long after delivery. */
  feedbackReminderMs: number;
  /** The originator's approval of a widened RED / AMBER+STRICT audience must come within this. */
  approvalMs: number;
  /** How long a finished dissemination stays recallable before its workflow ends. */
  retentionMs: number;
}

export interface RecipientSpec {
  iso: string;
  region: Region;
  /** TLP:RED: only these named contacts receive it; the chain and the regional officer never do. */
  named?: ContactPoint[];
}

export interface Approval {
  required: boolean;
  originatorSub: string;
  decision: 'pending' | 'approved' | 'refused' | 'expired' | null;
  by: string | null;
  at: string | null;
  deadline: string | null;
  note: string | null;
}

export interface FeedbackRecord {
  outcome: FeedbackOutcome;
  note: string;
  by: string;
  at: string;
}

/** A recipient's standing as its workflow tells the parent (absolute, so a repeat changes nothing). */
export interface RecipientProgress {
  iso: string;
  region: Region;
  status: RecipientStatus;
  level: number;
  levelName: string | null;
  deliveredAt: string | null;
  acknowledgedAt: string | null;
  feedback: { outcome: FeedbackOutcome; note: string } | null;
  ended: boolean;
}

export interface DisseminationTotals {
  recipients: number;
  delivered: number;
  acknowledged: number;
  feedback: number;
  overdue: number;
}

export interface DisseminationState {
  status: DisseminationStatus;
  recipients: Record<string, RecipientProgress>;
  approval: Approval;
  started: boolean;
  recall: { reason: string; by: string; at: string } | null;
  step: number;
  runs: number;
}

export interface DisseminationInput {
  id: string;
  intelId: string;
  tlp: Tlp;
  priority: Priority;
  analyst: Actor;
  recipients: RecipientSpec[];
  policy: DisseminationPolicy;
  originatorSub: string;
  approvalRequired: boolean;
  /** Continue-as-new once the history passes this many events (the server's suggestion also counts). */
  maxHistoryEvents?: number;
  /** Set by continue-as-new: the state carried over. */
  carried?: DisseminationState;
}

export interface DisseminationSnapshot {
  id: string;
  intelId: string;
  tlp: Tlp;
  priority: Priority;
  status: DisseminationStatus;
  analyst: string;
  namedAddresses: string[];
  recipients: RecipientProgress[];
  totals: DisseminationTotals;
  approval: Approval;
  recall: DisseminationState['recall'];
  runs: number;
}

export interface RecipientInput {
  disseminationId: string;
  intelId: string;
  iso: string;
  region: Region;
  tlp: Tlp;
  priority: Priority;
  policy: Pick<DisseminationPolicy, 'ackMs' | 'feedbackReminderMs'>;
  named?: ContactPoint[];
}

export const ATTEMPT_KINDS = ['intel', 'reminder', 'recall'] as const;
export type AttemptKind = (typeof ATTEMPT_KINDS)[number];

/** One delivery attempt to one contact: what the per-recipient status shows. */
export interface DeliveryAttempt {
  kind: AttemptKind;
  level: number;
  levelName: string;
  contact: string;
  /** The directory contact, so a recall notice is signed as the delivery was. */
  contactId?: string;
  channel: string;
  address: string;
  at: string;
  /** For an item or reminder: queued in the notification outbox (see `queued`), or refused at once. */
  ok: boolean;
  /** Set when `ok` means queued for the dispatcher rather than handed over (since the outbox). */
  queued?: boolean;
  error?: string;
}

export interface RecipientSnapshot extends RecipientProgress {
  disseminationId: string;
  intelId: string;
  attempts: DeliveryAttempt[];
  acknowledgedBy: string | null;
  /** First delivery plus the priority's `acknowledge` SLA: acknowledged after it is late (trends). */
  ackDueAt: string | null;
  feedbackRecord: FeedbackRecord | null;
  reminderSentAt: string | null;
  alertId: string | null;
  version: number;
}

// Parent
export const getDisseminationQuery = defineQuery<DisseminationSnapshot>('getDissemination');
/** Returns once the dissemination is recorded (first projection done): used with update-with-start. */
export const disseminationCreatedUpdate = defineUpdate<DisseminationSnapshot>('created');
export const recallUpdate = defineUpdate<DisseminationSnapshot, [{ actor: Actor; reason: string }]>('recall');
export const approvalUpdate = defineUpdate<DisseminationSnapshot, [{ actor: Actor; decision: 'approve' | 'refuse'; note?: string }]>('approval');
/** Child → parent. */
export const recipientProgressSignal = defineSignal<[RecipientProgress]>('recipientProgress');

// Child
export const getRecipientQuery = defineQuery<RecipientSnapshot>('getRecipient');
export const acknowledgeUpdate = defineUpdate<RecipientSnapshot, [{ actor: Actor }]>('acknowledge');
export const feedbackUpdate = defineUpdate<RecipientSnapshot, [{ actor: Actor; outcome: FeedbackOutcome; note: string }]>('feedback');
/** Parent → child: stop chasing, the item is withdrawn. */
export const recallRecipientSignal = defineSignal<[{ reason: string }]>('recallRecipient');

/** The workflow's signature: clients (the API) start it by this type, never by its implementation. */
export type DisseminationWorkflow = (input: DisseminationInput) => Promise<{ status: string; runs: number }>;

/** The workflow's signature: clients (the API) start it by this type, never by its implementation. */
export type DisseminationRecipientWorkflow = (input: RecipientInput) => Promise<{ status: RecipientStatus }>;
