import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Actor } from '../../workflows/common/domain';
import {
  attendanceUpdate,
  getWorkingGroupQuery,
  INVALID_ATTENDANCE,
  WorkingGroupInput,
  workingGroupWorkflowId,
} from '../../workflows/working-group/working-group.messages';
import { fakeActivities, workflowEnv, expectUpdateRefused } from '../support/workflow-env';

// The working-group meeting on the Temporal dev server with recording fake activities. Time is
// real: the reminder, the attendance deadline and the meeting are a few seconds ahead.

const coordinator: Actor = { sub: 'dco.eurasia@cyberops.test', role: 'coordinator', region: 'EURASIA' };
const officer = (iso: string): Actor => ({ sub: `officer@${iso.toLowerCase()}.police.test`, role: 'member', country: iso });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const refused = (attempt: Promise<unknown>, message: RegExp) => expectUpdateRefused(attempt, INVALID_ATTENDANCE, message);

describe('workingGroupWorkflow on the Temporal dev server', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await workflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  it('invites, reminds the silent, escalates the overdue to the regional officer then the supervisor, takes late answers, and ends when held', async () => {
    const fakes = fakeActivities();
    const taskQueue = `wg-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('../../workflows'), activities: fakes.activities });
    await worker.runUntil(async () => {
      const t0 = Date.now();
      const year = 3000 + Math.floor(Math.random() * 5000);
      const input: WorkingGroupInput = {
        region: 'EURASIA',
        year,
        meetingDate: new Date(t0 + 6_000).toISOString(),
        agenda: ['Regional trends', 'Action plan'],
        countries: ['PH', 'SG', 'TH'],
        attendanceDeadline: new Date(t0 + 3_000).toISOString(),
        reminderBeforeMs: 1_500,
        scheduledBy: coordinator,
        escalationStepMs: 800,
      };
      const handle = await env.client.workflow.start('workingGroupWorkflow', { taskQueue, workflowId: workingGroupWorkflowId('EURASIA', year), args: [input] });
      const confirm = (iso: string, attending = true) =>
        handle.executeUpdate(attendanceUpdate, { args: [{ actor: officer(iso), iso, attending, delegate: `head@${iso.toLowerCase()}.police.test` }] });

      const first = await confirm('PH');
      expect(first.countries.find((c) => c.iso === 'PH')).toMatchObject({ status: 'attending', answeredBy: officer('PH').sub });
      await refused(confirm('FR'), /FR is not invited/);

      await sleep(Math.max(0, t0 + 2_200 - Date.now()));
      const invitations = fakes.calls.filter((c) => c.name === 'notifyCountry' && /Invitation/.test(c.args.subject)).map((c) => c.args.country);
      expect(invitations.sort()).toEqual(['PH', 'SG', 'TH']);
      const reminders = fakes.calls.filter((c) => c.name === 'notifyCountry' && /Reminder/.test(c.args.subject));
      expect(reminders.map((c) => c.args.country).sort()).toEqual(['SG', 'TH']);
      expect(reminders.every((c) => c.at >= t0 + 1_400 && c.at < t0 + 3_000)).toBe(true);
      await confirm('SG', false);

      await sleep(Math.max(0, t0 + 4_900 - Date.now()));
      const mid = await handle.query(getWorkingGroupQuery);
      expect(mid.countries.map((c) => [c.iso, c.status])).toEqual([['PH', 'attending'], ['SG', 'declined'], ['TH', 'overdue']]);
      const raised = fakes.calls.filter((c) => c.name === 'raiseAlert');
      expect(raised).toHaveLength(1);
      expect(raised[0].args).toMatchObject({ kind: 'deadline_missed', objectType: 'working_group', region: 'EURASIA' });
      expect(raised[0].args.summary).toMatch(/^TH did not confirm/);
      expect(raised[0].at).toBeGreaterThanOrEqual(t0 + 3_000);
      const levels = fakes.calls.filter((c) => c.name === 'escalateAlert').map((c) => c.args.levelName);
      expect(levels).toEqual(['regional_officer', 'supervisor']);

      // A late answer before the meeting still counts.
      const late = await confirm('TH');
      expect(late.totals).toMatchObject({ invited: 3, attending: 2, declined: 1, unanswered: 0 });

      await expect(handle.result()).resolves.toEqual({ status: 'held' });
      expect(Date.now()).toBeGreaterThanOrEqual(t0 + 6_000);
      const held = await handle.query(getWorkingGroupQuery);
      expect(held.status).toBe('held');
      expect(fakes.calls.filter((c) => c.name === 'resolveAlert')).toHaveLength(1);
      const actions = fakes.calls.filter((c) => c.name === 'auditWorkingGroup').map((c) => c.args.action);
      // The schedule's audit runs beside the first answer's (concurrent activities): compare as sets, then the order of what follows.
      expect([...actions].sort()).toEqual(['attendance.confirm', 'attendance.confirm', 'attendance.decline', 'attendance.overdue', 'held', 'schedule']);
      expect(actions.filter((a) => a !== 'schedule').slice(1)).toEqual(['attendance.decline', 'attendance.overdue', 'attendance.confirm', 'held']);
    });
  });

  it('sends no reminder and raises no alert when everyone answers in time', async () => {
    const fakes = fakeActivities();
    const taskQueue = `wg-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('../../workflows'), activities: fakes.activities });
    await worker.runUntil(async () => {
      const t0 = Date.now();
      const year = 3000 + Math.floor(Math.random() * 5000);
      const handle = await env.client.workflow.start('workingGroupWorkflow', {
        taskQueue,
        workflowId: workingGroupWorkflowId('AFRICA', year),
        args: [
          {
            region: 'AFRICA',
            year,
            meetingDate: new Date(t0 + 3_000).toISOString(),
            agenda: ['Trends'],
            countries: ['NG', 'KE'],
            attendanceDeadline: new Date(t0 + 2_000).toISOString(),
            reminderBeforeMs: 1_000,
            scheduledBy: coordinator,
            escalationStepMs: 500,
          } satisfies WorkingGroupInput,
        ],
      });
      await handle.executeUpdate(attendanceUpdate, { args: [{ actor: officer('NG'), iso: 'NG', attending: true }] });
      await handle.executeUpdate(attendanceUpdate, { args: [{ actor: officer('KE'), iso: 'KE', attending: true }] });
      await expect(handle.result()).resolves.toEqual({ status: 'held' });
      expect(fakes.calls.filter((c) => c.name === 'notifyCountry' && /Reminder/.test(c.args.subject))).toHaveLength(0);
      expect(fakes.calls.filter((c) => c.name === 'raiseAlert')).toHaveLength(0);
    });
  });
});
