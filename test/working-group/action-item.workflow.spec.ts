import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Actor } from '../../workflows/common/domain';
import {
  ActionItemInput,
  actionItemWorkflowId,
  getActionItemQuery,
  INVALID_ITEM_CHANGE,
  itemDueDateUpdate,
  itemLinkOperationUpdate,
  itemNoteUpdate,
  itemStatusUpdate,
} from '../../workflows/working-group/action-item.messages';
import { attendanceUpdate, getWorkingGroupQuery, holdUpdate, INVALID_ATTENDANCE, workingGroupWorkflowId } from '../../workflows/working-group/working-group.messages';
import { fakeActivities, timeSkippingEnv, expectUpdateRefused } from '../support/workflow-env';

// Action-plan items on the time-skipping test server: a year-long item runs in seconds. The
// reminder comes before the due date, then the regional officer and the supervisor are alerted.

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const coordinator: Actor = { sub: 'dco.eurasia@cyberops.test', role: 'coordinator', region: 'EURASIA' };
const owner: Actor = { sub: 'officer@ph.police.test', role: 'member', country: 'PH' };
const iso = (ms: number) => new Date(ms).toISOString();

const refused = expectUpdateRefused;

describe('actionItemWorkflow with time skipping', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  }, 60_000);
  afterAll(async () => {
    await env?.teardown();
  });

  async function run(overrides: Partial<ActionItemInput>, body: (ctx: { fakes: ReturnType<typeof fakeActivities>; workflowId: string; t0: number }) => Promise<void>) {
    const fakes = fakeActivities({}, env.client);
    const taskQueue = `item-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('../../workflows'), activities: fakes.activities });
    await worker.runUntil(async () => {
      const t0 = await env.currentTimeMs();
      const year = 3000 + Math.floor(Math.random() * 5000);
      const n = 1 + Math.floor(Math.random() * 400);
      const workflowId = actionItemWorkflowId('EURASIA', year, n);
      const input: ActionItemInput = {
        workingGroupId: workingGroupWorkflowId('EURASIA', year),
        region: 'EURASIA',
        year,
        n,
        ownerCountry: 'PH',
        kind: 'legislation',
        title: 'Ratify the Budapest Convention',
        description: 'Table the bill in parliament',
        dueDate: iso(t0 + 30 * DAY),
        categories: [],
        countries: ['PH'],
        reminderBeforeMs: 7 * DAY,
        escalationStepMs: DAY,
        createdBy: coordinator,
        ...overrides,
      };
      const handle = await env.client.workflow.start('actionItemWorkflow', { taskQueue, workflowId, args: [input] });
      try {
        await body({ fakes, workflowId, t0 });
      } finally {
        // Time is shared by every workflow on the test server: none may be left without a worker.
        await handle.terminate('test over').catch(() => undefined);
      }
    });
  }

  it('reminds the owner before the due date, then escalates the overdue item to the regional officer and then the supervisor; a new due date resolves the alert', async () => {
    await run({}, async ({ fakes: { calls }, workflowId, t0 }) => {
      const handle = env.client.workflow.getHandle(workflowId);
      const noted = await handle.executeUpdate(itemNoteUpdate, { args: [{ actor: owner, text: 'Bill drafted' }] });
      expect(noted).toMatchObject({ status: 'in_progress', notes: [expect.objectContaining({ by: owner.sub, country: 'PH', text: 'Bill drafted' })] });
      const subjects = () => calls.filter((c) => c.name === 'notifyCountry').map((c) => c.args.subject as string);

      // A day before the reminder is due: nothing yet beyond the assignment.
      await env.sleep(t0 + 22 * DAY - (await env.currentTimeMs()));
      expect(subjects()).toEqual([expect.stringMatching(/^Action plan item for PH/)]);
      expect((await handle.query(getActionItemQuery)).reminded).toBe(false);
      // Past 7 days before the due date: the owner is reminded, once.
      await env.sleep(2 * DAY);
      expect(subjects().filter((s) => s.startsWith('Reminder'))).toHaveLength(1);
      expect(calls.filter((c) => c.name === 'notifyCountry').every((c) => c.args.country === 'PH')).toBe(true);
      expect(calls.filter((c) => c.name === 'raiseAlert')).toHaveLength(0);

      // An hour after the due date: overdue, alert raised, the regional officer paged; not yet the supervisor.
      await env.sleep(t0 + 30 * DAY + HOUR - (await env.currentTimeMs()));
      const overdue = await handle.query(getActionItemQuery);
      expect(overdue).toMatchObject({ overdue: true, status: 'in_progress' });
      expect(overdue.openAlerts).toHaveLength(1);
      const raised = calls.filter((c) => c.name === 'raiseAlert');
      expect(raised).toHaveLength(1);
      expect(raised[0].args).toMatchObject({ kind: 'deadline_missed', objectType: 'action_item', objectId: workflowId, country: 'PH', region: 'EURASIA' });
      const levels = () => calls.filter((c) => c.name === 'escalateAlert').map((c) => [c.args.levelName, c.args.target.kind]);
      expect(levels()).toEqual([['regional_officer', 'regional_officer']]);
      // A step later the supervisor.
      await env.sleep(DAY);
      expect(levels()).toEqual([['regional_officer', 'regional_officer'], ['supervisor', 'supervisor']]);
      expect(subjects().filter((s) => s.startsWith('Overdue'))).toHaveLength(1);

      // A coordinator moves the due date: the alert is resolved and the clock starts again.
      const now = await env.currentTimeMs();
      const moved = await handle.executeUpdate(itemDueDateUpdate, { args: [{ actor: coordinator, dueDate: iso(now + 20 * DAY), reason: 'Parliament in recess' }] });
      expect(moved).toMatchObject({ overdue: false, reminded: false, dueDateChanges: [expect.objectContaining({ from: iso(t0 + 30 * DAY), to: iso(now + 20 * DAY), reason: 'Parliament in recess' })] });
      await env.sleep(HOUR);
      expect(calls.filter((c) => c.name === 'resolveAlert').map((c) => c.args.alertId)).toEqual(overdue.openAlerts);
      expect((await handle.query(getActionItemQuery)).openAlerts).toEqual([]);
      await refused(handle.executeUpdate(itemDueDateUpdate, { args: [{ actor: coordinator, dueDate: iso(now - DAY) }] }), INVALID_ITEM_CHANGE, /must be in the future/);
      await refused(handle.executeUpdate(itemLinkOperationUpdate, { args: [{ actor: coordinator, operationId: 'OP-0000000001', exercise: false }] }), INVALID_ITEM_CHANGE, /only an operation item/);

      // Reminded again before the new date; done before it: the workflow ends with no new alert.
      await env.sleep(14 * DAY);
      expect(subjects().filter((s) => s.startsWith('Reminder'))).toHaveLength(2);
      const done = await handle.executeUpdate(itemStatusUpdate, { args: [{ actor: owner, status: 'done', reason: 'Ratified' }] });
      expect(done).toMatchObject({ status: 'done', closedBy: owner.sub, closeReason: 'Ratified' });
      await expect(handle.result()).resolves.toEqual({ status: 'done' });
      expect(calls.filter((c) => c.name === 'raiseAlert')).toHaveLength(1);
      const actions = calls.filter((c) => c.name === 'projectActionItem').map((c) => c.args.event.action);
      expect(actions).toEqual(['create', 'note', 'reminded', 'overdue', 'due_date', 'alert.resolved', 'reminded', 'status.done']);
      const versions = calls.filter((c) => c.name === 'projectActionItem').map((c) => c.args.snapshot.version);
      expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    });
  });

  it('an item cancelled while overdue stops paging at once and resolves its alert; a closed item takes no changes', async () => {
    const t = await env.currentTimeMs();
    await run({ kind: 'operation', categories: ['botnet'], dueDate: iso(t + 2 * DAY), reminderBeforeMs: DAY, escalationStepMs: DAY }, async ({ fakes: { calls }, workflowId }) => {
      const handle = env.client.workflow.getHandle(workflowId);
      await env.sleep(2 * DAY + HOUR);
      expect(calls.filter((c) => c.name === 'escalateAlert').map((c) => c.args.levelName)).toEqual(['regional_officer']);
      const linked = await handle.executeUpdate(itemLinkOperationUpdate, { args: [{ actor: coordinator, operationId: 'OP-00000000AA', exercise: false }] });
      expect(linked.operationId).toBe('OP-00000000AA');
      await refused(handle.executeUpdate(itemLinkOperationUpdate, { args: [{ actor: coordinator, operationId: 'OP-00000000BB', exercise: false }] }), INVALID_ITEM_CHANGE, /became operation OP-00000000AA already/);
      await handle.executeUpdate(itemStatusUpdate, { args: [{ actor: coordinator, status: 'cancelled', reason: 'Merged into another operation' }] });
      await expect(handle.result()).resolves.toEqual({ status: 'cancelled' });
      await env.sleep(3 * DAY);
      expect(calls.filter((c) => c.name === 'escalateAlert').map((c) => c.args.levelName)).toEqual(['regional_officer']);
      expect(calls.filter((c) => c.name === 'resolveAlert')).toHaveLength(1);
    });
  });
});

describe('workingGroupWorkflow hold with time skipping', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  }, 60_000);
  afterAll(async () => {
    await env?.teardown();
  });

  it('refuses to mark the meeting held while attendance is open, then a coordinator marks it held before its date', async () => {
    const fakes = fakeActivities({}, env.client);
    const taskQueue = `wg-hold-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('../../workflows'), activities: fakes.activities });
    await worker.runUntil(async () => {
      const t0 = await env.currentTimeMs();
      const year = 3000 + Math.floor(Math.random() * 5000);
      const handle = await env.client.workflow.start('workingGroupWorkflow', {
        taskQueue,
        workflowId: workingGroupWorkflowId('MENA', year),
        args: [{ region: 'MENA', year, meetingDate: iso(t0 + 60 * DAY), agenda: ['Action plan'], countries: ['AE', 'EG'], attendanceDeadline: iso(t0 + 10 * DAY), reminderBeforeMs: 3 * DAY, scheduledBy: coordinator, escalationStepMs: DAY }],
      });
      await handle.executeUpdate(attendanceUpdate, { args: [{ actor: { sub: 'nrp@ae', role: 'member', country: 'AE' }, iso: 'AE', attending: true }] });
      await refused(handle.executeUpdate(holdUpdate, { args: [{ actor: coordinator }] }), INVALID_ATTENDANCE, /open until/);
      await env.sleep(10 * DAY + 3 * DAY);
      const held = await handle.executeUpdate(holdUpdate, { args: [{ actor: coordinator }] });
      expect(held).toMatchObject({ status: 'held', heldBy: coordinator.sub });
      await expect(handle.result()).resolves.toEqual({ status: 'held' });
      expect((await handle.describe()).closeTime!.getTime()).toBeLessThan(t0 + 60 * DAY);
      expect((await handle.query(getWorkingGroupQuery)).status).toBe('held');
      const audit = fakes.calls.filter((c) => c.name === 'auditWorkingGroup').map((c) => [c.args.action, c.args.actor.sub]);
      expect(audit[audit.length - 1]).toEqual(['held', coordinator.sub]);
    });
  });
});
