import { dataActivities, notifyCountry, escalateAlert } from '../common/activity-stubs';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  log,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { checkNotExpired, receivedInstant, Stamped } from '../common/commands';
import type { EscalationTarget } from '../common/alerts';
import { SA_CATEGORY, SA_COUNTRY, SA_PRIORITY, SA_REGION, SA_STATUS } from '../common/search-attributes';
import { ladderStart, LadderPlan, PagedAlert, runPager } from '../sla/escalation';
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
  SupportRequestSnapshot,
  triageUpdate,
  TriageCommand,
  PauseCommand,
  type SupportRequestWorkflow,
} from './support-request.messages';
import { SupportRequestState, TransitionEvent } from './support-request.state';

interface ClockAlert extends PagedAlert {
  kind: 'sla_warning' | 'sla_breach';
  clock: ClockName;
  done: Promise<void>;
}

/** Continue-as-new past this many history events unless the input lowers it (tests). */
const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

const SYSTEM = { sub: 'system', role: 'supervisor' as const };

export const supportRequestWorkflow: SupportRequestWorkflow = async (input) => {
  const { workflowId } = workflowInfo();
  const carried = input.carried;
  const state = carried ? SupportRequestState.fromData(input, carried.state) : new SupportRequestState(input, Date.now());
  const alerts: ClockAlert[] = [];
  let initialised = false;
  let step = carried?.step ?? 0;
  /** Alert activities in flight: the run continues as new only once none is. */
  let inFlight = 0;
  const tracked = async <T>(work: () => Promise<T>): Promise<T> => {
    inFlight++;
    try {
      return await work();
    } finally {
      inFlight--;
    }
  };
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

  /**
   * Applies a change at the instant the API received it, stops alerts its clocks no longer
   * need, records it, answers the new snapshot.
   */
  const change = async (cmd: Stamped | undefined, apply: (at: number) => TransitionEvent): Promise<SupportRequestSnapshot> => {
    await condition(() => initialised);
    const event = apply(receivedInstant(cmd, Date.now(), state.updatedAt));
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
  // Validators refuse a change the caller already gave up on (API 503), then check the state.
  const valid = <C extends Stamped>(check: (cmd: C) => void) => (cmd: C) => {
    checkNotExpired(cmd, Date.now());
    check(cmd);
  };
  setHandler(triageUpdate, (cmd) => change(cmd, (at) => state.applyTriage(cmd, at)), { validator: valid<TriageCommand>((cmd) => state.checkTriage(cmd)) });
  setHandler(assignUpdate, (cmd) => change(cmd, (at) => state.applyAssign(cmd, at)), { validator: valid(() => state.check('assign')) });
  setHandler(addActionUpdate, (cmd) => change(cmd, (at) => state.applyAction(cmd, at)), { validator: valid(() => state.check('actions')) });
  setHandler(requestInfoUpdate, (cmd) => change(cmd, (at) => state.applyRequestInfo(cmd, at)), { validator: valid(() => state.check('request-info')) });
  setHandler(provideInfoUpdate, (cmd) => change(cmd, (at) => state.applyProvideInfo(cmd, at)), { validator: valid(() => state.check('provide-info')) });
  setHandler(resolveUpdate, (cmd) => change(cmd, (at) => state.applyResolve(cmd, at)), { validator: valid(() => state.check('resolve')) });
  setHandler(closeUpdate, (cmd) => change(cmd, (at) => state.applyClose(cmd, at)), { validator: valid(() => state.check('close')) });
  setHandler(cancelUpdate, (cmd) => change(cmd, (at) => state.applyCancel(cmd, at)), { validator: valid(() => state.check('cancel')) });
  setHandler(reopenUpdate, (cmd) => change(cmd, (at) => state.applyReopen(cmd, at)), { validator: valid(() => state.check('reopen')) });
  setHandler(pauseClockUpdate, (cmd) => change(cmd, (at) => state.applyPause(cmd, at)), { validator: valid<PauseCommand>((cmd) => state.checkPause(cmd)) });
  setHandler(resumeClockUpdate, (cmd) => change(cmd, (at) => state.applyResume(cmd, at)), { validator: valid(() => state.checkResume()) });
  setHandler(acknowledgeAlertSignal, ({ alertId }) => {
    const alert = alerts.find((a) => a.id === alertId && !a.resolved);
    if (!alert) return;
    alert.acknowledged = true;
    alert.ackCount++;
    alert.ackedAt = Date.now();
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

  /** Pages an alert until it is acknowledged or resolved, then closes it in the read model. */
  const page = (alert: ClockAlert, summary: string): void => {
    const alertId = alert.id;
    alert.done = runPager(alert, ladder, input.policy.ackExpiryMs, {
      notify: async (level, index, loop, round) => {
        await tracked(() =>
          escalateAlert({
            alertId,
            key: `${alertId}/r${round}/l${loop}/${index}`,
            level: index,
            levelName: level.name,
            target: targetFor(level.name),
            summary,
          }),
        );
      },
      rearm: async (round) => {
        await tracked(() => dataActivities.rearmAlert({ alertId, key: `${alertId}/rearm/${round}` }));
      },
    }).then(() => tracked(() => dataActivities.resolveAlert({ alertId })));
  };
  const summaryOf = (clock: ClockName, kind: ClockAlert['kind']) =>
    `${input.priority} support request ${input.id} (${input.country}): ${clock} SLA ${kind === 'sla_warning' ? 'at warning threshold' : 'breached'}`;

  const raise = async (clock: ClockName, threshold: Threshold): Promise<void> => {
    const kind: ClockAlert['kind'] = threshold === 'warning' ? 'sla_warning' : 'sla_breach';
    for (const a of alerts) if (a.clock === clock && !a.resolved && kind === 'sla_breach') a.resolved = true;
    const summary = summaryOf(clock, kind);
    const { alertId } = await tracked(() =>
      dataActivities.raiseAlert({
        key: `${workflowId}/alert/${clock}/${kind}`,
        workflowId,
        kind,
        objectType: 'support_request',
        objectId: input.id,
        clock,
        country: input.country,
        region: input.region,
        summary,
      }),
    );
    const alert: ClockAlert = { id: alertId, kind, clock, acknowledged: false, resolved: false, ackCount: 0, done: Promise.resolve() };
    alerts.push(alert);
    // A change that stopped the clock while the alert was being raised resolves it before it pages.
    if (patched('settle-raised-alert')) settleAlerts();
    page(alert, summary);
  };

  if (carried) {
    // A continued run: the state, clocks and open alerts come from the previous run.
    for (const a of carried.alerts) {
      const alert: ClockAlert = { ...a, resolved: false, done: Promise.resolve() };
      alerts.push(alert);
      page(alert, summaryOf(a.clock, a.kind));
    }
    initialised = true;
  } else {
    upsertSearchAttributes([
      { key: SA_COUNTRY, value: input.country },
      { key: SA_REGION, value: input.region },
      { key: SA_PRIORITY, value: input.priority },
      { key: SA_CATEGORY, value: input.category },
      { key: SA_STATUS, value: state.status },
    ]);

    // Deconfliction runs before the request enters triage.
    const deconflict = { objectType: 'support_request' as const, objectId: input.id, country: input.country, indicators: input.indicators };
    const submit = { action: 'submit', actor: input.requester, before: 'submitted', after: 'submitted' } as const;
    if (patched('intake-one-step')) {
      // One activity deconflicts and projects (the snapshot gets its result there).
      state.deconfliction = await dataActivities.intakeSupportRequest({ deconflict, key: `${workflowId}/${++step}`, snapshot: snapshot(), event: { ...submit, data: {} } });
    } else {
      state.deconfliction = await dataActivities.deconflict(deconflict);
      await dataActivities.projectSupportRequest({
        key: `${workflowId}/${++step}`,
        snapshot: snapshot(),
        event: { ...submit, data: { deconflictionHit: state.deconfliction.hit } },
      });
    }
    initialised = true;
  }

  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxEvents;
  while (!state.terminal) {
    if (historyFull()) {
      // Everything in flight finishes in this run: updates, projections, alert activities.
      while (!(allHandlersFinished() && inFlight === 0)) {
        await condition(() => allHandlersFinished() && inFlight === 0);
        await outbox;
      }
      await continueAsNew<typeof supportRequestWorkflow>({
        ...input,
        carried: {
          state: state.toData(),
          step,
          runs: (carried?.runs ?? 0) + 1,
          alerts: alerts
            .filter((a) => !a.resolved)
            .map((a) => ({ id: a.id, kind: a.kind, clock: a.clock, acknowledged: a.acknowledged, ackCount: a.ackCount, ackedAt: a.ackedAt ?? null, round: a.round ?? 0, progress: a.progress ?? ladderStart() })),
        },
      });
    }
    const version = state.version;
    const dueAt = state.nextClockDueAt();
    const closeAt = state.status === 'resolved' && state.resolvedAt !== null ? state.resolvedAt + input.policy.autoCloseAfterMs : null;
    const wakeAt = Math.min(dueAt ?? Infinity, closeAt ?? Infinity);
    const timeoutMs = Number.isFinite(wakeAt) ? Math.max(1, wakeAt - Date.now()) : undefined;
    const wake = () => state.version !== version || state.terminal || historyFull();
    const changed = timeoutMs === undefined ? (await condition(wake), true) : await condition(wake, timeoutMs);
    if (changed) continue;
    const now = Date.now();
    if (closeAt !== null && now >= closeAt && state.status === 'resolved') {
      log.info('closing after the quiet period', { id: input.id });
      await change(undefined, (at) => state.applyClose({ actor: SYSTEM }, at, true));
      continue;
    }
    for (const { clock, threshold } of state.takeDue(now)) await raise(clock, threshold);
  }

  settleAlerts();
  await outbox;
  await Promise.all(alerts.map((a) => a.done));
  await condition(allHandlersFinished);
  return { status: state.status };
};
