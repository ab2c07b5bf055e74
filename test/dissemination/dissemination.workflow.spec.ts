import { randomUUID } from 'node:crypto';
import { ApplicationFailure, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Actor } from '../../workflows/common/domain';
import {
  acknowledgeUpdate,
  approvalUpdate,
  disseminationCreatedUpdate,
  DisseminationInput,
  disseminationWorkflowId,
  feedbackUpdate,
  getDisseminationQuery,
  getRecipientQuery,
  INVALID_DISSEMINATION_CHANGE,
  recallUpdate,
  recipientWorkflowId,
} from '../../workflows/dissemination/dissemination.messages';
import { fakeActivities, RecordedCall, workflowEnv } from '../support/workflow-env';

// The dissemination parent and its per-recipient children on the Temporal dev server, with
// recording fake activities (each country's chain has two ranks). Time is real: ack deadline 600 ms.

const analyst: Actor = { sub: 'analyst@cyberops.test', role: 'analyst' };
const member = (iso: string): Actor => ({ sub: `officer@nrp.${iso.toLowerCase()}`, role: 'member', country: iso });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  let value = await probe();
  while (!ok(value)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(value)}`);
    await sleep(100);
    value = await probe();
  }
  return value;
}

async function expectRefused(attempt: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await attempt.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause as ApplicationFailure;
  expect(cause.type).toBe(INVALID_DISSEMINATION_CHANGE);
  expect(cause.message).toMatch(message);
}

function input(isos: string[], extra: Partial<DisseminationInput> = {}): DisseminationInput {
  return {
    id: `DS-${randomUUID().slice(0, 10).toUpperCase()}`,
    intelId: 'IN-0000000001',
    tlp: 'TLP:AMBER',
    priority: 'P1',
    analyst,
    recipients: isos.map((iso) => ({ iso, region: 'EURASIA' })),
    policy: { ackMs: 600, feedbackReminderMs: 1_500, approvalMs: 1_000, retentionMs: 60_000 },
    originatorSub: analyst.sub,
    approvalRequired: false,
    ...extra,
  };
}

describe('disseminationWorkflow and disseminationRecipientWorkflow on the Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await workflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function run(body: (taskQueue: string, calls: RecordedCall[]) => Promise<void>): Promise<void> {
    const fakes = fakeActivities();
    const taskQueue = `ds-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('../../workflows'), activities: fakes.activities });
    await worker.runUntil(body(taskQueue, fakes.calls));
  }

  it('delivers to every recipient, climbs the chain on missed deadlines to the supervisor, takes ack and feedback, reminds, and completes', async () => {
    await run(async (taskQueue, calls) => {
      const args = input(['PH', 'TH', 'MY']);
      const started = await env.client.workflow.start('disseminationWorkflow', { workflowId: disseminationWorkflowId(args.id), taskQueue, args: [args] });
      const created = await started.executeUpdate(disseminationCreatedUpdate);
      expect(created).toMatchObject({ status: 'active', totals: { recipients: 3, delivered: 0 } });
      const child = (iso: string) => env.client.workflow.getHandle(recipientWorkflowId(args.id, iso));

      // PH acknowledges at once; TH after the backup contact was reached; MY never.
      await until('PH delivered', () => child('PH').query(getRecipientQuery).catch(() => null), (s) => s?.deliveredAt != null);
      const ph = await child('PH').executeUpdate(acknowledgeUpdate, { args: [{ actor: member('PH') }] });
      expect(ph).toMatchObject({ status: 'acknowledged', level: 0, levelName: 'country_contact_1' });
      const th = await until('TH at backup', () => child('TH').query(getRecipientQuery), (s) => s.levelName === 'country_contact_2');
      expect(th.status).toBe('overdue');
      await child('TH').executeUpdate(acknowledgeUpdate, { args: [{ actor: member('TH') }] });

      // MY: rank 3 does not exist (skipped at once), then the regional officer, then the supervisor alert.
      const my = await until('MY alert', () => child('MY').query(getRecipientQuery), (s) => s.alertId !== null);
      expect(my.status).toBe('overdue');
      expect(my.attempts.map((a) => a.levelName)).toEqual(['country_contact_1', 'country_contact_2', 'regional_officer']);
      const raised = calls.filter((c) => c.name === 'raiseAlert').map((c) => c.args);
      expect(raised).toEqual([expect.objectContaining({ kind: 'ack_overdue', objectType: 'dissemination', objectId: args.id, country: 'MY' })]);
      // The supervisor is paged right after the alert is recorded.
      await until('supervisor paged', async () => calls.filter((c) => c.name === 'escalateAlert').map((c) => c.args.target), (t) => t.length > 0);
      expect(calls.filter((c) => c.name === 'escalateAlert').map((c) => c.args.target)).toEqual([{ kind: 'supervisor' }]);

      // Each wait was the ack deadline: the backup was reached no sooner than 600 ms after the primary.
      const delivered = calls.filter((c) => c.name === 'deliverIntel' && c.args.iso === 'MY' && c.args.kind === 'intel');
      expect(delivered[1].at - delivered[0].at).toBeGreaterThanOrEqual(550);

      // Feedback: PH actioned; a second feedback is refused; TH is reminded, then answers.
      await child('PH').executeUpdate(feedbackUpdate, { args: [{ actor: member('PH'), outcome: 'actioned', note: 'servers seized' }] });
      await expectRefused(child('PH').executeUpdate(feedbackUpdate, { args: [{ actor: member('PH'), outcome: 'no_action', note: 'x' }] }), /already given/);
      await until('TH reminder', () => child('TH').query(getRecipientQuery), (s) => s.reminderSentAt !== null);
      await child('TH').executeUpdate(feedbackUpdate, { args: [{ actor: member('TH'), outcome: 'already_known', note: 'known' }] });
      await child('MY').executeUpdate(feedbackUpdate, { args: [{ actor: member('MY'), outcome: 'no_action', note: 'late' }] });
      expect(calls.some((c) => c.name === 'resolveAlert')).toBe(true);

      const done = await until('completed', () => started.query(getDisseminationQuery), (s) => s.status === 'completed');
      expect(done.totals).toEqual({ recipients: 3, delivered: 3, acknowledged: 3, feedback: 3, overdue: 0 });
      const recipientProjections = calls.filter((c) => c.name === 'projectDisseminationRecipient').map((c) => c.args.event.action);
      expect(recipientProjections).toEqual(expect.arrayContaining(['deliver', 'acknowledge', 'escalate.country_contact_2', 'escalate.supervisor', 'feedback.reminder', 'feedback', 'ended']));

      // Recall after completion is still possible; recipients are told.
      const recalled = await started.executeUpdate(recallUpdate, { args: [{ actor: analyst, reason: 'source retracted' }] });
      expect(recalled.status).toBe('recalled');
      await expect(started.result()).resolves.toMatchObject({ status: 'recalled' });
      expect(calls.find((c) => c.name === 'notifyRecall')?.args.isos.sort()).toEqual(['MY', 'PH', 'TH']);
    });
  });

  it('a recall stops the chase; later acknowledgements are refused', async () => {
    await run(async (taskQueue) => {
      const args = input(['BR', 'AR'], { policy: { ackMs: 60_000, feedbackReminderMs: 60_000, approvalMs: 1_000, retentionMs: 60_000 } });
      const h = await env.client.workflow.start('disseminationWorkflow', { workflowId: disseminationWorkflowId(args.id), taskQueue, args: [args] });
      await until('delivered', () => h.query(getDisseminationQuery), (s) => s.totals.delivered === 2);
      await h.executeUpdate(recallUpdate, { args: [{ actor: analyst, reason: 'wrong attribution' }] });
      await expectRefused(h.executeUpdate(recallUpdate, { args: [{ actor: analyst, reason: 'again' }] }), /already recalled/);
      const br = env.client.workflow.getHandle(recipientWorkflowId(args.id, 'BR'));
      await expect(br.result()).resolves.toEqual({ status: 'recalled' });
      await expect(h.result()).resolves.toMatchObject({ status: 'recalled' });
    });
  });

  it('a widened RED audience waits for the originator: approval starts delivery, no answer means refused', async () => {
    await run(async (taskQueue, calls) => {
      const named = [{ id: 'PH-primary', name: 'NRP PH', role: 'primary', channel: 'email' as const, address: 'nrp@ph.test' }];
      const approved = input(['PH'], { tlp: 'TLP:RED', approvalRequired: true, originatorSub: 'officer@nrp.th', recipients: [{ iso: 'PH', region: 'EURASIA', named }], policy: { ackMs: 60_000, feedbackReminderMs: 60_000, approvalMs: 5_000, retentionMs: 60_000 } });
      const h = await env.client.workflow.start('disseminationWorkflow', { workflowId: disseminationWorkflowId(approved.id), taskQueue, args: [approved] });
      expect((await h.executeUpdate(disseminationCreatedUpdate)).status).toBe('pending_approval');
      await expectRefused(h.executeUpdate(approvalUpdate, { args: [{ actor: analyst, decision: 'approve' }] }), /only the originator/);
      expect(calls.some((c) => c.name === 'startRecipientWorkflows')).toBe(false);
      await h.executeUpdate(approvalUpdate, { args: [{ actor: member('TH'), decision: 'approve' }] });
      const ph = await until('named delivery', () => env.client.workflow.getHandle(recipientWorkflowId(approved.id, 'PH')).query(getRecipientQuery).catch(() => null), (s) => s?.deliveredAt != null);
      expect(ph!.attempts.map((a) => a.address)).toEqual(['nrp@ph.test']);

      const silent = input(['PH'], { tlp: 'TLP:AMBER+STRICT', approvalRequired: true, originatorSub: 'officer@nrp.th', policy: { ackMs: 60_000, feedbackReminderMs: 60_000, approvalMs: 500, retentionMs: 60_000 } });
      const s = await env.client.workflow.start('disseminationWorkflow', { workflowId: disseminationWorkflowId(silent.id), taskQueue, args: [silent] });
      await expect(s.result()).resolves.toMatchObject({ status: 'refused' });
      expect(calls.filter((c) => c.name === 'startRecipientWorkflows')).toHaveLength(1);
      await h.executeUpdate(recallUpdate, { args: [{ actor: analyst, reason: 'end of test' }] });
    });
  });

  it('continues as new with its totals when the history grows', async () => {
    await run(async (taskQueue) => {
      const isos = ['FR', 'DE', 'IT', 'ES', 'PT', 'NL'];
      const args = input(isos, { maxHistoryEvents: 40, policy: { ackMs: 60_000, feedbackReminderMs: 60_000, approvalMs: 1_000, retentionMs: 60_000 } });
      const h = await env.client.workflow.start('disseminationWorkflow', { workflowId: disseminationWorkflowId(args.id), taskQueue, args: [args] });
      await until('delivered', () => h.query(getDisseminationQuery), (s) => s.totals.delivered === isos.length);
      for (const iso of isos) {
        await env.client.workflow.getHandle(recipientWorkflowId(args.id, iso)).executeUpdate(acknowledgeUpdate, { args: [{ actor: member(iso) }] });
      }
      const snap = await until('acknowledged after continue-as-new', () => h.query(getDisseminationQuery), (s) => s.totals.acknowledged === isos.length && s.runs > 0);
      expect(snap.totals).toMatchObject({ recipients: 6, delivered: 6, acknowledged: 6 });
      await h.executeUpdate(recallUpdate, { args: [{ actor: analyst, reason: 'end of test' }] });
    });
  });
});
