import { dataActivities, escalateAlert } from '../common/activity-stubs';
import { allHandlersFinished, condition, getExternalWorkflowHandle, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../activities';
import type { EscalationTarget } from '../common/alerts';
import type { Actor } from '../common/domain';
import { LadderLevel, LadderPlan, NotifyResult, walkLadder } from '../sla/escalation';
import { acknowledgeAlertSignal } from '../support-request/support-request.messages';
import {
  acknowledgeUpdate,
  AttemptKind,
  DeliveryAttempt,
  disseminationWorkflowId,
  feedbackUpdate,
  FeedbackRecord,
  getRecipientQuery,
  INVALID_DISSEMINATION_CHANGE,
  recallRecipientSignal,
  RecipientProgress,
  recipientProgressSignal,
  RecipientSnapshot,
  RecipientStatus,
  MAX_CHAIN_RANK,
  type DisseminationRecipientWorkflow,
} from './dissemination.messages';

const SYSTEM: Actor = { sub: 'system', role: 'supervisor' };

const refuse = (message: string) => ApplicationFailure.nonRetryable(message, INVALID_DISSEMINATION_CHANGE);

/**
 * Delivery of intelligence is retried briefly: a contact that stays unreachable is recorded as a
 * failed attempt and the ladder climbs on its deadline, instead of retrying for a day.
 */
const delivery = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '10s', maximumAttempts: 4 },
});

