import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PrismaClient } from '@prisma/client';
import { Client, Connection } from '@temporalio/client';
import { mintToken } from '../../apps/api/auth/tokens';
import type { Principal } from '../../apps/api/auth/principal';
import { normalizeIndicators } from '../../apps/api/common/indicators';
import { AppConfig } from '../../apps/config/config';
import { EmbeddedPostgres } from '../../apps/launcher/embedded-postgres';
import { migrateAndSeed, PROJECT_ROOT, provisionAppRole } from '../../apps/launcher/migrate';
import { generateSecrets } from '../../apps/launcher/secrets';
import { freePort, TemporalDevServer } from '../../apps/launcher/temporal-dev-server';
import { createPrismaClient } from '../../prisma/client';
import { buildSupportRequestInput, submission } from '../../apps/api/support-requests/support-requests.service';
import type { SubmitSupportRequestDto } from '../../apps/api/support-requests/support-requests.dto';
import {
  submittedUpdate,
  supportRequestWorkflowId,
  SupportRequestInput,
} from '../../workflows/support-request/support-request.messages';
import { pool } from './pool';
import { timelineSplit } from './timeline';
import { rssOf, stickyCacheSize } from './process-metrics';
import { committedHistorySizes, PARENT_HISTORY_LIMIT, runSteadyState } from './lifecycle';
import { printTopologyReport, runTopologyBench } from './topology';
import { BenchContext, OperationsReport, printOperationsReport, runOperationsBench } from './operations';
import { runIntelBench } from './intel';
import { startSmtpSink } from '../support/smtp-sink';
import { Fleet } from '../topology/support/fleet';
import { CACHED_WORKFLOW_KB } from '../../apps/worker/worker';
import { printTrendsReport, runTrendsBench, TrendsReport } from './trends';

