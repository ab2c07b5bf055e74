import { dataActivities, notifyCountry, escalateAlert } from '../common/activity-stubs';
import {
  allHandlersFinished,
  condition,
  log,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AlertKind, EscalationTarget } from '../common/alerts';
import { SA_CATEGORY, SA_COUNTRY, SA_PRIORITY, SA_REGION, SA_STATUS } from '../common/search-attributes';
import { LadderPlan, PagedAlert, runPager } from '../sla/escalation';
import type { Threshold } from '../sla/sla-clock';
import {
  acknowledgeAlertSignal,
  addActionUpdate,
  assignUpdate,
  cancelUpdate,
  ClockName,
  closeUpdate,
  getSnapshotQuery,
  pauseClockUpdate,
  provideInfoUpdate,
  reopenUpdate,
  requestInfoUpdate,
  resolveUpdate,
  resumeClockUpdate,
  submittedUpdate,
  SupportRequestInput,
  SupportRequestSnapshot,
  triageUpdate,
} from './support-request.messages';
import { SupportRequestState, TransitionEvent } from './support-request.state';


interface ClockAlert extends PagedAlert {
  kind: AlertKind;
  clock: ClockName;
  done: Promise<void>;
}

const SYSTEM = { sub: 'system', role: 'supervisor' as const };

