import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import { mintToken } from '../../apps/api/auth/tokens';
import type { Principal } from '../../apps/api/auth/principal';
import type { AppConfig } from '../../apps/config/config';
import { COUNTRIES } from '../../prisma/seed-data/countries';
import { pool } from './pool';
import { operationWorkflowId } from '../../workflows/operation/operation.messages';

/** What test/bench/run.ts has set up: embedded PostgreSQL, in-memory Temporal, the API and an in-process worker. */
export interface BenchContext {
  /** What the bench needs of the processes' configuration (tokens, task queue). */
  config: Pick<AppConfig, 'JWT_SECRET' | 'TEMPORAL_TASK_QUEUE' | 'TEMPORAL_NAMESPACE'>;
  baseUrl: string;
  client: Client;
  prisma: PrismaClient;
  log: (line: string) => void;
  /** Resident memory of the API and worker processes together, in bytes. */
  rss: () => number;
}

export interface OperationsCase {
  size: number;
  /** POST /launch until the visibility store lists every child as running. */
  launchMs: number;
  /** The POST /launch round trip alone (the launch update returns once every child has started). */
  launchPostMs: number;
  /** POST /launch until every country's read-model row exists (the child's first task and projection done). */
  rowsMs: number;
  /** All readiness answers through the API, concurrency READINESS_CONCURRENCY. */
  readinessMs: number;
  /** From the last readiness answer until GET /operations/:id shows totals.ready = size. */
  totalsMs: number;
  /** From POST /abort until no child is running any more. */
  abortMs: number;
  peakRss: number;
  /** Events in the parent's (last run's) history once every child has ended. */
  parentEvents: number;
}

export interface OperationsReport {
  cases: OperationsCase[];
  rssBefore: number;
}

const COORDINATOR: Principal = { sub: 'bench.dco', role: 'coordinator' };
const READINESS_CONCURRENCY = 16;
const POLL_MS = 25;
const WAIT_LIMIT_MS = 120_000;
/** The all-countries launch should reach every child within this. */
const TARGET_ALL_MS = 10_000;
const HOUR = 3_600_000;

/** Sizes from BENCH_OPERATION_SIZES (comma-separated, `all` = every member country); default 10,50,all. */
function sizes(): number[] {
  const raw = process.env.BENCH_OPERATION_SIZES?.trim() || '10,50,all';
  return raw.split(',').map((s) => {
    const t = s.trim().toLowerCase();
    const n = t === 'all' ? COUNTRIES.length : Number(t);
    if (!Number.isInteger(n) || n < 1 || n > COUNTRIES.length) throw new Error(`BENCH_OPERATION_SIZES: ${s} is not 1..${COUNTRIES.length} or all`);
    return n;
  });
}


