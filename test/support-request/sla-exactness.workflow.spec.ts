import { randomUUID } from 'node:crypto';
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { EXPIRED_CHANGE } from '../../workflows/common/commands';
import {
  getSnapshotQuery,
  submittedUpdate,
  supportRequestWorkflowId,
  SupportRequestInput,
  SupportRequestSnapshot,
  triageUpdate,
} from '../../workflows/support-request/support-request.messages';
import { fakeActivities, requestInput, timeSkippingEnv } from '../support/workflow-env';

// A change is judged by the instant the API received it, whenever the workflow applies it.
// Real policies (a one-hour triage budget) on the time-skipping test server: hours pass in ms.

const HOUR = 3_600_000;
const actor = { sub: 'dco@cyberops.test', role: 'coordinator' as const, region: 'EURASIA' };
const iso = (ms: number) => new Date(ms).toISOString();

describe('SLA exactness at the triage deadline (time-skipping test server)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await timeSkippingEnv();
  }, 60_000);
  afterAll(async () => {
    await env?.teardown();
  });

  async function run<T>(input: SupportRequestInput, body: (ctx: { fakes: ReturnType<typeof fakeActivities>; submitted: SupportRequestSnapshot }) => Promise<T>, overrides: Partial<Activities> = {}): Promise<T> {
    const fakes = fakeActivities({}, env.client, overrides);
    const taskQueue = `sla-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('../../workflows'), activities: fakes.activities });
    return worker.runUntil(async () => {
      await env.client.workflow.start('supportRequestWorkflow', { taskQueue, workflowId: supportRequestWorkflowId(input.id), args: [input] });
      const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
      const submitted = await handle.executeUpdate(submittedUpdate);
      try {
        return await body({ fakes, submitted });
      } finally {
        // Time is shared by every workflow on the test server: a workflow left without a worker
        // would hold its timers' tasks and stop time skipping for the next test.
        await handle.terminate('test over').catch(() => undefined);
      }
    });
  }

  const policy = { triageMs: HOUR, firstResponseMs: 100 * HOUR, resolutionMs: 100 * HOUR, warnAt: 0.75, escalationStepMs: 10 * 60_000, ackExpiryMs: HOUR };

  it.each([
    ['1 s before', -1_000, 'met'],
    ['at', 0, 'breached'],
    ['1 s after', 1_000, 'breached'],
  ] as const)('a triage received %s the deadline and applied a minute after it is judged by its receipt', async (_label, offset, expected) => {
    const input = requestInput({}, policy);
    await run(input, async ({ fakes: { calls }, submitted }) => {
      const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
      const deadline = Date.parse(submitted.sla.triage.deadline);
      // The deadline passes before the workflow gets the change: the breach timer fires and pages.
      await env.sleep(HOUR + 60_000);
      const late = await handle.query(getSnapshotQuery);
      expect(late.sla.triage.state).toBe('breached');
      const breach = late.openAlerts.find((a) => a.kind === 'sla_breach' && a.clock === 'triage')!;
      expect(breach).toBeDefined();

      const now = await env.currentTimeMs();
      expect(now).toBeGreaterThan(deadline + 59_000);
      const triaged = await handle.executeUpdate(triageUpdate, {
        args: [{ decision: 'accept', actor, receivedAt: iso(deadline + offset), expiresAt: iso(now + 10_000) }],
      });
      expect(triaged.sla.triage.state).toBe(expected);
      expect(triaged.sla.triage.metAt).toBe(iso(deadline + offset));
      expect(triaged.sla.triage.remainingMs).toBe(-offset || 0);
      if (expected === 'met') expect(triaged.sla.triage.breachedAt).toBeNull();
      else expect(triaged.sla.triage.breachedAt).toBe(iso(deadline));
      // Either way the clock has stopped: its alerts stop paging and are closed in the read model.
      expect(triaged.openAlerts.filter((a) => a.clock === 'triage')).toEqual([]);
      await env.sleep(60_000);
      expect(calls.filter((c) => c.name === 'resolveAlert').map((c) => c.args.alertId)).toContain(breach.id);
    });
  });

  it('a triage received and applied 1 s before the deadline raises no breach at all', async () => {
    const input = requestInput({}, policy);
    await run(input, async ({ fakes: { calls }, submitted }) => {
      const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
      const deadline = Date.parse(submitted.sla.triage.deadline);
      await env.sleep(deadline - 1_000 - (await env.currentTimeMs()));
      const now = await env.currentTimeMs();
      const triaged = await handle.executeUpdate(triageUpdate, { args: [{ decision: 'accept', actor, receivedAt: iso(now), expiresAt: iso(now + 10_000) }] });
      expect(triaged.sla.triage).toMatchObject({ state: 'met', breachedAt: null });
      expect(triaged.sla.triage.remainingMs).toBeGreaterThanOrEqual(0);
      await env.sleep(2 * HOUR);
      expect(calls.filter((c) => c.name === 'raiseAlert' && c.args.clock === 'triage').map((c) => c.args.kind)).toEqual(['sla_warning']);
    });
  });

  it('refuses a change whose expiry passed before the workflow took it, and records nothing', async () => {
    const input = requestInput({}, policy);
    await run(input, async ({ fakes: { calls } }) => {
      const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
      const now = await env.currentTimeMs();
      const stale = handle.executeUpdate(triageUpdate, { args: [{ decision: 'accept', actor, receivedAt: iso(now - 20_000), expiresAt: iso(now - 10_000) }] });
      await expect(stale).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(stale).rejects.toMatchObject({ cause: { type: EXPIRED_CHANGE } });
      expect((await handle.query(getSnapshotQuery)).status).toBe('submitted');
      expect(calls.filter((c) => c.name === 'projectSupportRequest')).toHaveLength(1);
    });
  });

  it('resolves an alert raised while a change that stops its clock is being applied', async () => {
    const input = requestInput({}, policy);
    let release!: () => void;
    const raising = new Promise<void>((r) => (release = r));
    let raised!: () => void;
    const raisedCalled = new Promise<void>((r) => (raised = r));
    // The warning's raiseAlert activity is slow: the triage lands while it runs.
    const overrides: Partial<Activities> = {
      raiseAlert: async (args) => {
        raised();
        await raising;
        return { alertId: `AL-slow-${args.kind}` };
      },
    };
    await run(
      input,
      async ({ fakes: { calls } }) => {
        const handle = env.client.workflow.getHandle(supportRequestWorkflowId(input.id));
        const skipping = env.sleep(0.75 * HOUR + 1_000);
        await raisedCalled;
        const now = await env.currentTimeMs();
        const triaged = await handle.executeUpdate(triageUpdate, { args: [{ decision: 'accept', actor, receivedAt: iso(now), expiresAt: iso(now + 60_000) }] });
        expect(triaged.sla.triage.state).toBe('met');
        release();
        await skipping;
        await env.sleep(HOUR);
        const snapshot = await handle.query(getSnapshotQuery);
        expect(snapshot.openAlerts).toEqual([]);
        expect(calls.filter((c) => c.name === 'escalateAlert' && c.args.alertId === 'AL-slow-sla_warning')).toEqual([]);
        expect(calls.filter((c) => c.name === 'resolveAlert').map((c) => c.args.alertId)).toEqual(['AL-slow-sla_warning']);
      },
      overrides,
    );
  });
});
