import { allHandlersFinished, ApplicationFailure, condition, setHandler, workflowInfo } from '@temporalio/workflow';
import { dataActivities, escalateAlert, notifyCountry } from '../common/activity-stubs';
import type { EscalationTarget } from '../common/alerts';
import { checkNotExpired } from '../common/commands';
import type { Actor } from '../common/domain';
import { LadderPlan, walkLadder } from '../sla/escalation';
import { acknowledgeAlertSignal } from '../support-request/support-request.messages';
import {
  ActionItemSnapshot,
  CLOSED_ITEM_STATUSES,
  getActionItemQuery,
  itemCreatedUpdate,
  INVALID_ITEM_CHANGE,
  itemDueDateUpdate,
  itemLinkOperationUpdate,
  itemNoteUpdate,
  itemStatusUpdate,
  itemTrainingUpdate,
  MAX_DUE_DATE_CHANGES,
  MAX_EXERCISES_PER_ITEM,
  MAX_NOTES_PER_ITEM,
  type ActionItemWorkflow,
} from './action-item.messages';

const SYSTEM: Actor = { sub: 'system', role: 'supervisor' };

/**
 * One action-plan item of a working group, tracked until it is done or cancelled: the owner
 * country is reminded before the due date; once overdue an alert goes to the regional officer,
 * then the supervisor. A new due date starts the clock again. Its own workflow (not a child of the
 * meeting, which ends when held) keeps each history small: notes and changes are bounded.
 */
