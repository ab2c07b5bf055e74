import { allHandlersFinished, ApplicationFailure, condition, patched, setHandler, sleep, workflowInfo } from '@temporalio/workflow';
import { checkNotExpired } from '../common/commands';
import { dataActivities, escalateAlert, notifyCountry } from '../common/activity-stubs';
import type { EscalationTarget } from '../common/alerts';
import type { Actor } from '../common/domain';
import { LadderPlan, walkLadder } from '../sla/escalation';
import { acknowledgeAlertSignal } from '../support-request/support-request.messages';
import {
  Attendance,
  attendanceUpdate,
  getWorkingGroupQuery,
  HOLD_PATCH,
  holdUpdate,
  INVALID_ATTENDANCE,
  WorkingGroupSnapshot,
  type WorkingGroupWorkflow,
} from './working-group.messages';

const SYSTEM: Actor = { sub: 'system', role: 'supervisor' };

/**
 * The annual meeting of a regional working group: invitations through the contact network, a
 * reminder before the attendance deadline, then the countries still silent are escalated to the
 * regional officer and the supervisor. Ends when the meeting is held: at its date, or when a coordinator marks it held after the deadline.
 */
export const workingGroupWorkflow: WorkingGroupWorkflow = async (input) => {
  const { workflowId } = workflowInfo();
  const subject = `${input.region} working group ${input.year}`;
  const countries: Attendance[] = input.countries.map((iso) => ({ iso, status: 'invited', delegate: null, answeredBy: null, answeredAt: null, reminded: false }));
  const deadline = new Date(input.attendanceDeadline).getTime();
  const meetingAt = new Date(input.meetingDate).getTime();
  let held = false;
  let heldBy: Actor | null = null;
  // Meetings scheduled before HOLD_PATCH only sleep until their date: they refuse to be marked held.
  const holdable = patched(HOLD_PATCH);
  let step = 0;
  const alert = { id: null as string | null, acknowledged: false, resolved: false, done: Promise.resolve() };
  // Deliveries run beside the workflow: no update handler or deadline waits on a mail server.
  const deliveries: Array<Promise<unknown>> = [];

  const snapshot = (): WorkingGroupSnapshot => {
    const count = (s: Attendance['status']) => countries.filter((c) => c.status === s).length;
    return {
      id: workflowId,
      region: input.region,
      year: input.year,
      status: held ? 'held' : 'scheduled',
      meetingDate: input.meetingDate,
      agenda: input.agenda,
      attendanceDeadline: input.attendanceDeadline,
      scheduledBy: input.scheduledBy.sub,
      heldBy: heldBy?.sub ?? null,
      countries: countries.map((c) => ({ ...c })),
      totals: {
        invited: countries.length,
        attending: count('attending'),
        declined: count('declined'),
        unanswered: count('invited') + count('overdue'),
        overdue: count('overdue'),
      },
      openAlerts: alert.id && !alert.resolved ? [alert.id] : [],
    };
  };
  const audit = (action: string, actor: Actor, data?: Record<string, unknown>) =>
    dataActivities.auditWorkingGroup({ key: `${workflowId}/${++step}`, workingGroupId: workflowId, action, actor, data });

  setHandler(getWorkingGroupQuery, snapshot);
  setHandler(
    attendanceUpdate,
    async (cmd) => {
      const entry = countries.find((c) => c.iso === cmd.iso)!;
      entry.status = cmd.attending ? 'attending' : 'declined';
      entry.delegate = cmd.delegate ?? null;
      entry.answeredBy = cmd.actor.sub;
      entry.answeredAt = new Date().toISOString();
      await audit(cmd.attending ? 'attendance.confirm' : 'attendance.decline', cmd.actor, { iso: cmd.iso, delegate: entry.delegate });
      return snapshot();
    },
    {
      validator: (cmd) => {
        if (!countries.some((c) => c.iso === cmd.iso)) throw ApplicationFailure.nonRetryable(`${cmd.iso} is not invited to ${subject}`, INVALID_ATTENDANCE);
        if (held) throw ApplicationFailure.nonRetryable(`${subject} has been held; attendance is closed`, INVALID_ATTENDANCE);
      },
    },
  );
  setHandler(
    holdUpdate,
    async (cmd) => {
      heldBy = cmd.actor;
      await condition(() => held);
      return snapshot();
    },
    {
      validator: (cmd) => {
        checkNotExpired(cmd, Date.now());
        if (held || heldBy) throw ApplicationFailure.nonRetryable(`${subject} is already held`, INVALID_ATTENDANCE);
        if (!holdable) throw ApplicationFailure.nonRetryable(`${subject} was scheduled before meetings could be marked held; it is held at its date`, INVALID_ATTENDANCE);
        if (Date.now() < deadline) throw ApplicationFailure.nonRetryable(`attendance at ${subject} is open until ${input.attendanceDeadline}; mark it held after that`, INVALID_ATTENDANCE);
      },
    },
  );
  setHandler(acknowledgeAlertSignal, ({ alertId }) => {
    if (alertId === alert.id) alert.acknowledged = true;
  });

  await audit('schedule', input.scheduledBy, { meetingDate: input.meetingDate, countries: input.countries, attendanceDeadline: input.attendanceDeadline });
  for (const c of countries) {
    deliveries.push(
      notifyCountry({
        key: `${workflowId}/invitation/${c.iso}`,
        country: c.iso,
        subject: `Invitation: ${subject} on ${input.meetingDate.slice(0, 10)}`,
        body: { workingGroup: workflowId, meetingDate: input.meetingDate, agenda: input.agenda, attendanceDeadline: input.attendanceDeadline },
      }),
    );
  }

  const silent = () => countries.filter((c) => c.status === 'invited' || c.status === 'overdue');
  // The reminder, before the deadline, to the countries that have not answered.
  const reminderAt = deadline - input.reminderBeforeMs;
  if (reminderAt > Date.now()) await condition(() => silent().length === 0, reminderAt - Date.now());
  if (Date.now() < deadline) {
    for (const c of silent()) {
      c.reminded = true;
      deliveries.push(
        notifyCountry({
          key: `${workflowId}/reminder/${c.iso}`,
          country: c.iso,
          subject: `Reminder: confirm attendance at ${subject} by ${input.attendanceDeadline}`,
          body: { workingGroup: workflowId, meetingDate: input.meetingDate, attendanceDeadline: input.attendanceDeadline },
        }),
      );
    }
    await condition(() => silent().length === 0, Math.max(1, deadline - Date.now()));
  }

  // The deadline passed: whoever is still silent goes to the regional officer, then the supervisor.
  const overdue = silent();
  if (overdue.length > 0) {
    for (const c of overdue) c.status = 'overdue';
    const summary = `${overdue.map((c) => c.iso).join(', ')} did not confirm attendance at ${subject} by ${input.attendanceDeadline}`;
    const raised = await dataActivities.raiseAlert({
      key: `${workflowId}/alert/attendance`,
      workflowId,
      kind: 'deadline_missed',
      objectType: 'working_group',
      objectId: workflowId,
      clock: 'attendance',
      region: input.region,
      summary,
    });
    alert.id = raised.alertId;
    await audit('attendance.overdue', SYSTEM, { countries: overdue.map((c) => c.iso) });
    const targets: EscalationTarget[] = [{ kind: 'regional_officer', region: input.region }, { kind: 'supervisor' }];
    const plan: LadderPlan = { levels: [{ name: 'regional_officer', delayMs: input.escalationStepMs }, { name: 'supervisor', delayMs: input.escalationStepMs }], loops: 1 };
    alert.done = walkLadder(plan, () => alert.acknowledged || alert.resolved || silent().length === 0, async (level, index) => {
      await escalateAlert({ alertId: raised.alertId, key: `${raised.alertId}/l0/${index}`, level: index, levelName: level.name, target: targets[index], summary });
    }).then(() => undefined);
  }

  // Late answers are still welcome until the meeting.
  if (meetingAt > Date.now()) {
    if (holdable) await condition(() => heldBy !== null, meetingAt - Date.now());
    else await sleep(meetingAt - Date.now());
  }
  held = true;
  if (alert.id) {
    alert.resolved = true;
    await alert.done;
    await dataActivities.resolveAlert({ alertId: alert.id });
  }
  await audit('held', heldBy ?? SYSTEM, { attending: snapshot().totals.attending });
  await Promise.all(deliveries);
  await condition(allHandlersFinished);
  return { status: 'held' };
};
