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
import { fakeActivities, requestInput, workflowEnv } from '../support/workflow-env';

const actor = { sub: 'dco@cyberops.test', role: 'coordinator' as const, region: 'EURASIA' };
const member = { sub: 'officer@nrp.ph', role: 'member' as const, country: 'PH' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('supportRequestWorkflow on the Temporal dev server with short SLA policies', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await workflowEnv();
  });
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
      await env.client.workflow.getHandle(supportRequestWorkflowId(input.id)).executeUpdate(submittedUpdate);
      return body(fakes);
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
    const input = requestInput({}, { triageMs: 3_000, warnAt: 0.5, escalationStepMs: 400, escalationLoops: 3 });
    await run(input, async ({ calls }) => {
      const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
      const deadline = Date.now() + 15_000;
      const breachEscalations = () => calls.filter((c) => c.name === 'escalateAlert' && c.args.alertId.endsWith('sla_breach'));
      while (!breachEscalations().some((c) => c.args.levelName === 'supervisor') && Date.now() < deadline) await sleep(100);

      const raised = calls.filter((c) => c.name === 'raiseAlert').map((c) => [c.args.kind, c.args.clock]);
      expect(raised).toEqual([['sla_warning', 'triage'], ['sla_breach', 'triage']]);
      const warningAt = calls.find((c) => c.name === 'raiseAlert' && c.args.kind === 'sla_warning')!.at;
      const breachAt = calls.find((c) => c.name === 'raiseAlert' && c.args.kind === 'sla_breach')!.at;
      expect(breachAt - warningAt).toBeGreaterThanOrEqual(1_200);
      expect(breachEscalations().slice(0, 3).map((c) => c.args.levelName)).toEqual(['assigned_officer', 'regional_coordinator', 'supervisor']);

      const snapshot = await handle.query(getSnapshotQuery);
      expect(snapshot.sla.triage.state).toBe('breached');
      const breachAlert = snapshot.openAlerts.find((a) => a.kind === 'sla_breach')!;
      expect(snapshot.openAlerts.map((a) => a.kind)).toEqual(['sla_breach']); // the warning was superseded
      await handle.signal(acknowledgeAlertSignal, { alertId: breachAlert.id, by: 'head@cyberops.test' });
      await sleep(300);
      const countAfterAck = breachEscalations().length;
      await sleep(1_500);
      expect(breachEscalations().length).toBe(countAfterAck);

      // Triage meets the clock: the alert is resolved.
      await handle.executeUpdate(triageUpdate, { args: [{ decision: 'accept', actor }] });
      const resolveDeadline = Date.now() + 5_000;
      while (!calls.some((c) => c.name === 'resolveAlert' && c.args.alertId === breachAlert.id) && Date.now() < resolveDeadline) await sleep(100);
      expect(calls.some((c) => c.name === 'resolveAlert' && c.args.alertId === breachAlert.id)).toBe(true);
    });
  });

  it('re-arms an acknowledged alert when the acknowledgement expires, like a pager', async () => {
    const input = requestInput({}, { triageMs: 1_000, warnAt: 0.9, escalationStepMs: 300, escalationLoops: 1, ackExpiryMs: 800 });
    await run(input, async ({ calls }) => {
      const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
      const waitFor = async (pred: () => boolean, ms = 10_000) => {
        const end = Date.now() + ms;
        while (!pred() && Date.now() < end) await sleep(100);
        expect(pred()).toBe(true);
      };
      await waitFor(() => calls.some((c) => c.name === 'raiseAlert' && c.args.kind === 'sla_breach'));
      const alertId = (await handle.query(getSnapshotQuery)).openAlerts.find((a) => a.kind === 'sla_breach')!.id;
      await handle.signal(acknowledgeAlertSignal, { alertId, by: 'head@cyberops.test' });
      await waitFor(() => calls.some((c) => c.name === 'rearmAlert' && c.args.alertId === alertId));
      // After re-arming, the ladder pages from the bottom again.
      await waitFor(() => calls.some((c) => c.name === 'escalateAlert' && c.args.alertId === alertId && c.args.key.includes('/r1/')));
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
      await sleep(1_200);
      const stillPaused = await handle.query(getSnapshotQuery);
      expect(stillPaused.sla.resolution.usedMs).toBe(usedAtPause);
      const answered = await handle.executeUpdate(provideInfoUpdate, { args: [{ answer: 'AS64500', actor: member }] });
      expect(answered.sla.resolution.state).toBe('running');
      expect(answered.sla.resolution.pausedByReason.awaiting_requester).toBeGreaterThanOrEqual(1_000);
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
