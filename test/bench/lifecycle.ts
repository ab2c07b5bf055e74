import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import {
  assignUpdate,
  resolveUpdate,
  submittedUpdate,
  supportRequestWorkflowId,
  SupportRequestInput,
  triageUpdate,
  type SupportRequestWorkflow,
} from '../../workflows/support-request/support-request.messages';
import type { BenchContext } from './operations';

// Issue 10: the rate the worker sustains on whole lifecycles, and how long histories grow.

const COORDINATOR = { sub: 'bench.dco', role: 'coordinator' as const };
/** Temporal warns at 10,240 events; a surge's parent must stay under a quarter of it. */
export const PARENT_HISTORY_LIMIT = 10_240 / 4;

export interface SteadyState {
  rate: number;
  seconds: number;
  started: number;
  /** Lifecycles started, and lifecycles completed, inside the measured window (the second half of the starts). */
  windowStarted: number;
  windowCompleted: number;
  ratio: number;
  failed: number;
  p50Ms: number;
  p99Ms: number;
  /** Events of one completed lifecycle (submit, three updates, timers, auto-close). */
  historyEvents: number;
}

/**
 * Open loop: starts `rate` support requests a second for `seconds`; each is submitted
 * (update-with-start), triaged, assigned and resolved through Temporal Updates, then closes itself
 * on its auto-close timer, with its SLA timers armed and cancelled on the way (short policies).
 * The steady-state figure is the second half of the starts: completions ÷ starts in that window.
 */
export async function runSteadyState(
  { client, config, log }: BenchContext,
  buildInput: (label: string) => SupportRequestInput,
  rate: number,
  seconds: number,
): Promise<SteadyState> {
  const autoCloseMs = 2_000;
  const lifecycles: Array<{ startedAt: number; doneAt?: number; failed?: boolean }> = [];
  const running: Promise<void>[] = [];
  let lastId = '';
  const lifecycle = async (i: number): Promise<void> => {
    const entry: (typeof lifecycles)[number] = { startedAt: performance.now() };
    lifecycles.push(entry);
    try {
      const base = buildInput(`steady-${i}`);
      const input: SupportRequestInput = {
        ...base,
        // Short clocks, so the timers are real ones of this run: SLA deadlines armed, then met.
        policy: { ...base.policy, triageMs: 60_000, firstResponseMs: 120_000, resolutionMs: 240_000, autoCloseAfterMs: autoCloseMs },
      };
      const workflowId = supportRequestWorkflowId(input.id);
      await client.workflow.executeUpdateWithStart(submittedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation<SupportRequestWorkflow>('supportRequestWorkflow', {
          workflowId,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          args: [input],
          workflowIdConflictPolicy: 'USE_EXISTING',
        }),
      });
      const handle = client.workflow.getHandle<SupportRequestWorkflow>(workflowId);
      await handle.executeUpdate(triageUpdate, { args: [{ actor: COORDINATOR, decision: 'accept' }] });
      await handle.executeUpdate(assignUpdate, { args: [{ actor: COORDINATOR, assignee: 'officer@cyberops.test' }] });
      await handle.executeUpdate(resolveUpdate, { args: [{ actor: COORDINATOR, summary: 'Benchmark: resolved' }] });
      await handle.result();
      entry.doneAt = performance.now();
      lastId = workflowId;
    } catch (error) {
      entry.failed = true;
      if (lifecycles.filter((l) => l.failed).length <= 3) log(`steady-state lifecycle ${i} failed: ${(error as Error).message}`);
    }
  };

  const t0 = performance.now();
  const total = Math.round(rate * seconds);
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    running.push(lifecycle(i));
  }
  // Wait for the stragglers, bounded: what has not completed by then counts as not completed.
  const lastStart = performance.now();
  const window = { from: t0 + (seconds * 1000) / 2, to: lastStart };
  const grace = Math.max(30_000, seconds * 1000);
  await Promise.race([Promise.all(running), new Promise((r) => setTimeout(r, grace))]);

  // Steady state: over the second half of the starts, lifecycles completed per second ÷ started
  // per second, in the same wall-clock window. A worker that keeps up completes as many as start.
  const inWindow = lifecycles.filter((l) => l.startedAt >= window.from && l.startedAt <= window.to);
  const completedInWindow = lifecycles.filter((l) => l.doneAt !== undefined && l.doneAt >= window.from && l.doneAt <= window.to);
  const durations = lifecycles.filter((l) => l.doneAt !== undefined).map((l) => l.doneAt! - l.startedAt - autoCloseMs).sort((a, b) => a - b);
  const historyEvents = lastId ? Number((await client.workflow.getHandle(lastId).describe()).historyLength) : 0;
  const result: SteadyState = {
    rate,
    seconds,
    started: lifecycles.length,
    windowStarted: inWindow.length,
    windowCompleted: completedInWindow.length,
    ratio: inWindow.length ? completedInWindow.length / inWindow.length : 0,
    failed: lifecycles.filter((l) => l.failed).length,
    p50Ms: durations[Math.floor(durations.length / 2)] ?? 0,
    p99Ms: durations[Math.floor(durations.length * 0.99)] ?? 0,
    historyEvents,
  };
  log(
    `steady state: ${total} lifecycles at ${rate}/s over ${seconds} s; second half: ${result.windowCompleted} completed ÷ ${result.windowStarted} started ` +
      `(${(result.ratio * 100).toFixed(1)} %), ${result.failed} failed; lifecycle minus the ${autoCloseMs} ms auto-close p50 ${result.p50Ms.toFixed(0)} ms, ` +
      `p99 ${result.p99Ms.toFixed(0)} ms; ${historyEvents} history events`,
  );
  return result;
}

/** Events per workflow type in the committed replay histories (recorded from real lifecycles). */
export function committedHistorySizes(): Array<{ workflowType: string; file: string; events: number }> {
  const dir = path.resolve(__dirname, '..', '..', '..', 'test', 'replay', 'histories');
  const folder = fs.existsSync(dir) ? dir : path.resolve(__dirname, '..', 'replay', 'histories');
  return fs
    .readdirSync(folder)
    .filter((f) => f.endsWith('.history.pb') && !/continued-run\d/.test(f))
    .map((file) => {
      const history = temporal.api.history.v1.History.decode(fs.readFileSync(path.join(folder, file)));
      const started = history.events[0]?.workflowExecutionStartedEventAttributes;
      return { workflowType: started?.workflowType?.name ?? '?', file, events: history.events.length };
    })
    .sort((a, b) => a.workflowType.localeCompare(b.workflowType) || a.file.localeCompare(b.file));
}
