import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  addActionUpdate,
  assignUpdate,
  closeUpdate,
  getSnapshotQuery,
  resolveUpdate,
  submittedUpdate,
  supportRequestWorkflowId,
  triageUpdate,
} from '../../workflows/support-request/support-request.messages';
import { KEPT_NOTES } from '../../workflows/support-request/support-request.state';
import { fakeActivities, requestInput, timeSkippingEnv } from '../support/workflow-env';

// A support request with a long life continues as new before its history grows large, carrying
// its state, SLA clocks and open alerts (whose pagers go on where they were).

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const actor = { sub: 'dco@cyberops.test', role: 'coordinator' as const, region: 'EURASIA' };
const member = { sub: 'officer@nrp.ph', role: 'member' as const, country: 'PH' };

describe('support request continue-as-new (time-skipping test server)', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await timeSkippingEnv();
  }, 60_000);
  afterAll(async () => {
    await env?.teardown();
  });

  it('continues as new past a lowered threshold with state, clocks and a paging alert intact', async () => {
    const input = requestInput(
      { maxHistoryEvents: 80 },
      { triageMs: 100 * HOUR, firstResponseMs: 100 * HOUR, resolutionMs: 2 * HOUR, warnAt: 0.75, escalationStepMs: 20 * MINUTE, escalationLoops: 2, ackExpiryMs: 10 * HOUR },
    );
    const { activities, calls } = fakeActivities({}, env.client);
    const taskQueue = `can-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('../../workflows'), activities });
    await worker.runUntil(async () => {
      const workflowId = supportRequestWorkflowId(input.id);
      await env.client.workflow.start('supportRequestWorkflow', { taskQueue, workflowId, args: [input] });
      const handle = env.client.workflow.getHandle(workflowId);
      await handle.executeUpdate(submittedUpdate);
      const firstRun = (await handle.describe()).runId;
      await handle.executeUpdate(triageUpdate, { args: [{ decision: 'accept', actor }] });
      await handle.executeUpdate(assignUpdate, { args: [{ assignee: 'officer@cyberops.test', actor }] });

      // The resolution clock warns at 90 min; the ladder pages its first level.
      await env.sleep(91 * MINUTE);
      const before = await handle.query(getSnapshotQuery);
      const warning = before.openAlerts.find((a) => a.kind === 'sla_warning' && a.clock === 'resolution')!;
      expect(warning).toBeDefined();
      const pages = () => calls.filter((c) => c.name === 'escalateAlert' && c.args.alertId === warning.id).map((c) => c.args.key as string);
      expect(pages()).toEqual([`${warning.id}/r0/l0/0`]);

      // Forty notes: the history passes the threshold (several times).
      for (let n = 1; n <= 40; n++) await handle.executeUpdate(addActionUpdate, { args: [{ kind: 'advice', note: `note ${n}`, actor }] });
      await env.sleep(MINUTE);
      const after = await handle.query(getSnapshotQuery);
      expect((await handle.describe()).runId).not.toBe(firstRun);

      expect(after).toMatchObject({ status: 'in_progress', assignee: 'officer@cyberops.test', actionCount: 40, submittedAt: before.submittedAt });
      // The live snapshot stays bounded: the last notes only.
      expect(after.actions).toHaveLength(KEPT_NOTES);
      expect(after.actions.map((a) => a.seq)).toEqual(Array.from({ length: KEPT_NOTES }, (_, i) => 40 - KEPT_NOTES + 1 + i));
      expect(after.sla.resolution.deadline).toBe(before.sla.resolution.deadline);
      expect(after.sla.resolution.warnedAt).toBe(before.sla.resolution.warnedAt);
      expect(after.sla.triage).toMatchObject({ state: 'met', metAt: before.sla.triage.metAt });
      expect(after.openAlerts).toEqual([warning]);

      // The pager goes on where it was: the next level, never the first one again.
      await env.sleep(20 * MINUTE);
      expect(pages()).toEqual([`${warning.id}/r0/l0/0`, `${warning.id}/r0/l0/1`]);
      // The breach at 2 h supersedes the warning.
      await env.sleep(10 * MINUTE);
      const breached = await handle.query(getSnapshotQuery);
      expect(breached.sla.resolution.state).toBe('breached');
      expect(breached.openAlerts.map((a) => a.kind)).toEqual(['sla_breach']);

      await handle.executeUpdate(resolveUpdate, { args: [{ summary: 'done', actor }] });
      await handle.executeUpdate(closeUpdate, { args: [{ actor: member }] });
      expect(await handle.result()).toEqual({ status: 'closed' });

      // Every projection step has its own key across the runs: none was swallowed as a repeat.
      const keys = calls.filter((c) => c.name === 'projectSupportRequest').map((c) => c.args.key);
      expect(new Set(keys).size).toBe(keys.length);
      expect(keys).toHaveLength(1 + 2 + 40 + 2);
      expect(calls.filter((c) => c.name === 'resolveAlert').map((c) => c.args.alertId).sort()).toEqual([breached.openAlerts[0].id, warning.id].sort());
      expect(new Set(pages()).size).toBe(pages().length);
    });
  });
});
