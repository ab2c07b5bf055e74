import { dataActivities, notifyCountry, escalateAlert } from '../common/activity-stubs';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { checkNotExpired } from '../common/commands';
import { ApplicationFailure } from '@temporalio/common';
import type { EscalationTarget } from '../common/alerts';
import type { Actor } from '../common/domain';
import { ladderStart, LadderPlan, LadderProgress, walkLadder } from '../sla/escalation';
import {
  countryProgressSignal,
  CountrySnapshot,
  CountryStatus,
  finalReportUpdate,
  getCountryQuery,
  operationChangedSignal,
  operationWorkflowId,
  Phase,
  readinessUpdate,
  ResultCounts,
  resultsUpdate,
  withdrawCountrySignal,
  type OperationCountryWorkflow,
  INVALID_PARTICIPATION,
} from './operation.messages';
import { phaseAt } from './operation.state';
import { acknowledgeAlertSignal } from '../support-request/support-request.messages';


const SYSTEM: Actor = { sub: 'system', role: 'supervisor' };

const refuse = (message: string) => ApplicationFailure.nonRetryable(message, INVALID_PARTICIPATION);

interface DeadlineAlert {
  id: string;
  kind: 'readiness' | 'final_report';
  acknowledged: boolean;
  resolved: boolean;
  progress: LadderProgress;
  done: Promise<void>;
}

/** The live state keeps the last this many reports (the counts add up all of them; the read model keeps every one). */
export const KEPT_REPORTS = 20;
const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