export const actionItemWorkflow: ActionItemWorkflow = async (input) => {
  const { workflowId } = workflowInfo();
  const s: ActionItemSnapshot = {
    id: workflowId,
    workingGroupId: input.workingGroupId,
    region: input.region,
    year: input.year,
    n: input.n,
    ownerCountry: input.ownerCountry,
    kind: input.kind,
    title: input.title,
    description: input.description,
    categories: input.categories,
    countries: input.countries,
    status: 'open',
    dueDate: input.dueDate,
    overdue: false,
    reminded: false,
    notes: [],
    dueDateChanges: [],
    operationId: null,
    training: null,
    exerciseOperationIds: [],
    createdBy: input.createdBy.sub,
    createdAt: new Date().toISOString(),
    closedBy: null,
    closedAt: null,
    closeReason: null,
    openAlerts: [],
    version: 0,
  };
  const label = `action item ${input.n} of the ${input.region} working group ${input.year} ("${input.title}")`;
  const closed = () => CLOSED_ITEM_STATUSES.includes(s.status);
  /** Bumped by a due-date change: the clock of the old due date stops. */
  let dueVersion = 0;
  const alert = { id: null as string | null, acknowledged: false };
  // Deliveries run beside the workflow: no change waits on a mail server.
  const deliveries: Array<Promise<unknown>> = [];

  const snapshot = (): ActionItemSnapshot => ({
    ...s,
    notes: [...s.notes],
    dueDateChanges: [...s.dueDateChanges],
    exerciseOperationIds: [...s.exerciseOperationIds],
    openAlerts: alert.id ? [alert.id] : [],
  });
  const project = (action: string, actor: Actor, data?: Record<string, unknown>) => {
    s.version++;
    return dataActivities.projectActionItem({ key: `${workflowId}/${s.version}`, snapshot: snapshot(), event: { action, actor, data } });
  };
  const refuse = (message: string) => {
    throw ApplicationFailure.nonRetryable(message, INVALID_ITEM_CHANGE);
  };
  const open = (cmd: { expiresAt?: string }) => {
    checkNotExpired(cmd, Date.now());
    if (closed()) refuse(`${label} is ${s.status}; it takes no more changes`);
  };
  const notifyOwner = (step: string, subject: string) =>
    deliveries.push(
      notifyCountry({
        key: `${workflowId}/${step}`,
        country: s.ownerCountry,
        subject,
        body: { workingGroup: input.workingGroupId, item: workflowId, title: s.title, kind: s.kind, dueDate: s.dueDate, status: s.status },
      }),
    );

  setHandler(getActionItemQuery, snapshot);
  setHandler(itemCreatedUpdate, async () => {
    await condition(() => s.version >= 1);
    return snapshot();
  });
  setHandler(
    itemNoteUpdate,
    async (cmd) => {
      s.notes.push({ at: new Date().toISOString(), by: cmd.actor.sub, country: cmd.actor.country ?? null, text: cmd.text });
      if (s.status === 'open') s.status = 'in_progress';
      await project('note', cmd.actor, { text: cmd.text });
      return snapshot();
    },
    {
      validator: (cmd) => {
        open(cmd);
        if (s.notes.length >= MAX_NOTES_PER_ITEM) refuse(`${label} has ${MAX_NOTES_PER_ITEM} progress notes, the most one item keeps`);
      },
    },
  );
  setHandler(
    itemStatusUpdate,
    async (cmd) => {
      const before = s.status;
      s.status = cmd.status;
      if (closed()) {
        s.closedBy = cmd.actor.sub;
        s.closedAt = new Date().toISOString();
        s.closeReason = cmd.reason ?? null;
      }
      await project(`status.${cmd.status}`, cmd.actor, { from: before, reason: cmd.reason });
      return snapshot();
    },
    {
      validator: (cmd) => {
        open(cmd);
        if (cmd.status === s.status) refuse(`${label} is already ${s.status}`);
      },
    },
  );
  setHandler(
    itemDueDateUpdate,
    async (cmd) => {
      s.dueDateChanges.push({ at: new Date().toISOString(), by: cmd.actor.sub, from: s.dueDate, to: cmd.dueDate, reason: cmd.reason ?? null });
      s.dueDate = cmd.dueDate;
      s.reminded = false;
      s.overdue = false;
      dueVersion++;
      await project('due_date', cmd.actor, { from: s.dueDateChanges[s.dueDateChanges.length - 1].from, to: cmd.dueDate, reason: cmd.reason });
      return snapshot();
    },
    {
      validator: (cmd) => {
        open(cmd);
        if (!(Date.parse(cmd.dueDate) > Date.now())) refuse(`the new due date of ${label} must be in the future`);
        if (Date.parse(cmd.dueDate) === Date.parse(s.dueDate)) refuse(`${label} is already due at ${s.dueDate}`);
        if (s.dueDateChanges.length >= MAX_DUE_DATE_CHANGES) refuse(`${label} has had its due date moved ${MAX_DUE_DATE_CHANGES} times, the most allowed`);
      },
    },
  );
  setHandler(
    itemLinkOperationUpdate,
    async (cmd) => {
      if (cmd.exercise) s.exerciseOperationIds.push(cmd.operationId);
      else s.operationId = cmd.operationId;
      if (s.status === 'open') s.status = 'in_progress';
      await project(cmd.exercise ? 'exercise' : 'operation', cmd.actor, { operationId: cmd.operationId });
      return snapshot();
    },
    {
      validator: (cmd) => {
        open(cmd);
        if (cmd.exercise) {
          if (s.kind !== 'training') refuse(`${label} is of kind ${s.kind}; only a training item runs exercises`);
          if (s.exerciseOperationIds.length >= MAX_EXERCISES_PER_ITEM) refuse(`${label} has run ${MAX_EXERCISES_PER_ITEM} exercises, the most allowed`);
        } else {
          if (s.kind !== 'operation') refuse(`${label} is of kind ${s.kind}; only an operation item becomes an operation`);
          if (s.operationId) refuse(`${label} became operation ${s.operationId} already`);
        }
      },
    },
  );
  setHandler(
    itemTrainingUpdate,
    async (cmd) => {
      s.training = { ...cmd.course, recordedBy: cmd.actor.sub, recordedAt: new Date().toISOString() };
      if (s.status === 'open') s.status = 'in_progress';
      await project('training', cmd.actor, { course: cmd.course });
      return snapshot();
    },
    {
      validator: (cmd) => {
        open(cmd);
        if (s.kind !== 'training') refuse(`${label} is of kind ${s.kind}; only a training item records a course`);
      },
    },
  );
  setHandler(acknowledgeAlertSignal, ({ alertId }) => {
    if (alertId === alert.id) alert.acknowledged = true;
  });

  await project('create', input.createdBy, { ownerCountry: s.ownerCountry, kind: s.kind, dueDate: s.dueDate });
  notifyOwner('assigned', `Action plan item for ${s.ownerCountry}: ${s.title} (due ${s.dueDate.slice(0, 10)})`);

  while (!closed()) {
    const version = dueVersion;
    const changed = () => closed() || dueVersion !== version;
    const due = Date.parse(s.dueDate);
    const reminderAt = due - input.reminderBeforeMs;
    if (reminderAt > Date.now() && (await condition(changed, reminderAt - Date.now()))) continue;
    if (Date.now() < due) {
      s.reminded = true;
      notifyOwner(`reminder/${version}`, `Reminder: action plan item "${s.title}" is due ${s.dueDate}`);
      await project('reminded', SYSTEM, { dueDate: s.dueDate });
      if (await condition(changed, Math.max(1, due - Date.now()))) continue;
    }

    // Overdue: the owner is told, the regional officer then the supervisor are alerted.
    s.overdue = true;
    const summary = `${label}, owned by ${s.ownerCountry}, was due ${s.dueDate} and is still ${s.status}`;
    const raised = await dataActivities.raiseAlert({
      key: `${workflowId}/alert/${version}`,
      workflowId,
      kind: 'deadline_missed',
      objectType: 'action_item',
      objectId: workflowId,
      clock: 'due',
      country: s.ownerCountry,
      region: s.region,
      summary,
    });
    alert.id = raised.alertId;
    alert.acknowledged = false;
    notifyOwner(`overdue/${version}`, `Overdue: action plan item "${s.title}" was due ${s.dueDate}`);
    await project('overdue', SYSTEM, { dueDate: s.dueDate, alertId: raised.alertId });
    const targets: EscalationTarget[] = [{ kind: 'regional_officer', region: s.region }, { kind: 'supervisor' }];
    const plan: LadderPlan = { levels: [{ name: 'regional_officer', delayMs: input.escalationStepMs }, { name: 'supervisor', delayMs: input.escalationStepMs }], loops: 1 };
    await walkLadder(plan, () => alert.acknowledged || changed(), async (level, index) => {
      await escalateAlert({ alertId: raised.alertId, key: `${raised.alertId}/l0/${index}`, level: index, levelName: level.name, target: targets[index], summary });
    });
    // Escalated (or acknowledged): the alert stays open until the item closes or gets a new due date.
    await condition(changed);
    await dataActivities.resolveAlert({ alertId: raised.alertId });
    alert.id = null;
    await project('alert.resolved', SYSTEM, { alertId: raised.alertId });
  }

  await Promise.all(deliveries);
  await condition(allHandlersFinished);
  return { status: s.status };
};