// autocannon ships no type declarations; only the bits used here are typed.
interface AutocannonResult {
  latency: { p50: number; p99: number; average: number; max: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

/** Submissions per path (API, raw) in the ABBA comparison. */
const SUBMITS = intEnv('BENCH_SUBMITS', 400);
const OPEN = intEnv('BENCH_OPEN', 5000);
/** Workflows started without waiting (not a product path): how fast a backlog of first tasks drains. */
const BURST = intEnv('BENCH_BURST', 2000);
const TREND_REQUESTS = intEnv('BENCH_TREND_REQUESTS', 100_000);
const DURATION = intEnv('BENCH_DURATION', 10);
/** Unset: an eighth of the measured raw submission rate (a lifecycle is four round trips: half the capacity). */
const STEADY_RATE_SET = process.env.BENCH_STEADY_RATE ? intEnv('BENCH_STEADY_RATE', 1) : undefined;
const STEADY_SECONDS = intEnv('BENCH_STEADY_SECONDS', 40);
const SUBMIT_CONCURRENCY = intEnv('BENCH_SUBMIT_CONCURRENCY', 20);
const OPEN_CONCURRENCY = 50;
const READ_CONNECTIONS = 50;
/** BENCH_CONSISTENCY=live reads details through the workflow query (the old path), for an A/B in one build. */
const DETAIL_QUERY = process.env.BENCH_CONSISTENCY ? `?consistency=${process.env.BENCH_CONSISTENCY}` : '';

const BENCH_DIR = path.join(PROJECT_ROOT, '.data', 'bench');
const MEMBER: Principal = { sub: 'bench@nrp.ph', role: 'member', country: 'PH' };
const SUPERVISOR: Principal = { sub: 'bench.head@cyberops.test', role: 'supervisor' };

function intEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got ${raw}`);
  return n;
}

type BenchPart = 'support' | 'operations' | 'intel' | 'trends' | 'topology';
const BENCH_PARTS: BenchPart[] = ['support', 'operations', 'intel', 'trends', 'topology'];

function benchParts(only: string | undefined): BenchPart[] {
  if (only === undefined || only === '') return BENCH_PARTS;
  if ((BENCH_PARTS as string[]).includes(only)) return [only as BenchPart];
  throw new Error(`BENCH_ONLY must be one of ${BENCH_PARTS.join(', ')}, got ${only}`);
}
/** BENCH_ONLY=support|operations|intel|trends runs one part; default all (support requests first). */
const PARTS = benchParts(process.env.BENCH_ONLY);

let indicatorCounter = 0;
/** A unique 10.x.y.z per call, so deconfliction never finds hits between requests. */
function uniqueIp(): string {
  const n = ++indicatorCounter;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

function requestBody(label: string) {
  return {
    category: 'botnet',
    mode: 'remote',
    priority: 'P3',
    title: `Bench ${label} botnet C2`,
    description: 'Benchmark support request: botnet command-and-control server observed.',
    indicators: [{ type: 'ipv4' as const, value: uniqueIp() }],
  };
}


const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const dmb = (bytes: number) => `${bytes >= 0 ? '+' : '-'}${mb(Math.abs(bytes))}`;
const fmt = (n: number, digits = 1) => n.toFixed(digits);

async function main(): Promise<void> {
  const t0 = Date.now();
  fs.rmSync(BENCH_DIR, { recursive: true, force: true });
  fs.mkdirSync(BENCH_DIR, { recursive: true });
  // The production topology has its own infrastructure (test/bench/topology.ts).
  const topology = async () => PARTS.includes('topology') && printTopologyReport(await runTopologyBench(log));
  if (PARTS.every((p) => p === 'topology')) return void (await topology());

  // --- infrastructure, as test/setup/global-setup.ts does it ---
  const pgPort = await freePort();
  const secrets = generateSecrets();
  const postgres = new EmbeddedPostgres({ dataDir: path.join(BENCH_DIR, 'postgres'), port: pgPort, database: 'cyberops_bench', password: secrets.pgOwnerPassword });
  const temporal = new TemporalDevServer({ port: await freePort(), namespace: 'default', logFile: path.join(BENCH_DIR, 'temporal.log') });
  await postgres.initialise();
  await Promise.all([postgres.start(), temporal.start()]);
  await migrateAndSeed(postgres.connectionString);
  const appUrl = await provisionAppRole(postgres.connectionString, secrets.pgAppPassword);
  // A real SMTP server on loopback: disseminations deliver by e-mail.
  const smtp = await startSmtpSink();
  log(`infrastructure: PostgreSQL :${pgPort}, Temporal ${temporal.address}, SMTP ${smtp.url} (${Date.now() - t0} ms)`);

  let fleet: Fleet | undefined;
  let clientConnection: Connection | undefined;
  let prisma: PrismaClient | undefined;
  const results: Array<[string, string]> = [];
  const targets: Target[] = [];
  let operations: OperationsReport | undefined;
  const intelRows: Array<[string, string]> = [];
  let trends: TrendsReport | undefined;

  try {
    // --- the API and the worker as the product runs them: two processes of dist/ (see the launcher) ---
    fleet = await Fleet.start(
      { runDir: BENCH_DIR, databaseUrl: appUrl, namespace: 'default', temporal: { address: temporal.address } },
      {
        apis: 1,
        workers: 1,
        // BENCH_NODE_ARGS reach both processes, e.g. `--cpu-prof --cpu-prof-dir=/tmp/profiles`.
        nodeArgs: process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean),
        env: {
          SMTP_URL: smtp.url,
          RATE_LIMIT_PER_MINUTE: '10000000',
          // The product's defaults (the topology's fleet lowers the pool for its shared cluster).
          WORKER_MAX_CONCURRENT_ACTIVITIES: String(new AppConfig().WORKER_MAX_CONCURRENT_ACTIVITIES),
          // DIRECTORY_CACHE_TTL_MS=0 measures the submit path without the directory cache; WORKER_* tune the worker (A/B).
          ...Object.fromEntries(
            Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && (e[0] === 'DIRECTORY_CACHE_TTL_MS' || e[0] === 'UPDATE_TIMEOUT_MS' || e[0].startsWith('WORKER_'))),
          ),
        },
      },
    );
    const config = { JWT_SECRET: fleet.jwtSecret, TEMPORAL_TASK_QUEUE: fleet.taskQueue, TEMPORAL_NAMESPACE: 'default' };
    const baseUrl = fleet.apis[0].url;
    prisma = createPrismaClient(appUrl, 5);
    log(`API ${baseUrl} (pid ${fleet.apis[0].process.pid}), worker pid ${fleet.workers[0].process.pid} on task queue ${fleet.taskQueue}`);

    clientConnection = await Connection.connect({ address: temporal.address });
    const client = new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE });
    const processes = { api: fleet.apis[0].process.pid!, worker: fleet.workers[0].process.pid!, workerMetrics: fleet.workers[0].metricsUrl };

    const ctx: BenchContext = { config, baseUrl, client, prisma, log, rss: () => rssOf(processes.api) + rssOf(processes.worker) };
    if (PARTS.includes('support')) await supportBench(ctx, processes, results, targets);
    if (PARTS.includes('operations')) {
      operations = await runOperationsBench(ctx);
      const surge = operations.cases.reduce((a, b) => (b.size > a.size ? b : a));
      targets.push({
        measure: `operation parent history, ${surge.size} countries (launch, readiness, abort)`,
        value: `${surge.parentEvents} events`,
        target: `< ${PARENT_HISTORY_LIMIT}`,
        met: surge.parentEvents < PARENT_HISTORY_LIMIT,
      });
    }
    if (PARTS.includes('intel')) intelRows.push(...(await runIntelBench(ctx)));
    if (PARTS.includes('trends')) trends = await runTrendsBench(ctx, TREND_REQUESTS);
  } finally {
    // --- stop everything; the open workflows go away with the in-memory server ---
    await fleet?.stop().catch((e) => log(`fleet.stop: ${String(e)}`));
    await clientConnection?.close().catch(() => undefined);
    await prisma?.$disconnect().catch(() => undefined);
    await temporal.stop().catch((e) => log(`temporal.stop: ${String(e)}`));
    await postgres.stop().catch((e) => log(`postgres.stop: ${String(e)}`));
    await smtp.close().catch(() => undefined);
  }

  if (results.length) printTable(results);
  if (targets.length) printTargets(targets);
  if (operations) printOperationsReport(operations);
  if (intelRows.length) printTable(intelRows);
  if (trends) printTrendsReport(trends);
  await topology();
  log(`total ${fmt((Date.now() - t0) / 1000)} s`);
}

/** Support requests: API vs raw submissions, GET latency, worker memory with many open requests. */
async function supportBench(ctx: BenchContext, processes: { api: number; worker: number; workerMetrics: string }, results: Array<[string, string]>, targets: Target[]): Promise<void> {
  const { config, baseUrl, client, prisma } = ctx;
  const memberToken = await mintToken(MEMBER, config.JWT_SECRET);
  const supervisorToken = await mintToken(SUPERVISOR, config.JWT_SECRET);

  const submitViaApi = async (label: string): Promise<string> => {
    const response = await fetch(`${baseUrl}/api/v1/support-requests`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${memberToken}` },
      body: JSON.stringify(requestBody(label)),
    });
    const text = await response.text();
    if (response.status !== 201) throw new Error(`POST /support-requests answered ${response.status}: ${text}`);
    return (JSON.parse(text) as { id: string }).id;
  };

  // The same input the API service builds (country and P3 policy from the database).
  const country = await prisma.country.findUnique({ where: { iso: MEMBER.country! } });
  const policy = await prisma.slaPolicy.findUnique({ where: { priority: 'P3' } });
  if (!country || !policy) throw new Error('seed data is missing country PH or SLA policy P3');
  const buildInput = (label: string): SupportRequestInput => {
    const dto = requestBody(label) as SubmitSupportRequestDto;
    return buildSupportRequestInput({
      id: `SR-${randomBytes(6).toString('hex').toUpperCase()}`,
      country,
      requester: { sub: MEMBER.sub, role: MEMBER.role, country: MEMBER.country },
      dto,
      indicators: normalizeIndicators(dto.indicators),
      policy,
    });
  };
  const submitRaw = async (label: string): Promise<string> => {
    const input = buildInput(label);
    // Exactly the call the API makes.
    const snapshot = await client.workflow.executeUpdateWithStart(submittedUpdate, submission(input, config.TEMPORAL_TASK_QUEUE));
    return snapshot.id;
  };

  // Warm-up: compiles routes, opens pools and loads the workflow code in the worker.
  const warmId = await submitViaApi('warm-up');
  await submitRaw('warm-up');
  log(`warm-up done (${warmId})`);

  // --- 2. many submissions at full rate through the API, the product's path: the read model keeps
  // pace (each answer waits for its projection) and memory per open request (API + worker) ---
  const projectedBefore = await prisma.supportRequest.count();
  const memory = async () => ({ api: rssOf(processes.api), worker: rssOf(processes.worker), cached: await stickyCacheSize(processes.workerMetrics) });
  const before = await memory();
  let submitFailures = 0;
  let lastAnswerAt = 0;
  const openMs = await pool(OPEN, OPEN_CONCURRENCY, async (i) => {
    try {
      await submitViaApi(`open-${i}`);
    } catch (error) {
      submitFailures++;
      if (submitFailures <= 3) log(`submission failed: ${(error as Error).message}`);
    }
    lastAnswerAt = performance.now();
  });
  const answered = OPEN - submitFailures;
  log(`submitted ${answered}/${OPEN} through the API in ${fmt(openMs, 0)} ms = ${fmt((answered / openMs) * 1000)}/s (c=${OPEN_CONCURRENCY})`);
  const caughtUp = async (target: number, from: number): Promise<{ projected: number; ms: number }> => {
    const deadline = Date.now() + Math.max(120_000, OPEN * 60);
    let projected = 0;
    while (Date.now() < deadline) {
      projected = await prisma.supportRequest.count();
      if (projected >= target) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return { projected, ms: performance.now() - from };
  };
  const target = projectedBefore + answered;
  const lag = await caughtUp(target, lastAnswerAt);
  const open = await client.workflow.count(`TaskQueue = '${config.TEMPORAL_TASK_QUEUE}' AND ExecutionStatus = 'Running'`);
  await new Promise((r) => setTimeout(r, 2_000)); // let both processes settle (no forced GC in another process)
  const after = await memory();
  const grown = after.api + after.worker - before.api - before.worker;
  const perRequest = answered > 0 ? grown / answered / 1024 : 0;
  const newlyCached = after.cached - before.cached;
  const perCached = newlyCached > 0 ? (after.worker - before.worker) / newlyCached / 1024 : 0;
  // An upper bound: the growth also holds heap headroom. Two runs with different WORKER_CACHE_MB
  // separate the two (the difference of growth ÷ the difference of cached workflows).
  log(`worker sticky cache ${before.cached} -> ${after.cached} workflows: at most ${fmt(perCached, 0)} KB of worker RSS per cached workflow (the worker sizes its cache with ${CACHED_WORKFLOW_KB})`);
  log(`read model: ${lag.projected - projectedBefore}/${answered} projected ${fmt(lag.ms, 0)} ms after the last answer; ${open.count} workflows running on the task queue`);
  log(`RSS API ${mb(before.api)} -> ${mb(after.api)}, worker ${mb(before.worker)} -> ${mb(after.worker)} (${dmb(grown)}, ${fmt(perRequest, 0)} KB per submitted request)`);
  const lagShare = lag.ms / Math.max(1, openMs);
  targets.push(
    {
      measure: `projection lag after ${answered} submissions at full rate (API, c=${OPEN_CONCURRENCY}) ÷ their time`,
      value: `${fmt(lag.ms / 1000, 2)} s ÷ ${fmt(openMs / 1000, 1)} s = ${fmt(lagShare * 100, 1)} %`,
      target: '<= 10 %',
      met: lagShare <= 0.1 && lag.projected >= target && submitFailures === 0,
    },
    {
      measure: 'RSS per open support request (API + worker processes)',
      value: `${fmt(perRequest, 0)} KB (${open.count} open)`,
      target: '<= 200 KB',
      met: perRequest <= 200 && lag.projected >= target,
    },
  );
  results.push(
    [`submit ${OPEN} via API at full rate (c=${OPEN_CONCURRENCY})`, `${fmt(openMs, 0)} ms (${fmt((answered / openMs) * 1000)}/s, ${submitFailures} failed)`],
    ['read model caught up after the last answer', `${fmt(lag.ms, 0)} ms (${lag.projected - projectedBefore}/${answered} projected)`],
    ['open workflows on task queue', `${open.count}`],
    ['RSS API before -> after', `${mb(before.api)} -> ${mb(after.api)}`],
    ['RSS worker before -> after', `${mb(before.worker)} -> ${mb(after.worker)} (${fmt(perRequest, 0)} KB per request, API + worker)`],
    ['worker RSS growth per cached workflow (upper bound)', `${fmt(perCached, 0)} KB (cache ${before.cached} -> ${after.cached}; sized with ${CACHED_WORKFLOW_KB} KB)`],
  );

  // --- 3. submissions per second: API vs raw client ---
  // ABBA twice (API, raw, raw, API, ...) after a warm-up block of each, so a drift of the shared
  // machine's load cancels out; every submission is answered once projected, so no block leaves
  // a backlog to the next.
  const apiIds: string[] = [];
  const order = ['api', 'raw', 'raw', 'api', 'api', 'raw', 'raw', 'api'] as const;
  const block = Math.ceil(SUBMITS / 4);
  const half = 4 * block; // per path
  await pool(SUBMIT_CONCURRENCY * 2, SUBMIT_CONCURRENCY, async (i) => void (await Promise.all([submitViaApi(`warm-${i}`), submitRaw(`warm-${i}`)])));
  let apiMs = 0;
  let rawMs = 0;
  for (const path of order) {
    const ms = await pool(block, SUBMIT_CONCURRENCY, async (i) => {
      if (path === 'api') apiIds.push(await submitViaApi(`api-${i}`));
      else await submitRaw(`raw-${i}`);
    });
    if (path === 'api') apiMs += ms;
    else rawMs += ms;
  }
  const apiRate = (half / apiMs) * 1000;
  const rawRate = (half / rawMs) * 1000;
  log(`API submissions: ${half} in ${fmt(apiMs, 0)} ms = ${fmt(apiRate)}/s`);
  log(`raw client submissions: ${half} in ${fmt(rawMs, 0)} ms = ${fmt(rawRate)}/s`);
  const ratio = apiRate / rawRate;
  log(`ratio API/raw: ${fmt(ratio, 2)}`);
  targets.push({ measure: `submissions API ÷ raw executeUpdateWithStart, c=${SUBMIT_CONCURRENCY}`, value: `${fmt(apiRate)} ÷ ${fmt(rawRate)} = ${fmt(ratio, 2)}`, target: '>= 0.9', met: ratio >= 0.9 });
  results.push(
    [`submit via API (N=${half}, ABBA x2, c=${SUBMIT_CONCURRENCY})`, `${fmt(apiRate)} req/s (${fmt(apiMs, 0)} ms)`],
    [`submit via raw client (N=${half}, ABBA x2, c=${SUBMIT_CONCURRENCY})`, `${fmt(rawRate)} req/s (${fmt(rawMs, 0)} ms)`],
    ['ratio API/raw', fmt(ratio, 2)],
  );

  // --- 4. GET /support-requests/:id latency under 50 connections ---
  const readId = apiIds[0] ?? warmId;
  const probe = await fetch(`${baseUrl}/api/v1/support-requests/${readId}${DETAIL_QUERY}`, { headers: { authorization: `Bearer ${supervisorToken}` } });
  if (probe.status !== 200) throw new Error(`GET /support-requests/${readId} answered ${probe.status}: ${await probe.text()}`);
  await probe.text();
  const read = await autocannon({
    url: `${baseUrl}/api/v1/support-requests/${readId}${DETAIL_QUERY}`,
    connections: READ_CONNECTIONS,
    duration: DURATION,
    headers: { authorization: `Bearer ${supervisorToken}` },
  });
  log(
    `GET /support-requests/:id (${READ_CONNECTIONS} connections, ${DURATION} s): p50 ${read.latency.p50} ms, p99 ${read.latency.p99} ms, ` +
      `${fmt(read.requests.average)} req/s, total ${read.requests.total}, non-2xx ${read.non2xx}, errors ${read.errors}, timeouts ${read.timeouts}`,
  );
  // The same load on the cheapest route, right after: the ratio says what a detail read costs.
  const health = await autocannon({ url: `${baseUrl}/health`, connections: READ_CONNECTIONS, duration: DURATION });
  log(`GET /health (${READ_CONNECTIONS} connections, ${DURATION} s): p50 ${health.latency.p50} ms, p99 ${health.latency.p99} ms, ${fmt(health.requests.average)} req/s`);
  const p99Ratio = read.latency.p99 / Math.max(1, health.latency.p99);
  const rpsRatio = read.requests.average / Math.max(1, health.requests.average);
  targets.push(
    { measure: `GET detail p99 ÷ GET /health p99, c=${READ_CONNECTIONS}`, value: `${read.latency.p99} ÷ ${health.latency.p99} ms = ${fmt(p99Ratio, 1)}`, target: '<= 3', met: p99Ratio <= 3 },
    {
      measure: 'GET detail throughput ÷ GET /health throughput',
      value: `${fmt(read.requests.average, 0)} ÷ ${fmt(health.requests.average, 0)} = ${fmt(rpsRatio, 2)}`,
      target: '>= 0.5',
      met: rpsRatio >= 0.5 && read.non2xx === 0 && read.errors === 0,
    },
  );
  results.push(
    [`GET /health p99 (c=${READ_CONNECTIONS}, ${DURATION} s)`, `${health.latency.p99} ms (${fmt(health.requests.average)} req/s)`],
    [`GET :id p50 (c=${READ_CONNECTIONS}, ${DURATION} s)`, `${read.latency.p50} ms`],
    [`GET :id p99 (c=${READ_CONNECTIONS}, ${DURATION} s)`, `${read.latency.p99} ms`],
    [`GET :id throughput`, `${fmt(read.requests.average)} req/s (total ${read.requests.total}, non-2xx ${read.non2xx}, errors ${read.errors})`],
  );

  // --- 5. steady state on whole lifecycles (they all end), and history sizes ---
  const STEADY_RATE = STEADY_RATE_SET ?? Math.max(1, Math.round(rawRate / 8));
  const steady = await runSteadyState(ctx, buildInput, STEADY_RATE, STEADY_SECONDS);
  targets.push({
    measure: `steady state: completed ÷ started, ${STEADY_RATE}/s for ${STEADY_SECONDS} s (3 updates + timers)`,
    value: `${steady.windowCompleted} ÷ ${steady.windowStarted} = ${fmt(steady.ratio * 100, 1)} % (${fmt(steady.ratio * STEADY_RATE)}/s)`,
    target: '>= 95 %',
    met: steady.ratio >= 0.95 && steady.failed === 0,
  });
  results.push(
    [`steady state (${STEADY_RATE}/s, ${STEADY_SECONDS} s)`, `${steady.windowCompleted}/${steady.windowStarted} completed, ${steady.failed} failed; p50 ${fmt(steady.p50Ms, 0)} ms, p99 ${fmt(steady.p99Ms, 0)} ms`],
    ['history: support request, submit + 3 updates + auto-close', `${steady.historyEvents} events`],
    ...committedHistorySizes().map(({ workflowType, file, events }): [string, string] => [`history: ${workflowType} (${file})`, `${events} events`]),
  );

  // --- 6. a burst of workflows started without waiting (not a product path: the API answers only
  // once projected): how fast the worker drains a backlog of first tasks, and where the time goes ---
  const burstBefore = await prisma.supportRequest.count();
  const burstIds: string[] = [];
  let startFailures = 0;
  const burstMs = await pool(BURST, OPEN_CONCURRENCY, async (i) => {
    const input = buildInput(`burst-${i}`);
    burstIds.push(supportRequestWorkflowId(input.id));
    try {
      await client.workflow.start('supportRequestWorkflow', { workflowId: supportRequestWorkflowId(input.id), taskQueue: config.TEMPORAL_TASK_QUEUE, args: [input] });
    } catch (error) {
      startFailures++;
      if (startFailures <= 3) log(`start failed: ${(error as Error).message}`);
    }
  });
  const started = BURST - startFailures;
  const drain = await caughtUp(burstBefore + started, performance.now());
  const drainRate = (started / (burstMs + drain.ms)) * 1000;
  const split = await timelineSplit(client, burstIds.filter((_, i) => i % Math.max(1, Math.floor(burstIds.length / 40)) === 0));
  log(
    `burst: ${started} started in ${fmt(burstMs, 0)} ms (${fmt((started / burstMs) * 1000)}/s), all projected ${fmt(drain.ms, 0)} ms later: ${fmt(drainRate)}/s drained; ` +
      `per workflow until its first timer (mean of ${split.workflows}): ${fmt(split.spanMs, 0)} ms, of which workflow tasks queued ${fmt(split.workflowTaskQueueMs, 0)} ms, ` +
      `running ${fmt(split.workflowTaskRunMs, 0)} ms, activities queued ${fmt(split.activityQueueMs, 0)} ms, running ${fmt(split.activityRunMs, 0)} ms`,
  );
  results.push(
    [`burst: start ${BURST} without waiting (c=${OPEN_CONCURRENCY})`, `${fmt(burstMs, 0)} ms (${fmt((started / burstMs) * 1000)}/s, ${startFailures} failed)`],
    ['burst: projected after the last start', `${fmt(drain.ms, 0)} ms (${drain.projected - burstBefore}/${started}; drained at ${fmt(drainRate)}/s)`],
    ['burst: first task queued / tasks running / activities (mean ms)', `${fmt(split.workflowTaskQueueMs, 0)} / ${fmt(split.workflowTaskRunMs, 0)} / ${fmt(split.activityRunMs, 0)}`],
  );
}

