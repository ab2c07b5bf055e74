import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  acknowledgeAlertSignal,
  assignUpdate,
  getSnapshotQuery,
  provideInfoUpdate,
  requestInfoUpdate,
  resolveUpdate,
  submittedUpdate,
  supportRequestWorkflowId,
  triageUpdate,
  closeUpdate,
  SupportRequestInput,
} from '../../workflows/support-request/support-request.messages';
import { fakeActivities, requestInput, timeSkippingEnv } from '../support/workflow-env';

const actor = { sub: 'dco@cyberops.test', role: 'coordinator' as const, region: 'EURASIA' };
const member = { sub: 'officer@nrp.ph', role: 'member' as const, country: 'PH' };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('supportRequestWorkflow on the time-skipping test server with real SLA policies', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await timeSkippingEnv();
  }, 60_000);
  afterAll(async () => {
    await env?.teardown();
  });

  async function run<T>(input: SupportRequestInput, body: (fakes: ReturnType<typeof fakeActivities>) => Promise<T>): Promise<T> {
    const fakes = fakeActivities();
    const taskQueue = `wf-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: fakes.activities,
    });
    return worker.runUntil(async () => {
      await env.client.workflow.start('supportRequestWorkflow', { taskQueue, workflowId: supportRequestWorkflowId(input.id), args: [input] });
      const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
      await handle.executeUpdate(submittedUpdate);
      try {
        return await body(fakes);
      } finally {
        // Time is shared on the test server: a workflow left without a worker would stop it.
        await handle.terminate('test over').catch(() => undefined);
      }
    });
  }

  it('runs the happy path and projects and notifies every change once', async () => {
    const input = requestInput();
    await run(input, async ({ calls }) => {
      const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
      await handle.executeUpdate(triageUpdate, { args: [{ decision: 'accept', actor }] });
      await handle.executeUpdate(assignUpdate, { args: [{ assignee: 'officer@cyberops.test', actor }] });
      await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor }] });
      const closed = await handle.executeUpdate(closeUpdate, { args: [{ actor: member }] });
      expect(closed.status).toBe('closed');
      expect(await handle.result()).toEqual({ status: 'closed' });
      const keys = calls.filter((c) => c.name === 'projectSupportRequest').map((c) => c.args.key);
      expect(keys).toEqual([1, 2, 3, 4, 5].map((n) => `${supportRequestWorkflowId(input.id)}/${n}`));
      expect(calls.filter((c) => c.name === 'notifyCountry').map((c) => c.args.body.status)).toEqual(['triaged', 'in_progress', 'resolved', 'closed']);
    });
  });

  it('warns at the threshold, breaches at 100 %, climbs to the supervisor, and stops on acknowledgement', async () => {
    const input = requestInput({}, { triageMs: HOUR, firstResponseMs: 100 * HOUR, resolutionMs: 100 * HOUR, warnAt: 0.5, escalationStepMs: 10 * MINUTE, escalationLoops: 3 });
    await run(input, async ({ calls }) => {
      const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
      const breachEscalations = () => calls.filter((c) => c.name === 'escalateAlert' && c.args.alertId.endsWith('sla_breach'));
      await env.sleep(HOUR + 25 * MINUTE);

      const raised = calls.filter((c) => c.name === 'raiseAlert').map((c) => [c.args.kind, c.args.clock]);
      expect(raised).toEqual([['sla_warning', 'triage'], ['sla_breach', 'triage']]);
      const snapshot = await handle.query(getSnapshotQuery);
      expect(Date.parse(snapshot.sla.triage.breachedAt!) - Date.parse(snapshot.sla.triage.warnedAt!)).toBe(30 * MINUTE);
      expect(breachEscalations().map((c) => c.args.levelName)).toEqual(['assigned_officer', 'regional_coordinator', 'supervisor']);

      expect(snapshot.sla.triage.state).toBe('breached');
      const breachAlert = snapshot.openAlerts.find((a) => a.kind === 'sla_breach')!;
      expect(snapshot.openAlerts.map((a) => a.kind)).toEqual(['sla_breach']); // the warning was superseded
      await handle.signal(acknowledgeAlertSignal, { alertId: breachAlert.id, by: 'head@cyberops.test' });
      await env.sleep(MINUTE);
      const countAfterAck = breachEscalations().length;
      await env.sleep(30 * MINUTE); // within the hour the acknowledgement lasts
      expect(breachEscalations().length).toBe(countAfterAck);

      // Triage meets the clock: the alert is resolved.
      await handle.executeUpdate(triageUpdate, { args: [{ decision: 'accept', actor }] });
      await env.sleep(MINUTE);
      expect(calls.some((c) => c.name === 'resolveAlert' && c.args.alertId === breachAlert.id)).toBe(true);
    });
  });

  it('re-arms an acknowledged alert when the acknowledgement expires, like a pager', async () => {
    const input = requestInput({}, { triageMs: HOUR, firstResponseMs: 100 * HOUR, resolutionMs: 100 * HOUR, warnAt: 0.9, escalationStepMs: 5 * MINUTE, escalationLoops: 1, ackExpiryMs: 20 * MINUTE });
    await run(input, async ({ calls }) => {
      const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
      await env.sleep(HOUR + MINUTE);
      expect(calls.some((c) => c.name === 'raiseAlert' && c.args.kind === 'sla_breach')).toBe(true);
      const alertId = (await handle.query(getSnapshotQuery)).openAlerts.find((a) => a.kind === 'sla_breach')!.id;
      await handle.signal(acknowledgeAlertSignal, { alertId, by: 'head@cyberops.test' });
      await env.sleep(19 * MINUTE);
      expect(calls.some((c) => c.name === 'rearmAlert' && c.args.alertId === alertId)).toBe(false);
      await env.sleep(2 * MINUTE);
      expect(calls.some((c) => c.name === 'rearmAlert' && c.args.alertId === alertId)).toBe(true);
      // After re-arming, the ladder pages from the bottom again.
      await env.sleep(MINUTE);
      expect(calls.some((c) => c.name === 'escalateAlert' && c.args.alertId === alertId && c.args.key === `${alertId}/r1/l0/0`)).toBe(true);
      await handle.executeUpdate(triageUpdate, { args: [{ decision: 'reject', reason: 'out of scope', actor }] });
      expect(await handle.result()).toEqual({ status: 'rejected' });
    });
  });

  it('pauses the resolution clock while awaiting the requester and reports the paused time', async () => {
    const input = requestInput();
    await run(input, async () => {
      const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
      await handle.executeUpdate(triageUpdate, { args: [{ decision: 'accept', actor }] });
      await handle.executeUpdate(assignUpdate, { args: [{ assignee: 'officer@cyberops.test', actor }] });
      const asked = await handle.executeUpdate(requestInfoUpdate, { args: [{ question: 'Which ASN?', actor }] });
      expect(asked.sla.resolution.state).toBe('paused');
      const usedAtPause = asked.sla.resolution.usedMs;
      await env.sleep(20 * MINUTE);
      const stillPaused = await handle.query(getSnapshotQuery);
      expect(stillPaused.sla.resolution.usedMs).toBe(usedAtPause);
      const answered = await handle.executeUpdate(provideInfoUpdate, { args: [{ answer: 'AS64500', actor: member }] });
      expect(answered.sla.resolution.state).toBe('running');
      expect(answered.sla.resolution.pausedByReason.awaiting_requester).toBeGreaterThanOrEqual(20 * MINUTE);
      expect(answered.sla.resolution.pauses).toEqual([expect.objectContaining({ reason: 'awaiting_requester', to: expect.any(String) })]);
    });
  });

  it('refuses transitions the state does not allow, before recording them', async () => {
    const input = requestInput();
    await run(input, async ({ calls }) => {
      const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
      const refused = [
        () => handle.executeUpdate(assignUpdate, { args: [{ assignee: 'x', actor }] }),
        () => handle.executeUpdate(resolveUpdate, { args: [{ summary: 'x', actor }] }),
        () => handle.executeUpdate(provideInfoUpdate, { args: [{ answer: 'x', actor: member }] }),
        () => handle.executeUpdate(requestInfoUpdate, { args: [{ question: 'x', actor }] }),
        () => handle.executeUpdate(closeUpdate, { args: [{ actor: member }] }),
      ];
      for (const attempt of refused) {
        await expect(attempt()).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      }
      expect(calls.filter((c) => c.name === 'projectSupportRequest')).toHaveLength(1);
      expect((await handle.query(getSnapshotQuery)).status).toBe('submitted');
    });
  });
});