/** One member country's part in an operation: invitation, readiness, results, final report. */
export const operationCountryWorkflow: OperationCountryWorkflow = async (input) => {
  const { workflowId } = workflowInfo();
  const c = input.carried;
  let aborted = c?.aborted ?? input.phase === 'aborted';
  let abortReason: string | null = c?.abortReason ?? null;
  let instants = c?.instants ?? input.instants;
  let status: CountryStatus = c?.status ?? 'invited';
  let withdrawn = c?.withdrawn ?? false;
  let ready = c?.ready ?? false;
  let late = c?.late ?? false;
  let pointOfContact: string | null = c?.pointOfContact ?? null;
  let teamSize: number | null = c?.teamSize ?? null;
  let reports: CountrySnapshot['reports'] = c?.reports ?? [];
  let reportCount = c?.reportCount ?? 0;
  const counts: ResultCounts = c?.counts ?? {};
  let finalReport: CountrySnapshot['finalReport'] = c?.finalReport ?? null;
  const alerts: DeadlineAlert[] = [];
  let version = c?.version ?? 0;
  let step = c?.step ?? 0;
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
  const at = (name: keyof typeof instants) => new Date(instants[name]).getTime();
  // The phase follows from the instants and the clock, so a child never lags behind its parent.
  const currentPhase = (): Phase => (aborted ? 'aborted' : phaseAt(instants, Date.now()));

  const snapshot = (): CountrySnapshot => ({
    operationId: input.operationId,
    iso: input.iso,
    region: input.region,
    phase: currentPhase(),
    status,
    ready,
    late,
    pointOfContact,
    teamSize,
    reports,
    reportCount,
    counts,
    finalReport,
    openAlerts: alerts.filter((a) => !a.resolved).map((a) => ({ id: a.id, kind: 'deadline_missed', acknowledged: a.acknowledged })),
  });

  // Ends when withdrawn or aborted, or once closed with the final report in (or its escalation over).
  const done = () =>
    withdrawn ||
    aborted ||
    (currentPhase() === 'closed' && (finalReport !== null || alerts.some((a) => a.kind === 'final_report' && a.resolved)));

  /** Tells the parent the country's standing and projects it; both idempotent. */
  const publish = async (action: string, actor: Actor, ended = false, tellParent = true, data?: Record<string, unknown>): Promise<void> => {
    const view = snapshot();
    await dataActivities.projectOperationCountry({ key: `${workflowId}/${++step}`, snapshot: view, event: { action, actor, data } });
    if (!tellParent) return;
    await getExternalWorkflowHandle(operationWorkflowId(input.operationId)).signal(countryProgressSignal, {
      iso: input.iso,
      region: input.region,
      status,
      ready,
      late,
      reports: reportCount,
      counts: { ...counts },
      finalReport: finalReport !== null,
      lastReportAt: reports.length ? reports[reports.length - 1].at : finalReport?.at ?? null,
      ended,
    });
  };

  const change = async (action: string, actor: Actor, data?: Record<string, unknown>): Promise<CountrySnapshot> => {
    version++;
    settleAlerts();
    await publish(action, actor, false, true, data);
    return snapshot();
  };

  setHandler(getCountryQuery, snapshot);
  setHandler(
    readinessUpdate,
    (cmd) => {
      ready = cmd.ready;
      pointOfContact = cmd.pointOfContact;
      teamSize = cmd.teamSize;
      if (status === 'invited' || status === 'not_ready' || status === 'ready') status = ready ? 'ready' : 'not_ready';
      if (ready) late = false;
      return change(ready ? 'readiness.confirm' : 'readiness.decline', cmd.actor);
    },
    {
      validator: (cmd) => {
        checkNotExpired(cmd, Date.now());
        if (withdrawn) throw refuse(`${input.iso} has withdrawn from the operation`);
        const phase = currentPhase();
        if (phase !== 'preparation' && phase !== 'action') throw refuse(`readiness is confirmed in preparation or action, not ${phase}`);
      },
    },
  );
  setHandler(
    resultsUpdate,
    (cmd) => {
      for (const [kind, n] of Object.entries(cmd.counts)) counts[kind as keyof ResultCounts] = (counts[kind as keyof ResultCounts] ?? 0) + (n ?? 0);
      reports = [...reports, { seq: ++reportCount, counts: cmd.counts, notes: cmd.notes ?? null, by: cmd.actor.sub, at: new Date().toISOString() }].slice(-KEPT_REPORTS);
      if (status !== 'final') status = 'reporting';
      // Reported indicators go to the deconfliction index with the projection (same activity).
      return change('results.report', cmd.actor, cmd.indicators?.length ? { indicators: cmd.indicators } : undefined);
    },
    {
      validator: (cmd) => {
        checkNotExpired(cmd, Date.now());
        if (withdrawn) throw refuse(`${input.iso} has withdrawn from the operation`);
        const phase = currentPhase();
        if (phase !== 'action') throw refuse(`results are reported during the action window, not in ${phase}`);
      },
    },
  );
  setHandler(
    finalReportUpdate,
    (cmd) => {
      if (cmd.counts) for (const [kind, n] of Object.entries(cmd.counts)) counts[kind as keyof ResultCounts] = (counts[kind as keyof ResultCounts] ?? 0) + (n ?? 0);
      finalReport = { summary: cmd.summary, by: cmd.actor.sub, at: new Date().toISOString() };
      status = 'final';
      late = false;
      return change('final_report', cmd.actor);
    },
    {
      validator: (cmd) => {
        checkNotExpired(cmd, Date.now());
        if (withdrawn) throw refuse(`${input.iso} has withdrawn from the operation`);
        const phase = currentPhase();
        if (phase !== 'debrief' && phase !== 'closed') throw refuse(`the final report is due in debrief, not in ${phase}`);
        if (finalReport) throw refuse('the final report was already submitted');
      },
    },
  );
  setHandler(operationChangedSignal, (message) => {
    instants = message.instants;
    if (message.phase === 'aborted') {
      aborted = true;
      abortReason = message.reason ?? null;
      status = 'aborted';
    }
    version++;
  });
  setHandler(withdrawCountrySignal, () => {
    withdrawn = true;
    status = 'withdrawn';
    version++;
  });
  setHandler(acknowledgeAlertSignal, ({ alertId }) => {
    const alert = alerts.find((a) => a.id === alertId);
    if (alert) alert.acknowledged = true;
  });

  function settleAlerts(): void {
    for (const a of alerts) {
      if (a.resolved) continue;
      const over = withdrawn || aborted;
      const phase = currentPhase();
      if (a.kind === 'readiness' && (ready || over || phase === 'debrief' || phase === 'closed')) a.resolved = true;
      if (a.kind === 'final_report' && (finalReport !== null || over)) a.resolved = true;
    }
  }

  // Country chain (primary, backup, duty desk), then the regional officer, then the supervisor.
  const targets: Array<{ name: string; target: EscalationTarget }> = [
    ...[1, 2, 3].map((rank) => ({ name: `country_contact_${rank}`, target: { kind: 'country_contact', country: input.iso, rank } as EscalationTarget })),
    { name: 'regional_officer', target: { kind: 'regional_officer', region: input.region } },
    { name: 'supervisor', target: { kind: 'supervisor' } },
  ];
  const ladder: LadderPlan = { levels: targets.map((t) => ({ name: t.name, delayMs: input.escalation.stepMs })), loops: input.escalation.loops };

  const summaryOf = (kind: DeadlineAlert['kind']) =>
    `${input.iso} missed the ${kind === 'readiness' ? 'readiness confirmation' : 'final report'} deadline of operation ${input.operationName} (${input.operationId})`;

  /** Walks the ladder from the alert's progress; an exhausted or acknowledged ladder ends its paging. */
  const page = (alert: DeadlineAlert): void => {
    const { id: alertId } = alert;
    const summary = summaryOf(alert.kind);
    alert.done = walkLadder(
      ladder,
      () => alert.acknowledged || alert.resolved,
      async (level, index, loop) => {
        await tracked(() => escalateAlert({ alertId, key: `${alertId}/l${loop}/${index}`, level: index, levelName: level.name, target: targets[index].target, summary }));
      },
      alert.progress,
    ).then(async () => {
      // The alert stays on record.
      alert.resolved = true;
      await tracked(() => dataActivities.resolveAlert({ alertId }));
      version++;
    });
  };

  const raise = async (kind: DeadlineAlert['kind']): Promise<void> => {
    const { alertId } = await tracked(() =>
      dataActivities.raiseAlert({
        key: `${workflowId}/alert/${kind}`,
        workflowId,
        kind: 'deadline_missed',
        objectType: 'operation',
        objectId: input.operationId,
        clock: kind,
        country: input.iso,
        region: input.region,
        summary: summaryOf(kind),
      }),
    );
    const alert: DeadlineAlert = { id: alertId, kind, acknowledged: false, resolved: false, progress: ladderStart(), done: Promise.resolve() };
    alerts.push(alert);
    page(alert);
  };

  let invitation: Promise<unknown> = Promise.resolve();
  if (c) {
    // A continued run: the invitation went out in an earlier run; open alerts page on.
    for (const a of c.alerts) {
      const alert: DeadlineAlert = { ...a, done: Promise.resolve() };
      alerts.push(alert);
      if (!a.resolved) page(alert);
    }
  } else {
    // The parent already counts the country as invited: no signal, so a launch of every member
    // country does not flood the parent with a signal per child.
    await publish('invite', SYSTEM, false, false);
    // Not awaited here: a slow mail server must not hold back the deadline watch below.
    invitation = notifyCountry({
      key: `${workflowId}/invitation`,
      country: input.iso,
      subject: `${input.exercise ? '[EXERCISE] ' : ''}Invitation: operation ${input.operationName}`,
      body: { operationId: input.operationId, name: input.operationName, instants, phase: currentPhase() },
    });
  }

  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const historyFull = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > maxEvents;
  let invitationSent = c !== undefined;
  void invitation.then(() => (invitationSent = true));
  const joinedBeforeReadiness = new Date(input.joinedAt).getTime() < at('readinessDeadline');
  while (!done()) {
    if (historyFull()) {
      // Everything in flight finishes in this run: updates, projections, alert activities.
      await condition(() => allHandlersFinished() && inFlight === 0 && invitationSent);
      await continueAsNew<typeof operationCountryWorkflow>({
        ...input,
        carried: {
          aborted, abortReason, instants, status, withdrawn, ready, late, pointOfContact, teamSize, reports, reportCount, counts, finalReport, version, step,
          runs: (c?.runs ?? 0) + 1,
          // Resolved ones too: a deadline is escalated once, whatever the run.
          alerts: alerts.map((a) => ({ id: a.id, kind: a.kind, acknowledged: a.acknowledged, resolved: a.resolved, progress: a.progress })),
        },
      });
    }
    const now = Date.now();
    const phase = currentPhase();
    // Wake at the next phase boundary too: the phase is derived from the clock.
    const pending: number[] = (['actionStart', 'actionEnd', 'debriefDeadline'] as const).map(at).filter((t) => t > now);
    const readinessDue = joinedBeforeReadiness && !ready && !alerts.some((a) => a.kind === 'readiness') && (phase === 'preparation' || phase === 'action');
    if (readinessDue) {
      if (now >= at('readinessDeadline')) {
        late = true;
        status = status === 'invited' ? 'not_ready' : status;
        await raise('readiness');
        await publish('deadline.readiness_missed', SYSTEM);
        continue;
      }
      pending.push(at('readinessDeadline'));
    }
    const finalDue = finalReport === null && !alerts.some((a) => a.kind === 'final_report') && (phase === 'debrief' || phase === 'closed');
    if (finalDue) {
      if (now >= at('debriefDeadline')) {
        late = true;
        await raise('final_report');
        await publish('deadline.final_report_missed', SYSTEM);
        continue;
      }
      pending.push(at('debriefDeadline'));
    }
    const seen = version;
    const wakeAt = pending.length ? Math.min(...pending) : null;
    if (wakeAt === null) await condition(() => version !== seen || historyFull());
    else await condition(() => version !== seen || historyFull(), Math.max(1, wakeAt - Date.now()));
    settleAlerts();
  }
  settleAlerts();
  if (aborted) {
    // Every country is told when the coordinator calls the operation off.
    await notifyCountry({
      key: `${workflowId}/aborted`,
      country: input.iso,
      subject: `${input.exercise ? '[EXERCISE] ' : ''}Operation ${input.operationName} is aborted`,
      body: { operationId: input.operationId, name: input.operationName, phase: 'aborted', reason: abortReason },
    });
  }
  await invitation;
  await Promise.all(alerts.map((a) => a.done));
  await publish(withdrawn ? 'withdrawn' : aborted ? 'aborted' : 'ended', SYSTEM, true);
  await condition(allHandlersFinished);
  return { status };
};