/** One recipient country of a dissemination: deliver, chase acknowledgement, take feedback. */
export const disseminationRecipientWorkflow: DisseminationRecipientWorkflow = async (input) => {
  const { workflowId } = workflowInfo();
  let status: RecipientStatus = 'pending';
  let level = 0;
  let levelName: string | null = null;
  let deliveredAt: string | null = null;
  let acknowledgedAt: string | null = null;
  let acknowledgedBy: string | null = null;
  let feedback: FeedbackRecord | null = null;
  let reminderSentAt: string | null = null;
  let recalled = false;
  let alertId: string | null = null;
  const attempts: DeliveryAttempt[] = [];
  let version = 0;
  let step = 0;
  let ended = false;

  const snapshot = (): RecipientSnapshot => ({
    disseminationId: input.disseminationId,
    intelId: input.intelId,
    iso: input.iso,
    region: input.region,
    status,
    level,
    levelName,
    deliveredAt,
    acknowledgedAt,
    acknowledgedBy,
    // Derived (no new command), so running workflows replay unchanged.
    ackDueAt: deliveredAt ? new Date(Date.parse(deliveredAt) + input.policy.ackMs).toISOString() : null,
    feedback: feedback ? { outcome: feedback.outcome, note: feedback.note } : null,
    feedbackRecord: feedback,
    attempts,
    reminderSentAt,
    alertId,
    ended,
    version,
  });

  // Projections and progress signals go out one at a time, in change order.
  let outbox: Promise<void> = Promise.resolve();
  const publish = (action: string, actor: Actor): Promise<void> => {
    version++;
    const view = snapshot();
    const key = `${workflowId}/${++step}`;
    outbox = outbox.then(async () => {
      await dataActivities.projectDisseminationRecipient({ key, snapshot: view, event: { action, actor } });
      await tellParent({
        iso: view.iso,
        region: view.region,
        status: view.status,
        level: view.level,
        levelName: view.levelName,
        deliveredAt: view.deliveredAt,
        acknowledgedAt: view.acknowledgedAt,
        feedback: view.feedback,
        ended: view.ended,
      });
    });
    return outbox;
  };

  /** The parent ends some time after a recall; a late progress signal then has nobody to reach. */
  const tellParent = async (progress: RecipientProgress): Promise<void> => {
    try {
      await getExternalWorkflowHandle(disseminationWorkflowId(input.disseminationId)).signal(recipientProgressSignal, progress);
    } catch (error) {
      log.info('dissemination workflow no longer takes progress', { error: String(error) });
    }
  };

  setHandler(getRecipientQuery, snapshot);
  setHandler(
    acknowledgeUpdate,
    async ({ actor }) => {
      // A repeated acknowledgement changes nothing and answers the current state.
      if (acknowledgedAt !== null) return snapshot();
      acknowledgedAt = new Date().toISOString();
      acknowledgedBy = actor.sub;
      status = 'acknowledged';
      await publish('acknowledge', actor);
      return snapshot();
    },
    {
      validator: (_cmd) => {
        if (recalled) throw refuse('the dissemination was recalled');
      },
    },
  );
  setHandler(
    feedbackUpdate,
    async ({ actor, outcome, note }) => {
      const at = new Date().toISOString();
      feedback = { outcome, note, by: actor.sub, at };
      // Feedback also acknowledges.
      if (acknowledgedAt === null) {
        acknowledgedAt = at;
        acknowledgedBy = actor.sub;
      }
      status = 'feedback';
      await publish('feedback', actor);
      return snapshot();
    },
    {
      validator: (_cmd) => {
        if (recalled) throw refuse('the dissemination was recalled');
        if (feedback) throw refuse(`feedback was already given (${feedback.outcome})`);
      },
    },
  );
  setHandler(recallRecipientSignal, () => {
    if (recalled) return;
    recalled = true;
    status = 'recalled';
  });
  // A supervisor's acknowledgement of the ack_overdue alert is kept on the alert row; the
  // recipient is still chased until it answers, so the workflow only takes the signal.
  setHandler(acknowledgeAlertSignal, () => undefined);

  const deliver = async (kind: AttemptKind, index: number, name: string, target: EscalationTarget | null): Promise<DeliveryAttempt[]> => {
    try {
      return await delivery.deliverIntel({
        key: `${workflowId}/${kind}/${index}`,
        disseminationId: input.disseminationId,
        intelId: input.intelId,
        iso: input.iso,
        kind,
        level: index,
        levelName: name,
        target: target ?? { kind: 'named', contacts: input.named ?? [] },
      });
    } catch (error) {
      // Still unreachable after the retries: recorded, and the deadline below moves on.
      log.warn('delivery failed', { kind, level: name, error: String(error) });
      return [{ kind, level: index, levelName: name, contact: name, channel: 'unknown', address: 'unknown', at: new Date().toISOString(), ok: false, error: 'delivery failed after retries' }];
    }
  };

  // Named contacts only for TLP:RED; otherwise the chain, then the regional officer. The chain is
  // read when each level is reached, so an admin's edit applies to running disseminations.
  const targets: Array<{ name: string; target: EscalationTarget | null }> = input.named
    ? [{ name: 'named_contacts', target: null }]
    : [
        ...Array.from({ length: MAX_CHAIN_RANK }, (_, i) => ({ name: `country_contact_${i + 1}`, target: { kind: 'country_contact', country: input.iso, rank: i + 1 } as EscalationTarget })),
        { name: 'regional_officer', target: { kind: 'regional_officer', region: input.region } },
      ];
  const ladder: LadderPlan = {
    levels: [...targets.map((t) => ({ name: t.name, delayMs: input.policy.ackMs })), { name: 'supervisor', delayMs: input.policy.ackMs }],
    loops: 1,
  };
  const acknowledged = () => acknowledgedAt !== null || recalled;
  let climbed = 0;

  const notify = async (lvl: LadderLevel, index: number): Promise<NotifyResult> => {
    if (lvl.name === 'supervisor') {
      // Nobody acknowledged along the chain: the supervisor is alerted.
      const summary = `${input.tlp} ${input.priority} intelligence ${input.intelId} (dissemination ${input.disseminationId}) not acknowledged by ${input.iso}`;
      const raised = await dataActivities.raiseAlert({
        key: `${workflowId}/alert/ack_overdue`,
        workflowId,
        kind: 'ack_overdue',
        objectType: 'dissemination',
        objectId: input.disseminationId,
        clock: 'acknowledge',
        country: input.iso,
        region: input.region,
        summary,
      });
      alertId = raised.alertId;
      level = index;
      levelName = lvl.name;
      await publish('escalate.supervisor', SYSTEM);
      await escalateAlert({ alertId: raised.alertId, key: `${raised.alertId}/l0/${index}`, level: index, levelName: lvl.name, target: { kind: 'supervisor' }, summary });
      return;
    }
    const made = await deliver('intel', index, lvl.name, targets[index].target);
    if (made.length === 0) return 'skip'; // nobody at this rank of the chain
    attempts.push(...made);
    level = index;
    levelName = lvl.name;
    const first = climbed++ === 0;
    deliveredAt ??= made.find((a) => a.ok)?.at ?? null;
    // Past the first contact's deadline the recipient is overdue until someone acknowledges.
    if (acknowledgedAt === null && !recalled) status = !first ? 'overdue' : deliveredAt ? 'delivered' : 'pending';
    await publish(first ? 'deliver' : `escalate.${lvl.name}`, SYSTEM);
  };

  const chase = async (): Promise<void> => {
    await walkLadder(ladder, acknowledged, notify);
    // Exhausted or acknowledged: an open alert closes when the recipient finally answers.
    await condition(acknowledged);
    if (alertId) await dataActivities.resolveAlert({ alertId });
  };

  // Unacknowledged recipients are chased by the ladder; the reminder is for acknowledged ones
  // whose feedback is late (counted from delivery).
  const remind = async (): Promise<void> => {
    await condition(() => (deliveredAt !== null && acknowledgedAt !== null) || recalled);
    if (recalled || feedback) return;
    const dueAt = new Date(deliveredAt!).getTime() + input.policy.feedbackReminderMs;
    if (await condition(() => feedback !== null || recalled, Math.max(1, dueAt - Date.now()))) return;
    const first = input.named ? null : targets[0].target;
    const made = await deliver('reminder', 0, input.named ? 'named_contacts' : 'country_contact_1', first);
    attempts.push(...made);
    reminderSentAt = new Date().toISOString();
    await publish('feedback.reminder', SYSTEM);
  };

  await Promise.all([chase(), remind()]);
  await condition(() => feedback !== null || recalled);
  ended = true;
  await publish(recalled ? 'recalled' : 'ended', SYSTEM);
  await condition(allHandlersFinished);
  await outbox;
  return { status };
};
