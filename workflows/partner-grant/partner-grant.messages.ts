import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Stamped } from '../common/commands';
import type { FeedbackOutcome } from '../common/deconfliction';
import type { Actor, Indicator } from '../common/domain';
import { TLP_MARKINGS, Tlp } from '../dissemination/dissemination.messages';
import type { ResultCounts } from '../operation/operation.messages';

// Messages of `partner-grant/<id>` (`PG-…`): one time-boxed grant of one operation or one
// intelligence item to a partner organisation. Shared by the workflow, the API and the tests.

export const partnerGrantWorkflowId = (id: string) => `partner-grant/${id}`;

export const GRANT_OBJECT_TYPES = ['operation', 'intel'] as const;
export type GrantObjectType = (typeof GRANT_OBJECT_TYPES)[number];
export const GRANT_STATUSES = ['active', 'expired', 'revoked'] as const;
export type GrantStatus = (typeof GRANT_STATUSES)[number];

/** Results and feedback one grant takes: each is carried by the workflow, so its history stays small. */
export const MAX_GRANT_CONTRIBUTIONS = 50;

/** Refusals of updates (API 409), as an ApplicationFailure type. */
export const INVALID_GRANT_CHANGE = 'InvalidGrantChange';

/** TLP 2.0 markings from least to most restricted (TLP_MARKINGS is in that order). */
export const tlpRank = (tlp: Tlp): number => TLP_MARKINGS.indexOf(tlp);

/**
 * The ceiling rule (DESIGN.md's TLP rules applied to partners), in one place:
 * - the ceiling is never above the item's marking (`ceiling_above_item`);
 * - TLP:RED only to named individuals: a RED ceiling needs the partner subs it names (`red_unnamed`);
 * - TLP:AMBER+STRICT allows no onward dissemination without the originator's approval, so only
 *   the item's originator may open it to a partner (`strict_not_originator`).
 * A partner reads the item's content only when the item's marking is at or below the ceiling;
 * a grant below the marking shows the item's metadata, never its content.
 */
export function ceilingProblem(args: { ceiling: Tlp; namedSubs: readonly string[]; itemTlp?: Tlp; granterIsOriginator?: boolean }): string | null {
  if (args.itemTlp && tlpRank(args.ceiling) > tlpRank(args.itemTlp)) return `ceiling ${args.ceiling} is above the item's marking ${args.itemTlp}`;
  if (args.ceiling === 'TLP:RED' && args.namedSubs.length === 0) return 'a TLP:RED ceiling needs the partner individuals it is for (namedSubs)';
  if (args.ceiling === 'TLP:AMBER+STRICT' && args.itemTlp === 'TLP:AMBER+STRICT' && !args.granterIsOriginator) {
    return 'TLP:AMBER+STRICT content goes to a partner only from its originator (no onward dissemination without approval)';
  }
  return null;
}

/** Whether a partner reads the content of an item marked `itemTlp` under a grant's ceiling. */
export const contentWithinCeiling = (itemTlp: Tlp, ceiling: Tlp) => tlpRank(itemTlp) <= tlpRank(ceiling);

export interface PartnerGrantInput {
  id: string;
  org: string;
  objectType: GrantObjectType;
  objectId: string;
  /** For the read model and the reminder: the operation's name or the item's id, never content. */
  objectLabel: string;
  tlpCeiling: Tlp;
  /** Partner individuals (token subs) the grant is limited to; empty = the whole organisation. */
  namedSubs: string[];
  purpose: string;
  endsAt: string;
  /** When the granter is reminded that access is about to end. */
  remindAt: string;
  grantedBy: Actor;
  /** Hash of the request when started with an Idempotency-Key: a retry with another body is refused. */
  requestHash?: string;
}

export interface GrantContribution {
  seq: number;
  kind: 'results' | 'feedback';
  by: string;
  at: string;
  counts?: ResultCounts;
  notes?: string | null;
  indicators?: number;
  outcome?: FeedbackOutcome;
  note?: string;
}

export interface PartnerGrantSnapshot {
  id: string;
  org: string;
  objectType: GrantObjectType;
  objectId: string;
  objectLabel: string;
  tlpCeiling: Tlp;
  namedSubs: string[];
  purpose: string;
  endsAt: string;
  remindAt: string;
  grantedBy: string;
  grantedByRole: string;
  status: GrantStatus;
  remindedAt: string | null;
  endedAt: string | null;
  revokedBy: string | null;
  revokeReason: string | null;
  contributions: GrantContribution[];
  requestHash: string | null;
}

export interface RevokeGrantCommand extends Stamped {
  actor: Actor;
  reason: string;
}

export interface PartnerResultsCommand extends Stamped {
  actor: Actor;
  counts: ResultCounts;
  notes?: string;
  /** Normalised by the API; they go to the deconfliction index with the projection. */
  indicators: Indicator[];
}

export interface PartnerFeedbackCommand extends Stamped {
  actor: Actor;
  outcome: FeedbackOutcome;
  note: string;
}

export const getPartnerGrantQuery = defineQuery<PartnerGrantSnapshot>('getPartnerGrant');
/** Answers once the grant is in the read model (the API's create waits for it). */
export const grantCreatedUpdate = defineUpdate<PartnerGrantSnapshot>('grantCreated');
export const revokeGrantUpdate = defineUpdate<PartnerGrantSnapshot, [RevokeGrantCommand]>('revokeGrant');
export const partnerResultsUpdate = defineUpdate<PartnerGrantSnapshot, [PartnerResultsCommand]>('partnerResults');
export const partnerFeedbackUpdate = defineUpdate<PartnerGrantSnapshot, [PartnerFeedbackCommand]>('partnerFeedback');

/** The workflow's signature: clients (the API) start it by this type, never by its implementation. */
export type PartnerGrantWorkflow = (input: PartnerGrantInput) => Promise<{ status: GrantStatus }>;