const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `probe` until it returns true; throws with `what` after WAIT_LIMIT_MS. */
async function until(what: string, probe: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${WAIT_LIMIT_MS} ms waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

export async function runOperationsBench(ctx: BenchContext): Promise<OperationsReport> {
  const { config, baseUrl, client, prisma, log } = ctx;
  const coordinatorToken = await mintToken(COORDINATOR, config.JWT_SECRET);
  const memberTokens = new Map<string, string>();
  for (const c of COUNTRIES) memberTokens.set(c.iso, await mintToken({ sub: `bench@nrp.${c.iso.toLowerCase()}`, role: 'member', country: c.iso }, config.JWT_SECRET));

  const call = async <T>(method: 'GET' | 'POST', url: string, token: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}/api/v1${url}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status !== 200 && response.status !== 201) throw new Error(`${method} ${url} answered ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  };
  const runningChildren = async (id: string): Promise<number> =>
    (await client.workflow.count(`WorkflowType='operationCountryWorkflow' AND CyberOperation='${id}' AND ExecutionStatus='Running'`)).count;

  const runCase = async (size: number, label: string): Promise<OperationsCase> => {
    const isos = COUNTRIES.slice(0, size).map((c) => c.iso);
    const now = Date.now();
    const { id } = await call<{ id: string }>('POST', '/operations', coordinatorToken, {
      name: `Bench ${label} ${size} countries`,
      objective: 'Benchmark: botnet takedown surge',
      categories: ['botnet'],
      countries: isos,
      readinessDeadline: new Date(now + 2 * HOUR).toISOString(),
      actionStart: new Date(now + 3 * HOUR).toISOString(),
      actionEnd: new Date(now + 4 * HOUR).toISOString(),
      debriefDeadline: new Date(now + 5 * HOUR).toISOString(),
    });

    let peakRss = ctx.rss();
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, ctx.rss());
    }, 50);
    try {
      // 1. launch -> every child running (visibility), and -> every country row projected
      const launchStart = performance.now();
      await call('POST', `/operations/${id}/launch`, coordinatorToken, {});
      const launchPostMs = performance.now() - launchStart;
      await until(`${size} running children of ${id}`, async () => (await runningChildren(id)) >= size);
      const launchMs = performance.now() - launchStart;
      await until(`${size} country rows of ${id}`, async () => (await prisma.operationCountry.count({ where: { operationId: id } })) >= size);
      const rowsMs = performance.now() - launchStart;

      // 2. readiness through the API, then last answer -> totals
      const readinessMs = await pool(size, READINESS_CONCURRENCY, async (i) => {
        const iso = isos[i];
        await call('POST', `/operations/${id}/countries/${iso}/readiness`, memberTokens.get(iso)!, { ready: true, pointOfContact: `Duty officer ${iso}`, teamSize: 4 });
      });
      const lastAnswer = performance.now();
      let ready = -1;
      await until(`totals.ready = ${size} on ${id}`, async () => {
        const detail = await call<{ totals: { ready: number } }>('GET', `/operations/${id}`, coordinatorToken);
        ready = detail.totals.ready;
        return ready >= size;
      });
      const totalsMs = performance.now() - lastAnswer;

      // 3. abort, so the children end
      const abortStart = performance.now();
      await call('POST', `/operations/${id}/abort`, coordinatorToken, { reason: 'benchmark finished' });
      await until(`children of ${id} to end`, async () => (await runningChildren(id)) === 0);
      const abortMs = performance.now() - abortStart;
      const parentEvents = Number((await client.workflow.getHandle(operationWorkflowId(id)).describe()).historyLength);

      const result = { size, launchMs, launchPostMs, rowsMs, readinessMs, totalsMs, abortMs, peakRss, parentEvents };
      log(
        `operation ${id} (${label}, ${size} countries): launch POST ${fmt(launchPostMs)} ms, all running ${fmt(launchMs)} ms, ` +
          `rows ${fmt(rowsMs)} ms; readiness ${fmt(readinessMs)} ms (${fmt((size / readinessMs) * 1000, 1)}/s); ` +
          `last report -> totals ${fmt(totalsMs)} ms; abort -> children ended ${fmt(abortMs)} ms; peak RSS ${mb(peakRss)}; parent history ${parentEvents} events`,
      );
      return result;
    } finally {
      clearInterval(sampler);
    }
  };

  // Warm-up: loads the operation workflows in the worker and compiles the routes.
  await runCase(2, 'warm-up');
  const rssBefore = ctx.rss();
  const cases: OperationsCase[] = [];
  for (const size of sizes()) cases.push(await runCase(size, 'surge'));
  return { cases, rssBefore };
}

const fmt = (n: number, digits = 0) => n.toFixed(digits);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export function printOperationsReport({ cases, rssBefore }: OperationsReport): void {
  if (cases.length === 0) return;
  const header = ['size', 'launch→all running (ms)', 'per-country (ms)', 'last report→totals (ms)'];
  const rows = cases.map((c) => [String(c.size), fmt(c.launchMs), fmt(c.launchMs / c.size, 2), fmt(c.totalsMs)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const sep = `+${widths.map((w) => '-'.repeat(w + 2)).join('+')}+`;
  const line = (cells: string[]) => `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const out = [sep, line(header), sep, ...rows.map(line), sep];

  const largest = cases.reduce((a, b) => (b.size > a.size ? b : a));
  const perCountry = cases.map((c) => c.launchMs / c.size);
  const all = cases.find((c) => c.size === COUNTRIES.length);
  out.push(
    `RSS (API + worker processes) during the ${largest.size}-country case: peak ${mb(largest.peakRss)} (before the operation cases ${mb(rssBefore)})`,
    all
      ? `target: all ${all.size} countries launch in < ${TARGET_ALL_MS / 1000} s: ${fmt(all.launchMs)} ms (${all.launchMs < TARGET_ALL_MS ? 'met' : 'NOT met'})`
      : `target: all ${COUNTRIES.length} countries launch in < ${TARGET_ALL_MS / 1000} s: not measured (no all-countries case)`,
    `target: per-country cost stays flat: ${perCountry.map((p) => fmt(p, 2)).join(' / ')} ms` +
      (cases.length > 1 ? ` (max/min ${fmt(Math.max(...perCountry) / Math.min(...perCountry), 2)})` : ''),
  );
  process.stdout.write(`\nregional operations\n${out.join('\n')}\n`);
}
