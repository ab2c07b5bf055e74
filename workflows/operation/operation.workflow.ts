import { dataActivities } from '../common/activity-stubs';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  patched,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { Actor } from '../common/domain';
import { checkNotExpired } from '../common/commands';
import { SA_OPERATION, SA_STATUS } from '../common/search-attributes';
import {
  abortUpdate,
  addCountriesUpdate,
  countryProgressSignal,
  countryWorkflowId,
  extendUpdate,
  FINISHED_PHASES,
  getOperationQuery,
  launchUpdate,
  operationCreatedUpdate,
  OperationSnapshot,
  OperationState,
  Participant,
  withdrawCountrySignal,
  withdrawUpdate,
  type OperationWorkflow,
} from './operation.messages';
import {
  checkActive,
  checkAdd,
  checkExtend,
  checkLaunch,
  checkWithdraw,
  newProgress,
  operationSnapshot,
  phaseAt,
  phaseEnd,
} from './operation.state';


const SYSTEM: Actor = { sub: 'system', role: 'supervisor' };
/** Read-model writes are batched: at most one projection per this interval while progress pours in (see the main loop). */
const PROJECTION_DEBOUNCE_MS = 1_000;
const DEFAULT_MAX_HISTORY_EVENTS = 10_000;

export const operationWorkflow: OperationWorkflow = async (input) => {
  const { workflowId } = workflowInfo();
  const state: OperationState = input.carried ?? {
    phase: 'planning',
    instants: input.instants,
    countries: Object.fromEntries(input.participants.map((p) => [p.iso, newProgress(p, false)])),
    launchedAt: null,
    abortReason: null,
    step: 0,
    runs: 0,
  };
  let version = 0;
  let projectedVersion = -1;
  let lastProjectionAt = -Infinity;
  const launched = () => state.launchedAt !== null;
  const snapshot = (): OperationSnapshot => operationSnapshot(input, state, Date.now());
  const touch = () => version++;

  const record = async (action: string, actor: Actor, data?: Record<string, unknown>): Promise<void> => {
    projectedVersion = version;
    lastProjectionAt = Date.now();
    await dataActivities.projectOperation({ key: `${workflowId}/${++state.step}`, snapshot: snapshot(), event: { action, actor, data } });
  };

  const startCountries = async (participants: Participant[]): Promise<void> => {
    const joinedAt = new Date().toISOString();
    await dataActivities.startCountryWorkflows({
      inputs: participants.map((p) => ({
        operationId: input.id,
        operationName: input.name,
        iso: p.iso,
        region: p.region,
        phase: state.phase,
        instants: state.instants,
        joinedAt,
        exercise: input.exercise,
        escalation: input.escalation,
        maxHistoryEvents: input.maxHistoryEvents,
      })),
    });
  };

  const activeIsos = () =>
    Object.values(state.countries)
      .filter((c) => c.status !== 'withdrawn' && !c.ended)
      .map((c) => c.iso);

  const broadcast = async (reason?: string): Promise<void> => {
    if (!launched()) return;
    await dataActivities.signalCountryWorkflows({
      operationId: input.id,
      isos: activeIsos(),
      message: { phase: state.phase, instants: state.instants, reason },
    });
  };

  let recorded = input.carried !== undefined;
  setHandler(getOperationQuery, snapshot);
  setHandler(operationCreatedUpdate, async () => {
    await condition(() => recorded);
    return snapshot();
  });

  setHandler(
    launchUpdate,
    async ({ actor }) => {
      state.phase = 'preparation';
      state.launchedAt = new Date().toISOString();
      // A country withdrawn while planning stays withdrawn: it is neither invited nor started.
      const joining = Object.values(state.countries).filter((c) => c.status !== 'withdrawn');
      for (const c of joining) c.status = 'invited';
      touch();
      upsertSearchAttributes([{ key: SA_STATUS, value: state.phase }]);
      await startCountries(joining);
      await record('launch', actor, { countries: joining.length });
      return snapshot();
    },
    { validator: (cmd) => (checkNotExpired(cmd, Date.now()), checkLaunch(state, Date.now())) },
  );

  setHandler(
    addCountriesUpdate,
    async ({ actor, participants }) => {
      for (const p of participants) state.countries[p.iso] = newProgress(p, launched());
      touch();
      if (launched()) await startCountries(participants);
      await record('countries.add', actor, { countries: participants.map((p) => p.iso) });
      return snapshot();
    },
    { validator: (cmd) => (checkNotExpired(cmd, Date.now()), checkAdd(state, cmd.participants)) },
  );

  setHandler(
    withdrawUpdate,
    async ({ actor, iso }) => {
      const country = state.countries[iso];
      const wasRunning = launched() && !country.ended;
      country.status = 'withdrawn';
      touch();
      if (wasRunning) await getExternalWorkflowHandle(countryWorkflowId(input.id, iso)).signal(withdrawCountrySignal, { by: actor.sub });
      await record('countries.withdraw', actor, { country: iso });
      return snapshot();
    },
    { validator: (cmd) => (checkNotExpired(cmd, Date.now()), checkWithdraw(state, cmd.iso)) },
  );

  setHandler(
    extendUpdate,
    async ({ actor, instants }) => {
      const before = state.instants;
      state.instants = checkExtend(state, instants, Date.now());
      touch();
      await broadcast('instants extended');
      await record('extend', actor, { before, after: state.instants });
      return snapshot();
    },
    { validator: (cmd) => (checkNotExpired(cmd, Date.now()), void checkExtend(state, cmd.instants, Date.now())) },
  );

  setHandler(
    abortUpdate,
    async ({ actor, reason }) => {
      state.phase = 'aborted';
      state.abortReason = reason;
      touch();
      upsertSearchAttributes([{ key: SA_STATUS, value: state.phase }]);
      await broadcast(reason);
      await record('abort', actor, { reason });
      return snapshot();
    },
    { validator: (cmd) => (checkNotExpired(cmd, Date.now()), checkActive(state, 'abort')) },
  );

  setHandler(countryProgressSignal, (progress) => {
    const current = state.countries[progress.iso];
    if (!current) return;
    // A withdrawn country stays withdrawn in the totals whatever its child last said.
    state.countries[progress.iso] = current.status === 'withdrawn' ? { ...progress, status: 'withdrawn' } : progress;
    touch();
  });

  if (!input.carried) {
    upsertSearchAttributes([
      { key: SA_OPERATION, value: input.id },
      { key: SA_STATUS, value: state.phase },
    ]);
    await record('create', input.lead, { countries: input.participants.map((p) => p.iso), exercise: input.exercise });
  }
  recorded = true;

  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  for (;;) {
    const finished = FINISHED_PHASES.includes(state.phase);
    if (finished && (!launched() || activeIsos().length === 0)) break;
    const info = workflowInfo();
    if (info.continueAsNewSuggested || info.historyLength > maxEvents) {
      // An update accepted while the last projection is written must finish in this run too.
      while (!allHandlersFinished() || projectedVersion !== version) {
        await condition(allHandlersFinished);
        if (projectedVersion !== version) await record('progress', SYSTEM);
      }
      await continueAsNew<typeof operationWorkflow>({ ...input, carried: { ...state, runs: state.runs + 1 } });
    }

    const end = phaseEnd(state.phase);
    const endAt = end ? new Date(state.instants[end]).getTime() : Infinity;
    const seen = version;
    if (projectedVersion !== version) {
      // Progress waits to be projected: batch what arrives within the interval since the last
      // projection (a handler that projects meanwhile, or the phase end, wakes the loop sooner).
      // After a quiet interval a change is projected at once: a surge board shows one country's
      // readiness without waiting on a timer (which the server may fire a second late).
      const wait = patched('projection-leading-edge') ? PROJECTION_DEBOUNCE_MS - (Date.now() - lastProjectionAt) : PROJECTION_DEBOUNCE_MS;
      if (wait > 0) await condition(() => version !== seen && projectedVersion === version, Math.max(1, Math.min(endAt - Date.now(), wait)));
    } else {
      // Nothing pending: sleep until the phase ends or anything changes, a child's progress too
      // (which must reach the read model, and lets the history check above run).
      if (Number.isFinite(endAt)) await condition(() => version !== seen, Math.max(1, endAt - Date.now()));
      else await condition(() => version !== seen);
      if (projectedVersion !== version && Date.now() < endAt) continue; // the next turn batches it
    }

    if (end && Date.now() >= new Date(state.instants[end]).getTime() && !FINISHED_PHASES.includes(state.phase)) {
      // Children derive their phase from the same instants; only extend and abort are broadcast.
      state.phase = phaseAt(state.instants, Date.now());
      touch();
      upsertSearchAttributes([{ key: SA_STATUS, value: state.phase }]);
      await record(`phase.${state.phase}`, SYSTEM);
    } else if (projectedVersion !== version) {
      await record('progress', SYSTEM);
    }
  }
  if (projectedVersion !== version) await record('progress', SYSTEM);
  await condition(allHandlersFinished);
  return { phase: state.phase, runs: state.runs };
};
