import { allHandlersFinished, ApplicationFailure, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { dataActivities } from '../common/activity-stubs';
import { checkNotExpired } from '../common/commands';
import type { Actor } from '../common/domain';
import {
  GrantContribution,
  GrantStatus,
  getPartnerGrantQuery,
  grantCreatedUpdate,
  INVALID_GRANT_CHANGE,
  MAX_GRANT_CONTRIBUTIONS,
  partnerFeedbackUpdate,
  PartnerGrantSnapshot,
  partnerResultsUpdate,
  revokeGrantUpdate,
  type PartnerGrantWorkflow,
} from './partner-grant.messages';

const SYSTEM: Actor = { sub: 'system', role: 'supervisor' };

/**
 * One partner grant: projected when made, the granter reminded before the end date (an outbox
 * row, never a wait on delivery), access ended at the end date by a timer with nobody acting,
 * or at once by a revocation. Each step is projected before the change answers, so the read
 * model the API checks on every partner request never lags a revocation.
 *
 * No continue-as-new: the history is the start, one projection per step, two timers and at most
 * MAX_GRANT_CONTRIBUTIONS updates (a few hundred events).
 */
export const partnerGrantWorkflow: PartnerGrantWorkflow = async (input) => {
  const { workflowId } = workflowInfo();
  const endsAt = Date.parse(input.endsAt);
  let status: GrantStatus = 'active';
  let step = 0;
  let recorded = false;
  let remindedAt: string | null = null;
  let endedAt: string | null = null;
  let revokedBy: string | null = null;
  let revokeReason: string | null = null;
  const contributions: GrantContribution[] = [];

  const snapshot = (): PartnerGrantSnapshot => ({
    id: input.id,
    org: input.org,
    objectType: input.objectType,
    objectId: input.objectId,
    objectLabel: input.objectLabel,
    tlpCeiling: input.tlpCeiling,
    namedSubs: input.namedSubs,
    purpose: input.purpose,
    endsAt: input.endsAt,
    remindAt: input.remindAt,
    grantedBy: input.grantedBy.sub,
    grantedByRole: input.grantedBy.role,
    status,
    remindedAt,
    endedAt,
    revokedBy,
    revokeReason,
    contributions: contributions.map((c) => ({ ...c })),
    requestHash: input.requestHash ?? null,
  });
  const project = (action: string, actor: Actor, data?: Record<string, unknown>) =>
    dataActivities.projectPartnerGrant({ key: `${workflowId}/${++step}`, snapshot: snapshot(), event: { action, actor, data } });
  const refuse = (message: string) => ApplicationFailure.nonRetryable(message, INVALID_GRANT_CHANGE);
  /** A partner's write: only while the grant is live, by a named individual if it names any. */
  const checkContribution = (cmd: { actor: Actor; receivedAt?: string; expiresAt?: string }) => {
    checkNotExpired(cmd, Date.now());
    if (status !== 'active') throw refuse(`grant ${input.id} is ${status}`);
    if (Date.now() >= endsAt) throw refuse(`grant ${input.id} ended at ${input.endsAt}`);
    if (contributions.length >= MAX_GRANT_CONTRIBUTIONS) throw refuse(`grant ${input.id} has taken ${MAX_GRANT_CONTRIBUTIONS} contributions, the most one grant takes`);
  };

  setHandler(getPartnerGrantQuery, snapshot);
  setHandler(grantCreatedUpdate, async () => {
    await condition(() => recorded);
    return snapshot();
  });
  setHandler(
    revokeGrantUpdate,
    async (cmd) => {
      status = 'revoked';
      endedAt = new Date().toISOString();
      revokedBy = cmd.actor.sub;
      revokeReason = cmd.reason;
      await project('revoke', cmd.actor, { reason: cmd.reason });
      return snapshot();
    },
    {
      validator: (cmd) => {
        checkNotExpired(cmd, Date.now());
        if (status !== 'active') throw refuse(`grant ${input.id} is already ${status}`);
      },
    },
  );
  setHandler(
    partnerResultsUpdate,
    async (cmd) => {
      contributions.push({ seq: contributions.length + 1, kind: 'results', by: cmd.actor.sub, at: new Date().toISOString(), counts: cmd.counts, notes: cmd.notes ?? null, indicators: cmd.indicators.length });
      // The indicators go to the deconfliction index with this projection (one activity, as operation results do).
      await project('results', cmd.actor, { counts: cmd.counts, indicators: cmd.indicators });
      return snapshot();
    },
    {
      validator: (cmd) => {
        checkContribution(cmd);
        if (input.objectType !== 'operation') throw refuse(`grant ${input.id} is for an intelligence item; results go to operation grants`);
      },
    },
  );
  setHandler(
    partnerFeedbackUpdate,
    async (cmd) => {
      contributions.push({ seq: contributions.length + 1, kind: 'feedback', by: cmd.actor.sub, at: new Date().toISOString(), outcome: cmd.outcome, note: cmd.note });
      await project('feedback', cmd.actor, { outcome: cmd.outcome });
      return snapshot();
    },
    { validator: checkContribution },
  );

  await project('grant', input.grantedBy, { org: input.org, objectType: input.objectType, objectId: input.objectId, tlpCeiling: input.tlpCeiling, endsAt: input.endsAt });
  recorded = true;

  const remindAt = Date.parse(input.remindAt);
  if (remindAt > Date.now()) await condition(() => status !== 'active', remindAt - Date.now());
  if (status === 'active' && Date.now() < endsAt) {
    remindedAt = new Date().toISOString();
    // The projection puts the reminder in the outbox in the same transaction.
    await project('remind', SYSTEM);
  }
  if (status === 'active' && endsAt > Date.now()) await condition(() => status !== 'active', endsAt - Date.now());
  if (status === 'active') {
    status = 'expired';
    endedAt = new Date().toISOString();
    await project('expire', SYSTEM);
  }
  await condition(allHandlersFinished);
  return { status };
};
