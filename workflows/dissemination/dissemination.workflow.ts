import { dataActivities } from '../common/activity-stubs';
import { allHandlersFinished, condition, continueAsNew, log, proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../../activities';
import { ApplicationFailure } from '@temporalio/common';
import type { Actor } from '../common/domain';
import { SA_PRIORITY, SA_STATUS } from '../common/search-attributes';
import {
  approvalUpdate,
  DisseminationSnapshot,
  DisseminationState,
  DisseminationTotals,
  disseminationCreatedUpdate,
  getDisseminationQuery,
  INVALID_DISSEMINATION_CHANGE,
  recallUpdate,
  RecipientProgress,
  recipientProgressSignal,
  type DisseminationWorkflow,
} from './dissemination.messages';

const SYSTEM: Actor = { sub: 'system', role: 'supervisor' };
/** Read-model writes of recipients' progress are batched into one projection per this interval. */
const PROJECTION_DEBOUNCE_MS = 1_000;
const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

/** Asking the originator is retried a little; an ask that cannot be delivered must not hold the dissemination. */
const asking = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '30s', maximumAttempts: 5, nonRetryableErrorTypes: ['NonRetryableDeliveryError'] },
});

const refuse = (message: string) => ApplicationFailure.nonRetryable(message, INVALID_DISSEMINATION_CHANGE);

export function totalsOf(recipients: Record<string, RecipientProgress>): DisseminationTotals {
  const rows = Object.values(recipients);
  return {
    recipients: rows.length,
    delivered: rows.filter((r) => r.deliveredAt !== null).length,
    acknowledged: rows.filter((r) => r.acknowledgedAt !== null).length,
    feedback: rows.filter((r) => r.feedback !== null).length,
    overdue: rows.filter((r) => r.status === 'overdue').length,
  };
}

/**
 * One dissemination of an intelligence item: the originator's approval where the TLP needs it,
 * one child per recipient country (started from an activity, so 196 start in parallel), live
 * totals from the children's progress signals, recall. Continues as new before its history grows.
 */
