import { randomUUID } from 'node:crypto';
import { ApplicationFailure, WorkflowHandle, WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Actor } from '../../workflows/common/domain';
import {
  abortUpdate,
  addCountriesUpdate,
  countryWorkflowId,
  CountrySnapshot,
  extendUpdate,
  finalReportUpdate,
  getCountryQuery,
  getOperationQuery,
  launchUpdate,
  operationCreatedUpdate,
  OperationInput,
  OperationSnapshot,
  operationWorkflowId,
  readinessUpdate,
  RESULT_KINDS,
  ResultCounts,
  ResultKind,
  resultsUpdate,
  withdrawUpdate,
  INVALID_PARTICIPATION,
} from '../../workflows/operation/operation.messages';
import { INVALID_OPERATION_CHANGE } from '../../workflows/operation/operation.state';
import { fakeActivities, RecordedCall, workflowEnv } from '../support/workflow-env';

// The regional-operation parent and its per-country children on the Temporal dev server, with
// recording fake activities. Time is real, ladder steps 300 ms. A phase that must wait for the
// test's own calls is planned a minute long and pulled in with `extend` once they are answered, so a
// loaded machine cannot move the operation on before the test is ready.

const lead: Actor = { sub: 'lead@cyberops.test', role: 'coordinator', region: 'EURASIA' };
const officer = (iso: string): Actor => ({ sub: `officer@${iso.toLowerCase()}.police.test`, role: 'member', country: iso });
const ASEAN = ['BN', 'KH', 'ID', 'LA', 'MY', 'MM', 'PH', 'SG', 'TH', 'VN'];
const LADDER = ['country_contact_1', 'country_contact_2', 'country_contact_3', 'regional_officer', 'supervisor'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Offsets (ms) from the moment the operation is created. */
interface Plan {
  readiness: number;
  actionStart: number;
  actionEnd: number;
  debrief: number;
}

function operationInput(isos: string[], plan: Plan, extra: Partial<OperationInput> = {}): OperationInput {
  const t0 = Date.now();
  const at = (ms: number) => new Date(t0 + ms).toISOString();
  return {
    id: `OP-${randomUUID().slice(0, 8).toUpperCase()}`,
    name: 'ASEAN botnet surge',
    objective: 'Take down the C2 infrastructure and notify victims',
    categories: ['botnet'],
    participants: isos.map((iso) => ({ iso, region: 'EURASIA' })),
    instants: { readinessDeadline: at(plan.readiness), actionStart: at(plan.actionStart), actionEnd: at(plan.actionEnd), debriefDeadline: at(plan.debrief) },
    lead,
    exercise: true,
    escalation: { stepMs: 300, loops: 1, ackExpiryMs: 60_000 },
    ...extra,
  };
}

const zeroResults = (): Record<ResultKind, number> => Object.fromEntries(RESULT_KINDS.map((k) => [k, 0])) as Record<ResultKind, number>;
function addCounts(into: Record<ResultKind, number>, counts: ResultCounts): void {
  for (const [kind, n] of Object.entries(counts)) into[kind as ResultKind] += n ?? 0;
}

/** Polls `probe` until `ok` holds; fails with the last value when the deadline passes. */
async function until<T>(what: string, probe: () => T | Promise<T>, ok: (value: T) => boolean, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  let value = await probe();
  while (!ok(value)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last value: ${JSON.stringify(value)}`);
    await sleep(100);
    value = await probe();
  }
  return value;
}

/** The update is refused by its validator: WorkflowUpdateFailedError with the workflow's failure type. */
async function expectRefused(attempt: Promise<unknown>, type: string, message?: RegExp): Promise<void> {
  const error = await attempt.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  expect((cause as ApplicationFailure).type).toBe(type);
  if (message) expect((cause as ApplicationFailure).message).toMatch(message);
}

interface Ctx {
  input: OperationInput;
  op: WorkflowHandle;
  child: (iso: string) => WorkflowHandle;
  calls: RecordedCall[];
  snapshot: () => Promise<OperationSnapshot>;
  waitOp: (what: string, ok: (s: OperationSnapshot) => boolean, ms?: number) => Promise<OperationSnapshot>;
  /** Absolute time (ms) of an instant as planned at creation. */
  instant: (name: keyof OperationInput['instants']) => number;
  launch: () => Promise<OperationSnapshot>;
  /** Moves instants to `ms` from now (the lead's extend update). */
  pullIn: (offsets: Partial<Record<keyof OperationInput['instants'], number>>) => Promise<OperationSnapshot>;
  ready: (iso: string) => Promise<CountrySnapshot>;
  /** Waits until every named child is in `phase` (children learn of a phase change shortly after the parent). */
  childrenIn: (isos: string[], phase: CountrySnapshot['phase'], ms?: number) => Promise<void>;
}

describe('operationWorkflow and operationCountryWorkflow on the Temporal dev server', () => {
  let env: TestWorkflowEnvironment;

  beforeAll(async () => {
    env = await workflowEnv();
  });
  afterAll(async () => {
    await env?.teardown();
  });

  async function run(isos: string[], plan: Plan, extra: Partial<OperationInput>, body: (ctx: Ctx) => Promise<void>): Promise<void> {
    const fakes = fakeActivities();
    const taskQueue = `op-${randomUUID()}`;
    const worker = await Worker.create({
      connection: env.nativeConnection,
      taskQueue,
      workflowsPath: require.resolve('../../workflows'),
      activities: fakes.activities,
    });
    await worker.runUntil(async () => {
      // Instants are taken once the worker is up, so bundling time does not eat into them.
      const input = operationInput(isos, plan, extra);
      await env.client.workflow.start('operationWorkflow', { taskQueue, workflowId: operationWorkflowId(input.id), args: [input] });
      const op = env.client.workflow.getHandle(operationWorkflowId(input.id));
      const created = await op.executeUpdate(operationCreatedUpdate);
      expect(created.phase).toBe('planning');
      const snapshot = () => op.query(getOperationQuery);
      const child = (iso: string) => env.client.workflow.getHandle(countryWorkflowId(input.id, iso));
      try {
        await body({
          input,
          op,
          child,
          calls: fakes.calls,
          snapshot,
          waitOp: (what, ok, ms) => until(what, snapshot, ok, ms),
          instant: (name) => Date.parse(input.instants[name]),
          launch: () => op.executeUpdate(launchUpdate, { args: [{ actor: lead }] }),
          pullIn: (offsets) => {
            const now = Date.now();
            const instants = Object.fromEntries(Object.entries(offsets).map(([name, ms]) => [name, new Date(now + ms).toISOString()]));
            return op.executeUpdate(extendUpdate, { args: [{ actor: lead, instants }] });
          },
          ready: (iso) =>
            child(iso).executeUpdate(readinessUpdate, { args: [{ actor: officer(iso), ready: true, pointOfContact: `duty@${iso.toLowerCase()}.police.test`, teamSize: 4 }] }),
          childrenIn: async (list, phase, ms = 5_000) => {
            await Promise.all(list.map((iso) => until(`${iso} in ${phase}`, () => child(iso).query(getCountryQuery), (c) => c.phase === phase, ms)));
          },
        });
      } catch (error) {
        // Leave nothing running on the shared server after a failure (children are abandoned).
        const leftovers = [op, ...[...isos, 'SG', 'FR'].map(child)];
        await Promise.all(leftovers.map((h) => h.terminate('test failed').catch(() => undefined)));
        throw error;
      }
    });
  }

  const callsOf = (calls: RecordedCall[], name: RecordedCall['name'], pred: (args: any) => boolean = () => true) =>
    calls.filter((c) => c.name === name && pred(c.args));

  it('runs a 10-country ASEAN surge through every phase and sums the results exactly', async () => {
    await run(ASEAN, { readiness: 60_000, actionStart: 60_500, actionEnd: 120_000, debrief: 180_000 }, {}, async ({ op, child, calls, snapshot, waitOp, launch, ready, instant, childrenIn, pullIn }) => {
      const launched = await launch();
      expect(launched.phase).toBe('preparation');
      expect(launched.totals.invited).toBe(10);
      expect(launched.nextDeadline).toEqual({ name: 'readinessDeadline', at: expect.any(String) });

      await Promise.all(ASEAN.map(ready));
      const prepared = await waitOp('all ready', (s) => s.totals.ready === 10);
      expect(prepared.phase).toBe('preparation');
      expect(prepared.totals).toMatchObject({ invited: 10, ready: 10, notReady: 0, reporting: 0, finalReports: 0, withdrawn: 0 });
      expect(prepared.totals.byRegion).toEqual({ EURASIA: { invited: 10, ready: 10, reporting: 0, finalReports: 0 } });
      // Child progress reaches the read model within the projection debounce, not only at the next phase.
      await until('progress projected during preparation', () => callsOf(calls, 'projectOperation', (a) => a.snapshot.phase === 'preparation' && a.snapshot.totals.ready === 10), (c) => c.length > 0);
      expect(Date.now()).toBeLessThan(instant('actionStart'));
      await expectRefused(child('PH').executeUpdate(resultsUpdate, { args: [{ actor: officer('PH'), counts: { arrests: 1 } }] }), INVALID_PARTICIPATION, /action window/);
      await pullIn({ readinessDeadline: 1_000, actionStart: 1_000 });

      await waitOp('action phase', (s) => s.phase === 'action');
      await childrenIn(ASEAN, 'action');
      const expected = zeroResults();
      await Promise.all(
        ASEAN.map(async (iso, i) => {
          const first: ResultCounts = { arrests: i + 1, servers_seized: 2 };
          await child(iso).executeUpdate(resultsUpdate, { args: [{ actor: officer(iso), counts: first, notes: 'first wave', indicators: [{ type: 'ipv4', value: `198.51.100.${i + 1}` }] }] });
          addCounts(expected, first);
          if (i % 2 === 0) {
            const second: ResultCounts = { domains_taken_down: 3, funds_frozen_usd: 1_000 * (i + 1), botnet_nodes_sinkholed: 40 };
            const after = await child(iso).executeUpdate(resultsUpdate, { args: [{ actor: officer(iso), counts: second }] });
            expect(after.reports.map((r) => r.seq)).toEqual([1, 2]);
            addCounts(expected, second);
          }
        }),
      );
      const reported = await waitOp('results summed', (s) => s.totals.reporting === 10 && JSON.stringify(s.totals.results) === JSON.stringify(expected));
      expect(reported.totals.results).toEqual(expected);
      expect(reported.totals.results.arrests).toBe(55);
      expect(reported.phase).toBe('action');

      await pullIn({ actionEnd: 1_000 });
      await waitOp('debrief phase', (s) => s.phase === 'debrief');
      await childrenIn(ASEAN, 'debrief');
      await Promise.all(
        ASEAN.map(async (iso, i) => {
          const counts: ResultCounts | undefined = i < 3 ? { victims_notified: 100 } : undefined;
          const after = await child(iso).executeUpdate(finalReportUpdate, { args: [{ actor: officer(iso), summary: `${iso}: C2 dismantled`, counts }] });
          expect(after.status).toBe('final');
          if (counts) addCounts(expected, counts);
        }),
      );
      const reportedFinal = await waitOp('final reports', (s) => s.totals.finalReports === 10);
      expect(reportedFinal.totals.results).toEqual(expected);
      expect(reportedFinal.phase).toBe('debrief');

      await pullIn({ debriefDeadline: 1_000 });
      expect(await op.result()).toEqual({ phase: 'closed', runs: 0 });
      const closed = await snapshot();
      expect(closed.phase).toBe('closed');
      expect(closed.nextDeadline).toBeNull();
      expect(closed.lateCountries).toEqual([]);
      expect(closed.totals).toEqual({
        invited: 10,
        ready: 10,
        notReady: 0,
        reporting: 10,
        finalReports: 10,
        withdrawn: 0,
        results: expected,
        byRegion: { EURASIA: { invited: 10, ready: 10, reporting: 10, finalReports: 10 } },
      });
      for (const iso of ASEAN) {
        expect(await child(iso).result()).toEqual({ status: 'final' });
        expect((await child(iso).describe()).status.name).toBe('COMPLETED');
      }
      expect(callsOf(calls, 'raiseAlert')).toEqual([]);
      expect(callsOf(calls, 'escalateAlert')).toEqual([]);
      expect(callsOf(calls, 'notifyCountry').map((c) => c.args.country).sort()).toEqual([...ASEAN].sort());
      const actions = callsOf(calls, 'projectOperation').map((c) => c.args.event.action);
      expect(actions).toEqual(expect.arrayContaining(['create', 'launch', 'phase.action', 'phase.debrief', 'phase.closed']));
      const keys = callsOf(calls, 'projectOperation').map((c) => c.args.key);
      expect(new Set(keys).size).toBe(keys.length);
    });
  });

  it('escalates a country that misses readiness up its contact chain, and resolves it on confirmation', async () => {
    await run(['PH', 'SG', 'TH'], { readiness: 60_000, actionStart: 120_000, actionEnd: 130_000, debrief: 140_000 }, {}, async ({ op, child, calls, snapshot, waitOp, launch, ready, pullIn }) => {
      await launch();
      await Promise.all(['SG', 'TH'].map(ready));
      const readinessDeadline = Date.parse((await pullIn({ readinessDeadline: 500 })).instants.readinessDeadline);
      const escalations = () => callsOf(calls, 'escalateAlert', (a) => a.target.kind !== 'country_contact' || a.target.country === 'PH');
      await until('ladder reaches the regional officer', escalations, (e) => e.some((c) => c.args.levelName === 'regional_officer'), 8_000);

      const raised = callsOf(calls, 'raiseAlert');
      expect(raised).toHaveLength(1);
      expect(raised[0].args).toMatchObject({ kind: 'deadline_missed', clock: 'readiness', country: 'PH', region: 'EURASIA', objectType: 'operation' });
      expect(raised[0].at).toBeGreaterThanOrEqual(readinessDeadline);
      const alertId = `AL-1-deadline_missed`;
      const climbed = escalations().slice(0, 4);
      expect(climbed.map((c) => c.args.levelName)).toEqual(LADDER.slice(0, 4));
      expect(climbed.every((c) => c.args.alertId === alertId)).toBe(true);
      expect(climbed.map((c) => c.args.target)).toEqual([
        { kind: 'country_contact', country: 'PH', rank: 1 },
        { kind: 'country_contact', country: 'PH', rank: 2 },
        { kind: 'country_contact', country: 'PH', rank: 3 },
        { kind: 'regional_officer', region: 'EURASIA' },
      ]);
      for (let i = 1; i < climbed.length; i++) expect(climbed[i].at - climbed[i - 1].at).toBeGreaterThanOrEqual(250);

      const late = await waitOp('PH late', (s) => s.lateCountries.includes('PH'));
      expect(late.lateCountries).toEqual(['PH']);
      expect(late.countries.find((c) => c.iso === 'PH')).toMatchObject({ late: true, ready: false, status: 'not_ready' });
      const phLate = await child('PH').query(getCountryQuery);
      expect(phLate).toMatchObject({ late: true, ready: false, openAlerts: [{ id: alertId, kind: 'deadline_missed', acknowledged: false }] });

      const confirmed = await ready('PH');
      expect(confirmed).toMatchObject({ ready: true, late: false, status: 'ready', openAlerts: [] });
      await until('alert resolved', () => callsOf(calls, 'resolveAlert', (a) => a.alertId === alertId), (c) => c.length === 1, 5_000);
      const cleared = await waitOp('PH no longer late', (s) => s.lateCountries.length === 0 && s.totals.ready === 3);
      expect(cleared.countries.find((c) => c.iso === 'PH')).toMatchObject({ late: false, ready: true, status: 'ready' });
      const paged = escalations().length;
      await sleep(800);
      expect(escalations().length).toBe(paged);
      expect(callsOf(calls, 'raiseAlert')).toHaveLength(1);

      await op.executeUpdate(abortUpdate, { args: [{ actor: lead, reason: 'test over' }] });
      expect(await op.result()).toEqual({ phase: 'aborted', runs: 0 });
      expect((await snapshot()).phase).toBe('aborted');
    });
  });

  it('adds a country during action (no readiness escalation for it) and withdraws another', async () => {
    await run(['PH', 'TH', 'VN'], { readiness: 60_000, actionStart: 60_500, actionEnd: 120_000, debrief: 130_000 }, {}, async ({ op, child, calls, waitOp, launch, ready, childrenIn, pullIn }) => {
      await launch();
      await Promise.all(['PH', 'TH', 'VN'].map(ready));
      await pullIn({ readinessDeadline: 500, actionStart: 1_000 });
      await waitOp('action phase', (s) => s.phase === 'action' && s.totals.ready === 3);
      await childrenIn(['PH', 'TH', 'VN'], 'action');

      const added = await op.executeUpdate(addCountriesUpdate, { args: [{ actor: lead, participants: [{ iso: 'SG', region: 'EURASIA' }] }] });
      expect(added.countries.find((c) => c.iso === 'SG')).toMatchObject({ status: 'invited', ready: false });
      expect(added.totals.invited).toBe(4);
      const sg = await until('SG child running in action', () => child('SG').query(getCountryQuery), (s) => s.phase === 'action');
      expect(sg.status).toBe('invited');
      const sgReported = await child('SG').executeUpdate(resultsUpdate, { args: [{ actor: officer('SG'), counts: { arrests: 2, servers_seized: 5 } }] });
      expect(sgReported).toMatchObject({ status: 'reporting', counts: { arrests: 2, servers_seized: 5 } });
      await child('PH').executeUpdate(resultsUpdate, { args: [{ actor: officer('PH'), counts: { arrests: 1 } }] });
      await child('TH').executeUpdate(resultsUpdate, { args: [{ actor: officer('TH'), counts: { arrests: 7 } }] });

      const withdrawn = await op.executeUpdate(withdrawUpdate, { args: [{ actor: lead, iso: 'TH' }] });
      expect(withdrawn.countries.find((c) => c.iso === 'TH')?.status).toBe('withdrawn');
      expect(await child('TH').result()).toEqual({ status: 'withdrawn' });
      expect((await child('TH').describe()).status.name).toBe('COMPLETED');

      const totals = (await waitOp('SG reporting and TH withdrawn', (s) => s.totals.reporting === 2 && s.totals.withdrawn === 1 && s.totals.results.arrests === 3)).totals;
      expect(totals).toMatchObject({ invited: 3, ready: 2, notReady: 1, reporting: 2, withdrawn: 1 });
      expect(totals.results).toMatchObject({ arrests: 3, servers_seized: 5 });
      expect(totals.byRegion.EURASIA).toEqual({ invited: 3, ready: 2, reporting: 2, finalReports: 0 });
      await expectRefused(op.executeUpdate(withdrawUpdate, { args: [{ actor: lead, iso: 'TH' }] }), INVALID_OPERATION_CHANGE, /not taking part/);

      // A late joiner confirms readiness in action without ever being chased for it.
      await sleep(1_000);
      expect(await child('SG').query(getCountryQuery)).toMatchObject({ late: false, openAlerts: [] });
      await ready('SG');
      const after = await waitOp('SG ready', (s) => s.totals.ready === 3);
      expect(after.lateCountries).toEqual([]);
      expect(callsOf(calls, 'raiseAlert')).toEqual([]);
      expect(callsOf(calls, 'notifyCountry').map((c) => c.args.country).sort()).toEqual(['PH', 'SG', 'TH', 'VN']);

      await op.executeUpdate(abortUpdate, { args: [{ actor: lead, reason: 'test over' }] });
      expect(await op.result()).toEqual({ phase: 'aborted', runs: 0 });
      const final = await op.query(getOperationQuery);
      expect(final.totals).toMatchObject({ invited: 3, withdrawn: 1 });
      expect(final.countries.find((c) => c.iso === 'TH')?.status).toBe('withdrawn');
    });
  });

  it('moves the readiness deadline and action start on extend; a passed instant cannot be extended', async () => {
    await run(['PH', 'SG'], { readiness: 2_000, actionStart: 2_500, actionEnd: 20_000, debrief: 21_000 }, {}, async ({ op, child, calls, snapshot, waitOp, launch, ready, instant }) => {
      await launch();
      await ready('SG');
      const oldReadiness = instant('readinessDeadline');
      const newReadiness = oldReadiness + 3_000;
      const newActionStart = instant('actionStart') + 3_000;
      const extended = await op.executeUpdate(extendUpdate, {
        args: [{ actor: lead, instants: { readinessDeadline: new Date(newReadiness).toISOString(), actionStart: new Date(newActionStart).toISOString() } }],
      });
      expect(Date.parse(extended.instants.readinessDeadline)).toBe(newReadiness);
      expect(Date.parse(extended.instants.actionStart)).toBe(newActionStart);

      // Past both old instants: nothing fired, still in preparation.
      await sleep(Math.max(0, instant('actionStart') + 700 - Date.now()));
      expect(callsOf(calls, 'raiseAlert')).toEqual([]);
      expect((await snapshot()).phase).toBe('preparation');
      expect(await child('PH').query(getCountryQuery)).toMatchObject({ late: false, phase: 'preparation', openAlerts: [] });

      // After the new readiness deadline the country is chased.
      await until('readiness alert after the new deadline', () => callsOf(calls, 'raiseAlert'), (c) => c.length > 0, 8_000);
      const [raised] = callsOf(calls, 'raiseAlert');
      expect(raised.args).toMatchObject({ kind: 'deadline_missed', clock: 'readiness', country: 'PH' });
      expect(raised.at).toBeGreaterThanOrEqual(newReadiness);
      await until('first escalation', () => callsOf(calls, 'escalateAlert'), (c) => c.length > 0);
      expect(callsOf(calls, 'escalateAlert')[0].args.levelName).toBe('country_contact_1');
      const action = await waitOp('action phase at the new start', (s) => s.phase === 'action', 5_000);
      expect(Date.now()).toBeGreaterThanOrEqual(newActionStart);
      expect(action.lateCountries).toEqual(['PH']);

      await expectRefused(
        op.executeUpdate(extendUpdate, { args: [{ actor: lead, instants: { readinessDeadline: new Date(Date.now() + 60_000).toISOString() } }] }),
        INVALID_OPERATION_CHANGE,
        /already passed/,
      );
      await expectRefused(
        op.executeUpdate(extendUpdate, { args: [{ actor: lead, instants: { actionEnd: new Date(Date.now() - 1_000).toISOString() } }] }),
        INVALID_OPERATION_CHANGE,
        /future/,
      );
      expect(Date.parse((await snapshot()).instants.readinessDeadline)).toBe(newReadiness);

      await op.executeUpdate(abortUpdate, { args: [{ actor: lead, reason: 'test over' }] });
      expect(await op.result()).toEqual({ phase: 'aborted', runs: 0 });
    });
  });

  it('aborts: every child ends, the parent phase is aborted and the parent completes', async () => {
    const isos = ['PH', 'SG', 'TH', 'VN'];
    await run(isos, { readiness: 60_000, actionStart: 61_500, actionEnd: 120_000, debrief: 130_000 }, {}, async ({ op, child, calls, snapshot, waitOp, launch, ready, childrenIn, pullIn }) => {
      await launch();
      await Promise.all(['SG', 'TH', 'VN'].map(ready));
      await pullIn({ readinessDeadline: 500, actionStart: 2_000 });
      await until('PH chased', () => callsOf(calls, 'escalateAlert'), (c) => c.length > 0);
      await waitOp('action phase', (s) => s.phase === 'action');
      await childrenIn(['VN'], 'action');
      await child('VN').executeUpdate(resultsUpdate, { args: [{ actor: officer('VN'), counts: { arrests: 4 } }] });
      await waitOp('VN reporting', (s) => s.totals.reporting === 1);

      const aborted = await op.executeUpdate(abortUpdate, { args: [{ actor: lead, reason: 'operational security compromised' }] });
      expect(aborted).toMatchObject({ phase: 'aborted', abortReason: 'operational security compromised', nextDeadline: null });
      expect(await op.result()).toEqual({ phase: 'aborted', runs: 0 });
      for (const iso of isos) {
        expect(await child(iso).result()).toEqual({ status: 'aborted' });
        expect((await child(iso).describe()).status.name).toBe('COMPLETED');
      }
      const final = await snapshot();
      expect(final.phase).toBe('aborted');
      expect(final.countries.map((c) => c.status)).toEqual(['aborted', 'aborted', 'aborted', 'aborted']);
      expect(final.totals.results.arrests).toBe(4);
      // The open readiness alert stops paging when the operation ends.
      expect(callsOf(calls, 'raiseAlert').map((c) => c.args.country)).toEqual(['PH']);
      expect(callsOf(calls, 'resolveAlert', (a) => a.alertId === 'AL-1-deadline_missed')).toHaveLength(1);
      expect(callsOf(calls, 'projectOperation').map((c) => c.args.event.action)).toContain('abort');
    });
  });

  it('continues as new when the history grows and keeps the totals', async () => {
    const isos = ['BN', 'KH', 'ID', 'LA', 'MY', 'MM'];
    await run(isos, { readiness: 1_500, actionStart: 2_000, actionEnd: 9_000, debrief: 11_000 }, { maxHistoryEvents: 100 }, async ({ op, child, waitOp, launch, ready, instant, childrenIn }) => {
      await launch();
      await Promise.all(isos.map(ready));
      await waitOp('action phase', (s) => s.phase === 'action' && s.totals.ready === 6, 6_000);
      await childrenIn(isos, 'action');

      const expected = zeroResults();
      await Promise.all(
        isos.map(async (iso, i) => {
          for (let n = 1; n <= 4; n++) {
            const counts: ResultCounts = { arrests: n, victims_notified: 10 * (i + 1), servers_seized: i };
            await child(iso).executeUpdate(resultsUpdate, { args: [{ actor: officer(iso), counts }] });
            addCounts(expected, counts);
            await sleep(100);
          }
        }),
      );
      const during = await waitOp('results summed after continue-as-new', (s) => JSON.stringify(s.totals.results) === JSON.stringify(expected) && s.runs >= 1);
      // The parent rolls over while progress pours in, not only at the next phase boundary.
      expect(during.phase).toBe('action');
      expect(Date.now()).toBeLessThan(instant('actionEnd'));

      await waitOp('debrief phase', (s) => s.phase === 'debrief', 8_000);
      await childrenIn(isos, 'debrief');
      await Promise.all(isos.map((iso) => child(iso).executeUpdate(finalReportUpdate, { args: [{ actor: officer(iso), summary: 'done' }] })));
      const result = (await op.result()) as { phase: string; runs: number };
      expect(result.phase).toBe('closed');
      expect(result.runs).toBeGreaterThanOrEqual(1);
      const final = await op.query(getOperationQuery);
      expect(final.runs).toBe(result.runs);
      expect(final.totals).toMatchObject({ invited: 6, ready: 6, reporting: 6, finalReports: 6, withdrawn: 0, results: expected });
      expect(expected.arrests).toBe(60);
    });
  });

  it('refuses changes the operation does not allow, before recording them', async () => {
    await run(['PH', 'SG', 'TH'], { readiness: 3_000, actionStart: 4_000, actionEnd: 20_000, debrief: 21_000 }, {}, async ({ op, child, calls, snapshot, launch, instant }) => {
      const projections = () => callsOf(calls, 'projectOperation').length;
      await expectRefused(
        op.executeUpdate(extendUpdate, { args: [{ actor: lead, instants: { actionStart: new Date(instant('debriefDeadline') + 1_000).toISOString() } }] }),
        INVALID_OPERATION_CHANGE,
        /in order/,
      );
      await expectRefused(op.executeUpdate(withdrawUpdate, { args: [{ actor: lead, iso: 'FR' }] }), INVALID_OPERATION_CHANGE, /not taking part/);
      await expectRefused(op.executeUpdate(addCountriesUpdate, { args: [{ actor: lead, participants: [{ iso: 'PH', region: 'EURASIA' }] }] }), INVALID_OPERATION_CHANGE, /already taking part: PH/);
      expect(projections()).toBe(1);

      // Withdrawing while planning is allowed, and the country stays out when the operation launches.
      const planned = await op.executeUpdate(withdrawUpdate, { args: [{ actor: lead, iso: 'TH' }] });
      expect(planned.totals).toMatchObject({ invited: 2, withdrawn: 1 });
      const launched = await launch();
      expect(launched.countries.map((c) => [c.iso, c.status])).toEqual([['PH', 'invited'], ['SG', 'invited'], ['TH', 'withdrawn']]);
      expect(launched.totals).toMatchObject({ invited: 2, withdrawn: 1 });
      await until('invitations sent', () => callsOf(calls, 'notifyCountry'), (c) => c.length === 2);
      expect(callsOf(calls, 'notifyCountry').map((c) => c.args.country).sort()).toEqual(['PH', 'SG']);
      await expect(child('TH').describe()).rejects.toThrow();
      await expectRefused(launch(), INVALID_OPERATION_CHANGE, /already preparation/);
      await expectRefused(child('PH').executeUpdate(resultsUpdate, { args: [{ actor: officer('PH'), counts: { arrests: 1 } }] }), INVALID_PARTICIPATION, /action window/);
      await expectRefused(child('PH').executeUpdate(finalReportUpdate, { args: [{ actor: officer('PH'), summary: 'too early' }] }), INVALID_PARTICIPATION, /debrief/);
      expect((await child('PH').query(getCountryQuery)).reports).toEqual([]);
      expect((await snapshot()).phase).toBe('preparation');

      await op.executeUpdate(abortUpdate, { args: [{ actor: lead, reason: 'test over' }] });
      expect(await op.result()).toEqual({ phase: 'aborted', runs: 0 });
    });
  });
});
