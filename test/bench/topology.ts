import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { PROJECT_ROOT } from '../../apps/launcher/migrate';
import { Fleet } from '../topology/support/fleet';
import { startInfra, stopInfra, TopologyInfra } from '../topology/support/infra';
import { waitUntil } from '../topology/support/processes';
import { COORDINATOR, COUNTRIES, createGlobalOperation, MEMBER_PH, submission } from '../topology/support/scenario';
import { pool } from './pool';

// `npm run bench` part 3 (BENCH_ONLY=topology): the production topology of test/topology/
// (Temporal server on PostgreSQL, API and worker processes of dist/), scaled out.

const SUBMITS = Number(process.env.BENCH_TOPOLOGY_SUBMITS ?? 300);
const CONCURRENCY = 20;
const TARGET_SCALE = 1.5;
const TARGET_LAUNCH_MS = 10_000;

export interface TopologyReport {
  shards: number;
  oneApi: number;
  twoApis: number;
  oneWorkerLaunchMs: number;
  twoWorkersLaunchMs: number;
}

export async function runTopologyBench(log: (line: string) => void): Promise<TopologyReport> {
  const infra = await startInfra({ runDir: path.join(PROJECT_ROOT, '.data', 'bench', 'topology'), log: (l) => log(`topology: ${l}`) });
  try {
    const [oneApi, twoApis] = await submissions(infra, log);
    const oneWorkerLaunchMs = await surge(infra, 1, log);
    const twoWorkersLaunchMs = await surge(infra, 2, log);
    return { shards: infra.shards, oneApi, twoApis, oneWorkerLaunchMs, twoWorkersLaunchMs };
  } finally {
    await stopInfra(infra);
  }
}

/** Submissions per second through API 0 only, then spread over both APIs; two workers behind both. */
async function submissions(infra: TopologyInfra, log: (line: string) => void): Promise<[number, number]> {
  const fleet = await Fleet.start(infra, { apis: 2, workers: 2 });
  try {
    const member = await fleet.token(MEMBER_PH);
    const submit = async (api: number, label: string) => {
      const res = await fleet.http(api, 'POST', '/api/v1/support-requests', { token: member, body: submission(label, 'P3') });
      if (res.status !== 201) throw new Error(`submit: ${res.status} ${JSON.stringify(res.body)}`);
    };
    await pool(20, 4, (i) => submit(i, `warm-up ${i}`));
    const rates: number[] = [];
    for (const apis of [1, 2]) {
      const ms = await pool(SUBMITS, CONCURRENCY, (i) => submit(i % apis, `bench ${apis} ${i}`));
      rates.push((SUBMITS / ms) * 1000);
      log(`submissions through ${apis} API(s): ${SUBMITS} in ${Math.round(ms)} ms = ${rates.at(-1)!.toFixed(1)}/s`);
    }
    return [rates[0], rates[1]];
  } finally {
    await fleet.stop();
  }
}

/** POST /launch of an all-country operation until every country workflow is running, with `workers` workers. */
async function surge(infra: TopologyInfra, workers: number, log: (line: string) => void): Promise<number> {
  const fleet = await Fleet.start(infra, { apis: 1, workers });
  const connection = await Connection.connect({ address: infra.temporal.address });
  try {
    const client = new Client({ connection, namespace: infra.namespace });
    const coordinator = await fleet.token(COORDINATOR);
    const id = await createGlobalOperation(fleet, 0, `Bench surge ${workers}`, { readinessIn: 600, actionIn: 600, actionEndIn: 900, debriefIn: 1200 });
    const started = Date.now();
    const launched = await fleet.http(0, 'POST', `/api/v1/operations/${id}/launch`, { token: coordinator });
    if (launched.status !== 200) throw new Error(`launch: ${launched.status}`);
    await waitUntil('every country running', async () => {
      const { count } = await client.workflow.count(`WorkflowType = 'operationCountryWorkflow' AND CyberOperation = '${id}' AND ExecutionStatus = 'Running'`);
      return count === COUNTRIES.length ? true : undefined;
    }, 300_000, 100);
    const ms = Date.now() - started;
    log(`all ${COUNTRIES.length} countries launched with ${workers} worker(s): ${ms} ms`);
    await fleet.http(0, 'POST', `/api/v1/operations/${id}/abort`, { token: coordinator, body: { reason: 'benchmark done' } });
    await waitUntil('children ended', async () => {
      const { count } = await client.workflow.count(`CyberOperation = '${id}' AND ExecutionStatus = 'Running'`);
      return count === 0 ? true : undefined;
    }, 300_000, 500);
    return ms;
  } finally {
    await connection.close();
    await fleet.stop();
  }
}

export function printTopologyReport(r: TopologyReport): void {
  const submitRatio = r.twoApis / r.oneApi;
  const launchRatio = r.oneWorkerLaunchMs / r.twoWorkersLaunchMs;
  const verdict = (ok: boolean) => (ok ? 'met' : 'NOT met');
  const rows: Array<[string, string]> = [
    [`Temporal server (PostgreSQL, ${r.shards} shards): submissions via 1 API`, `${r.oneApi.toFixed(1)}/s`],
    ['submissions via 2 APIs', `${r.twoApis.toFixed(1)}/s`],
    [`ratio 2 APIs / 1 (target >= ${TARGET_SCALE})`, `${submitRatio.toFixed(2)} (${verdict(submitRatio >= TARGET_SCALE)})`],
    [`all ${COUNTRIES.length} countries launched, 1 worker (target < ${TARGET_LAUNCH_MS / 1000} s)`, `${r.oneWorkerLaunchMs} ms (${verdict(r.oneWorkerLaunchMs < TARGET_LAUNCH_MS)})`],
    [`all ${COUNTRIES.length} countries launched, 2 workers (target < ${TARGET_LAUNCH_MS / 1000} s)`, `${r.twoWorkersLaunchMs} ms (${verdict(r.twoWorkersLaunchMs < TARGET_LAUNCH_MS)})`],
    [`speed-up 2 workers / 1 (target >= ${TARGET_SCALE})`, `${launchRatio.toFixed(2)} (${verdict(launchRatio >= TARGET_SCALE)})`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  console.log('\nProduction topology');
  for (const [k, v] of rows) console.log(`  ${k.padEnd(width)}  ${v}`);
  console.log('  (every process shares the same 2 cores here: scaling out adds processes, not CPU)');
}