export const disseminationWorkflow: DisseminationWorkflow = async (input) => {
  const { workflowId } = workflowInfo();
  const state: DisseminationState = input.carried ?? {
    status: input.approvalRequired ? 'pending_approval' : 'active',
    recipients: Object.fromEntries(
      input.recipients.map((r) => [
        r.iso,
        { iso: r.iso, region: r.region, status: 'pending', level: 0, levelName: null, deliveredAt: null, acknowledgedAt: null, feedback: null, ended: false } satisfies RecipientProgress,
      ]),
    ),
    approval: {
      required: input.approvalRequired,
      originatorSub: input.originatorSub,
      decision: input.approvalRequired ? 'pending' : null,
      by: null,
      at: null,
      deadline: input.approvalRequired ? new Date(Date.now() + input.policy.approvalMs).toISOString() : null,
      note: null,
    },
    started: false,
    recall: null,
    step: 0,
    runs: 0,
  };
  let version = 0;
  let projectedVersion = -1;
  let recorded = input.carried !== undefined;
  const touch = () => version++;

  const snapshot = (): DisseminationSnapshot => ({
    id: input.id,
    intelId: input.intelId,
    tlp: input.tlp,
    priority: input.priority,
    status: state.status,
    analyst: input.analyst.sub,
    namedAddresses: input.recipients.flatMap((r) => (r.named ?? []).map((c) => c.address)),
    recipients: Object.values(state.recipients),
    totals: totalsOf(state.recipients),
    approval: state.approval,
    recall: state.recall,
    runs: state.runs,
  });

  const record = async (action: string, actor: Actor, data?: Record<string, unknown>): Promise<void> => {
    projectedVersion = version;
    await dataActivities.projectDissemination({ key: `${workflowId}/${++state.step}`, snapshot: snapshot(), event: { action, actor, data } });
  };
  const setStatus = (status: DisseminationState['status']) => {
    state.status = status;
    upsertSearchAttributes([{ key: SA_STATUS, value: status }]);
    touch();
  };

  setHandler(getDisseminationQuery, snapshot);
  setHandler(disseminationCreatedUpdate, async () => {
    await condition(() => recorded);
    return snapshot();
  });
  setHandler(
    approvalUpdate,
    async ({ actor, decision, note }) => {
      state.approval = { ...state.approval, decision: decision === 'approve' ? 'approved' : 'refused', by: actor.sub, at: new Date().toISOString(), note: note ?? null };
      setStatus(decision === 'approve' ? 'active' : 'refused');
      await record(`approval.${decision}`, actor, { note: note ?? null });
      return snapshot();
    },
    {
      validator: ({ actor }) => {
        if (state.status !== 'pending_approval') throw refuse(`no approval is pending (the dissemination is ${state.status})`);
        if (actor.sub !== state.approval.originatorSub) throw refuse('only the originator decides on widening the audience');
      },
    },
  );
  setHandler(
    recallUpdate,
    async ({ actor, reason }) => {
      state.recall = { reason, by: actor.sub, at: new Date().toISOString() };
      setStatus('recalled');
      // The read model answers 410 from here on; recipients are told from the main loop.
      await record('recall', actor, { reason });
      return snapshot();
    },
    {
      validator: (_cmd) => {
        if (state.status === 'recalled') throw refuse('the dissemination was already recalled');
        if (state.status === 'refused') throw refuse('the dissemination was refused; nothing was sent');
      },
    },
  );
  setHandler(recipientProgressSignal, (progress) => {
    if (!state.recipients[progress.iso]) return;
    state.recipients[progress.iso] = progress;
    touch();
  });

  if (!input.carried) {
    upsertSearchAttributes([
      { key: SA_STATUS, value: state.status },
      { key: SA_PRIORITY, value: input.priority },
    ]);
    await record('create', input.analyst, { recipients: input.recipients.map((r) => r.iso), approvalRequired: input.approvalRequired });
  }
  recorded = true;

  if (state.status === 'pending_approval') {
    // Asked off the update path: the ask must not hold the approval clock.
    const ask = asking
      .askApproval({ key: `${workflowId}/approval`, disseminationId: input.id, intelId: input.intelId, originatorSub: input.originatorSub, deadline: state.approval.deadline! })
      .catch((error) => log.warn('the approval request could not be delivered', { error: String(error) }));
    const deadlineMs = new Date(state.approval.deadline!).getTime() - Date.now();
    const decided = await condition(() => state.status !== 'pending_approval', Math.max(1, deadlineMs));
    if (!decided) {
      // No answer = no.
      state.approval = { ...state.approval, decision: 'expired', at: new Date().toISOString() };
      setStatus('refused');
      await record('approval.expired', SYSTEM);
    }
    await ask;
  }

  if (state.status === 'active' && !state.started) {
    await dataActivities.startRecipientWorkflows({
      inputs: input.recipients.map((r) => ({
        disseminationId: input.id,
        intelId: input.intelId,
        iso: r.iso,
        region: r.region,
        tlp: input.tlp,
        priority: input.priority,
        policy: { ackMs: input.policy.ackMs, feedbackReminderMs: input.policy.feedbackReminderMs },
        named: r.named,
      })),
    });
    state.started = true;
    touch();
  }

  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const allEnded = () => Object.values(state.recipients).every((r) => r.ended);
  let completedAt: number | null = null;
  while (state.status === 'active' || state.status === 'completed') {
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > maxEvents) {
      while (!allHandlersFinished() || projectedVersion !== version) {
        await condition(allHandlersFinished);
        if (projectedVersion !== version) await record('progress', SYSTEM);
      }
      await continueAsNew<typeof disseminationWorkflow>({ ...input, carried: { ...state, runs: state.runs + 1 } });
    }
    if (state.status === 'active' && allEnded()) {
      setStatus('completed');
      await record('complete', SYSTEM);
      completedAt = Date.now();
      continue;
    }
    const seen = version;
    if (projectedVersion !== version) {
      // Batch what arrives within the debounce.
      await condition(() => version !== seen && projectedVersion === version, PROJECTION_DEBOUNCE_MS);
      if (projectedVersion !== version) await record('progress', SYSTEM);
    } else if (state.status === 'completed') {
      // Kept recallable for the retention period, then the workflow ends.
      const left = (completedAt ?? Date.now()) + input.policy.retentionMs - Date.now();
      if (!(await condition(() => version !== seen, Math.max(1, left)))) break;
    } else {
      await condition(() => version !== seen);
    }
  }

  if (state.status === 'recalled' && state.started) {
    // Running recipients stop chasing; everyone who received it is told it is withdrawn.
    const isos = Object.keys(state.recipients);
    await dataActivities.signalRecipientWorkflows({ disseminationId: input.id, isos, reason: state.recall?.reason ?? 'recalled' });
    await dataActivities.notifyRecall({ key: `${workflowId}/recall`, disseminationId: input.id, intelId: input.intelId, isos, reason: state.recall?.reason ?? '' });
    // Children's last progress (recalled) arrives for a short while; project what came.
    await condition(allEnded, PROJECTION_DEBOUNCE_MS * 5);
  }
  if (projectedVersion !== version) await record('progress', SYSTEM);
  await condition(allHandlersFinished);
  return { status: state.status, runs: state.runs };
};
