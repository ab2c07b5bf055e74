import type { Indicator } from './domain';

// What a deconfliction answers, shared by workflows (which keep it), activities and the API.

export const SIGHTING_OBJECT_TYPES = ['support_request', 'intel', 'dissemination', 'operation_result', 'feedback'] as const;
export type SightingObjectType = (typeof SIGHTING_OBJECT_TYPES)[number];

export const FEEDBACK_OUTCOMES = ['actioned', 'no_action', 'already_known'] as const;
export type FeedbackOutcome = (typeof FEEDBACK_OUTCOMES)[number];
/** Outcomes that make later checks answer "already acted upon". */
export const ACTED_UPON: readonly FeedbackOutcome[] = ['actioned', 'already_known'];

export interface ContactRef {
  name: string;
  channel: string;
  address: string;
}

export interface DeconflictionHit {
  indicator: Indicator;
  objectType: SightingObjectType;
  objectId: string;
  country: string | null;
  /** Whom to call about the overlap: the owning country's primary contact. */
  contact: ContactRef | null;
}

/** A recipient's feedback said it acted on (or already knew) this indicator. */
export interface ActedUpon {
  indicator: Indicator;
  outcome: FeedbackOutcome;
  country: string | null;
  contact: ContactRef | null;
}

export interface Deconfliction {
  hit: boolean;
  hits: DeconflictionHit[];
  checkedAt: string;
  /** Absent in results recorded before feedback outcomes were indexed. */
  alreadyActedUpon?: boolean;
  actedUpon?: ActedUpon[];
}