export async function supportRequestWorkflow(input: SupportRequestInput): Promise<{ status: string }> {
  const { workflowId } = workflowInfo();
  const state = new SupportRequestState(input, Date.now());
  const alerts: ClockAlert[] = [];
  let initialised = false;
  let step = 0;
  // Projections and notifications run one at a time, in transition order.
  let outbox: Promise<void> = Promise.resolve();

  const openAlerts = () =>
    alerts.filter((a) => !a.resolved).map((a) => ({ id: a.id, kind: a.kind, clock: a.clock, acknowledged: a.acknowledged }));
  const snapshot = (): SupportRequestSnapshot => state.snapshot(Date.now(), workflowId, openAlerts());

  const record = (event: TransitionEvent): Promise<void> => {
    const key = `${workflowId}/${++step}`;
    const view = snapshot();
    if (event.before !== event.after) upsertSearchAttributes([{ key: SA_STATUS, value: event.after }]);
    outbox = outbox.then(async () => {
      await dataActivities.projectSupportRequest({ key, snapshot: view, event });
      if (event.before !== event.after) {
        await notifyCountry({
          key: `${key}/notify`,
          country: input.country,
          subject: `Support request ${input.id} is now ${event.after}`,
          body: { requestId: input.id, title: input.title, status: event.after, previous: event.before, action: event.action },
        });
      }
    });
    return outbox;
  };

  /** Applies a change, stops alerts its clocks no longer need, records it, answers the new snapshot. */
  const change = async (apply: (now: number) => TransitionEvent): Promise<SupportRequestSnapshot> => {
    await condition(() => initialised);
    const event = apply(Date.now());
    settleAlerts();
    const view = snapshot();
    await record(event);
    return view;
  };

  setHandler(getSnapshotQuery, snapshot);
  setHandler(submittedUpdate, async () => {
    await condition(() => initialised);
    return snapshot();
  });
  setHandler(triageUpdate, (cmd) => change((now) => state.applyTriage(cmd, now)), { validator: (cmd) => state.checkTriage(cmd) });
  setHandler(assignUpdate, (cmd) => change((now) => state.applyAssign(cmd, now)), { validator: (_cmd) => state.check('assign') });
  setHandler(addActionUpdate, (cmd) => change((now) => state.applyAction(cmd, now)), { validator: (_cmd) => state.check('actions') });
  setHandler(requestInfoUpdate, (cmd) => change((now) => state.applyRequestInfo(cmd, now)), {
    validator: (_cmd) => state.check('request-info'),
  });
  setHandler(provideInfoUpdate, (cmd) => change((now) => state.applyProvideInfo(cmd, now)), {
    validator: (_cmd) => state.check('provide-info'),
  });
  setHandler(resolveUpdate, (cmd) => change((now) => state.applyResolve(cmd, now)), { validator: (_cmd) => state.check('resolve') });
  setHandler(closeUpdate, (cmd) => change((now) => state.applyClose(cmd, now)), { validator: (_cmd) => state.check('close') });
  setHandler(cancelUpdate, (cmd) => change((now) => state.applyCancel(cmd, now)), { validator: (_cmd) => state.check('cancel') });
  setHandler(reopenUpdate, (cmd) => change((now) => state.applyReopen(cmd, now)), { validator: (_cmd) => state.check('reopen') });
  setHandler(pauseClockUpdate, (cmd) => change((now) => state.applyPause(cmd, now)), { validator: (cmd) => state.checkPause(cmd) });
  setHandler(resumeClockUpdate, (cmd) => change((now) => state.applyResume(cmd, now)), { validator: (_cmd) => state.checkResume() });
  setHandler(acknowledgeAlertSignal, ({ alertId }) => {
    const alert = alerts.find((a) => a.id === alertId && !a.resolved);
    if (!alert) return;
    alert.acknowledged = true;
    alert.ackCount++;
  });

  const ladder: LadderPlan = {
    levels: [
      { name: 'assigned_officer', delayMs: input.policy.escalationStepMs },
      { name: 'regional_coordinator', delayMs: input.policy.escalationStepMs },
      { name: 'supervisor', delayMs: input.policy.escalationStepMs },
    ],
    loops: input.policy.escalationLoops,
  };
  const targetFor = (levelName: string): EscalationTarget => {
    if (levelName === 'assigned_officer') return { kind: 'assignee', assignee: state.assignee, region: input.region };
    if (levelName === 'regional_coordinator') return { kind: 'regional_officer', region: input.region };
    return { kind: 'supervisor' };
  };

  /** A stopped clock's alerts are resolved; a breach supersedes the same clock's warning. */
  function settleAlerts(): void {
    for (const alert of alerts) {
      if (alert.resolved) continue;
      const clock = state.clocks[alert.clock];
      if (clock.stopped || !clock.running) {
        if (clock.stopped) alert.resolved = true;
      }
    }
  }

  const raise = async (clock: ClockName, threshold: Threshold): Promise<void> => {
    const kind: AlertKind = threshold === 'warning' ? 'sla_warning' : 'sla_breach';
    for (const a of alerts) if (a.clock === clock && !a.resolved && kind === 'sla_breach') a.resolved = true;
    const summary = `${input.priority} support request ${input.id} (${input.country}): ${clock} SLA ${threshold === 'warning' ? 'at warning threshold' : 'breached'}`;
    const { alertId } = await dataActivities.raiseAlert({
      key: `${workflowId}/alert/${clock}/${kind}`,
      workflowId,
      kind,
      objectType: 'support_request',
      objectId: input.id,
      clock,
      country: input.country,
      region: input.region,
      summary,
    });
    const alert: ClockAlert = { id: alertId, kind, clock, acknowledged: false, resolved: false, ackCount: 0, done: Promise.resolve() };
    alerts.push(alert);
    alert.done = runPager(alert, ladder, input.policy.ackExpiryMs, {
      notify: async (level, index, loop, round) => {
        await escalateAlert({
          alertId,
          key: `${alertId}/r${round}/l${loop}/${index}`,
          level: index,
          levelName: level.name,
          target: targetFor(level.name),
          summary,
        });
      },
      rearm: async (round) => {
        await dataActivities.rearmAlert({ alertId, key: `${alertId}/rearm/${round}` });
      },
    }).then(() => dataActivities.resolveAlert({ alertId }));
  };

  upsertSearchAttributes([
    { key: SA_COUNTRY, value: input.country },
    { key: SA_REGION, value: input.region },
    { key: SA_PRIORITY, value: input.priority },
    { key: SA_CATEGORY, value: input.category },
    { key: SA_STATUS, value: state.status },
  ]);

  // Deconfliction runs before the request enters triage.
  const deconfliction = await dataActivities.deconflict({
    objectType: 'support_request',
    objectId: input.id,
    country: input.country,
    indicators: input.indicators,
  });
  state.deconfliction = deconfliction;
  await dataActivities.projectSupportRequest({
    key: `${workflowId}/${++step}`,
    snapshot: snapshot(),
    event: { action: 'submit', actor: input.requester, before: 'submitted', after: 'submitted', data: { deconflictionHit: deconfliction.hit } },
  });
  initialised = true;

  while (!state.terminal) {
    const version = state.version;
    const dueAt = state.nextClockDueAt();
    const closeAt = state.status === 'resolved' && state.resolvedAt !== null ? state.resolvedAt + input.policy.autoCloseAfterMs : null;
    const wakeAt = Math.min(dueAt ?? Infinity, closeAt ?? Infinity);
    const timeoutMs = Number.isFinite(wakeAt) ? Math.max(1, wakeAt - Date.now()) : undefined;
    const wake = () => state.version !== version || state.terminal;
    const changed = timeoutMs === undefined ? (await condition(wake), true) : await condition(wake, timeoutMs);
    if (changed) continue;
    const now = Date.now();
    if (closeAt !== null && now >= closeAt && state.status === 'resolved') {
      log.info('closing after the quiet period', { id: input.id });
      await change((at) => state.applyClose({ actor: SYSTEM }, at, true));
      continue;
    }
    for (const { clock, threshold } of state.takeDue(now)) await raise(clock, threshold);
  }

  settleAlerts();
  await outbox;
  await Promise.all(alerts.map((a) => a.done));
  await condition(allHandlersFinished);
  return { status: state.status };
}