function log(line: string): void {
  process.stdout.write(`[bench] ${line}\n`);
}

/** One figure of issue 10 with its target. */
interface Target {
  measure: string;
  value: string;
  target: string;
  met: boolean;
}

function printTargets(rows: Target[]): void {
  const cells = rows.map((r) => [r.measure, r.value, r.target, r.met ? 'met' : 'NOT met']);
  const head = ['measure (issue 10)', 'this run', 'target', ''];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c: string[]) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |\n`;
  const sep = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n`;
  process.stdout.write(`\n${line(head)}${sep}${cells.map(line).join('')}`);
}

function printTable(rows: Array<[string, string]>): void {
  const w = Math.max(...rows.map(([k]) => k.length), 6);
  const v = Math.max(...rows.map(([, x]) => x.length), 6);
  const sep = `+-${'-'.repeat(w)}-+-${'-'.repeat(v)}-+`;
  process.stdout.write(`\n${sep}\n| ${'metric'.padEnd(w)} | ${'value'.padEnd(v)} |\n${sep}\n`);
  for (const [k, x] of rows) process.stdout.write(`| ${k.padEnd(w)} | ${x.padEnd(v)} |\n`);
  process.stdout.write(`${sep}\n`);
}

main().then(
  () => process.exit(0),
  (error) => {
    process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  },
);
