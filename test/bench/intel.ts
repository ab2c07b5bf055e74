import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { mintToken } from '../../apps/api/auth/tokens';
import type { Principal } from '../../apps/api/auth/principal';
import { lookupSightings } from '../../activities/deconfliction/deconfliction-index';
import type { Indicator } from '../../workflows/common/domain';
import { COUNTRIES } from '../../prisma/seed-data/countries';
import type { BenchContext } from './operations';
import { pool } from './pool';

// Fusion centre: intake throughput, the deconfliction index at 100,000 indicators, and a
// dissemination to every member country (first deliveries, then GET latency under 50 readers).

interface AutocannonResult {
  latency: { p50: number; p99: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

const ANALYST: Principal = { sub: 'bench.analyst@cyberops.test', role: 'analyst' };
const MEMBER: Principal = { sub: 'bench@nrp.br', role: 'member', country: 'BR' };
const intEnv = (name: string, fallback: number) => Number(process.env[name] || fallback);
const INTAKE = intEnv('BENCH_INTEL_SUBMITS', 300);
const INDEXED = intEnv('BENCH_INDICATORS', 100_000);
const CHECKS = intEnv('BENCH_CHECKS', 2_000);
const DURATION = intEnv('BENCH_DURATION', 10);
const fmt = (n: number, digits = 1) => n.toFixed(digits);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

let counter = 0;
const uniqueDomain = () => `bench-${++counter}-${Math.random().toString(36).slice(2, 8)}.example`;

export async function runIntelBench({ config, baseUrl, prisma, log }: BenchContext): Promise<Array<[string, string]>> {
  const rows: Array<[string, string]> = [];
  const analyst = await mintToken(ANALYST, config.JWT_SECRET);
  const member = await mintToken(MEMBER, config.JWT_SECRET);
  const post = async (path: string, token: string, body: unknown) => {
    const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify(body) });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`POST ${path} answered ${res.status}: ${text}`);
    return JSON.parse(text) as Record<string, any>;
  };
  const item = (tlp: string, indicators: Indicator[]) => ({
    title: 'Bench intelligence item',
    summary: 'Benchmark item with unique indicators.',
    categories: ['malware'],
    indicators,
    priority: 'P2',
    tlp,
    source: { kind: 'cert', reliability: 'B' },
    credibility: 2,
  });

  // --- intake throughput (normalise, deconflict, duplicate probe, store, audit) ---
  await post('/api/v1/intel', analyst, item('TLP:GREEN', [{ type: 'domain', value: uniqueDomain() }]));
  const intakeMs = await pool(INTAKE, 20, async () => {
    await post('/api/v1/intel', analyst, item('TLP:AMBER', [{ type: 'domain', value: uniqueDomain() }, { type: 'url', value: `hxxp://${uniqueDomain()}/Gate.php` }, { type: 'sha256', value: (counter * 7919).toString(16).padStart(64, 'a') }]));
  });
  log(`intel intake: ${INTAKE} items in ${fmt(intakeMs, 0)} ms = ${fmt((INTAKE / intakeMs) * 1000)}/s`);
  rows.push([`intel intake via API (N=${INTAKE}, c=20)`, `${fmt((INTAKE / intakeMs) * 1000)} items/s (${fmt(intakeMs, 0)} ms)`]);

  // --- deconfliction index with INDEXED stored indicators ---
  const have = await prisma.indicatorSighting.count();
  const batch = 10_000;
  const started = performance.now();
  for (let done = have; done < INDEXED; done += batch) {
    const n = Math.min(batch, INDEXED - done);
    await prisma.indicatorSighting.createMany({
      data: Array.from({ length: n }, (_, i) => {
        const k = done + i;
        return { type: k % 2 ? 'domain' : 'ipv4', value: k % 2 ? `stored-${k}.example` : `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`, objectType: 'intel', objectId: `IN-BENCH${k % 5000}`, country: COUNTRIES[k % COUNTRIES.length].iso };
      }),
      skipDuplicates: true,
    });
  }
  const stored = await prisma.indicatorSighting.count();
  log(`deconfliction index: ${stored} indicators stored (${fmt(performance.now() - started, 0)} ms to load)`);
  const probe = (i: number): Indicator[] => [
    { type: 'ipv4', value: `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` }, // hit (even keys are ipv4)
    { type: 'domain', value: `stored-${(i * 2 + 1) % INDEXED}.example` }, // hit
    { type: 'domain', value: `absent-${i}.example` }, // miss
  ];
  const plan = await prisma.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(
    `EXPLAIN SELECT * FROM "IndicatorSighting" WHERE (type = 'ipv4' AND value = '10.0.1.2') OR (type = 'domain' AND value = 'stored-3.example')`,
  );
  const planText = plan.map((p) => p['QUERY PLAN']).join(' | ');
  const usesIndex = /Index/.test(planText) && !/Seq Scan/.test(planText);
  log(`query plan: ${planText}`);
  const lookups: number[] = [];
  for (let i = 0; i < CHECKS; i++) {
    const t = performance.now();
    await lookupSightings(prisma, probe((i * 2) % INDEXED));
    lookups.push(performance.now() - t);
  }
  lookups.sort((a, b) => a - b);
  const p99 = percentile(lookups, 99);
  log(`index lookup (3 indicators, ${CHECKS} sequential): p50 ${fmt(percentile(lookups, 50), 2)} ms, p99 ${fmt(p99, 2)} ms`);
  rows.push(
    [`deconfliction index size`, `${stored} indicators (${usesIndex ? 'index scan' : 'NOT an index scan'})`],
    [`deconfliction lookup p50 / p99 (N=${CHECKS})`, `${fmt(percentile(lookups, 50), 2)} / ${fmt(p99, 2)} ms (target p99 < 10 ms: ${p99 < 10 ? 'met' : 'NOT met'})`],
  );
  const check = await autocannon({
    url: `${baseUrl}/api/v1/deconfliction/check`,
    method: 'POST',
    connections: 10,
    duration: Math.max(3, Math.round(DURATION / 2)),
    headers: { authorization: `Bearer ${member}`, 'content-type': 'application/json' },
    body: JSON.stringify({ indicators: probe(4242) }),
  });
  log(`POST /deconfliction/check over HTTP (10 connections): p50 ${check.latency.p50} ms, p99 ${check.latency.p99} ms, ${fmt(check.requests.average)} req/s, non-2xx ${check.non2xx}`);
  rows.push([`POST /deconfliction/check p50 / p99 (HTTP, c=10)`, `${check.latency.p50} / ${check.latency.p99} ms (${fmt(check.requests.average)} req/s, non-2xx ${check.non2xx})`]);

  // --- dissemination to every member country ---
  log(`load average before the dissemination: ${loadavg().map((l) => fmt(l, 2)).join(' ')} (2 cores)`);
  const intel = await post('/api/v1/intel', analyst, item('TLP:AMBER', [{ type: 'domain', value: uniqueDomain() }]));
  const t0 = performance.now();
  const sent = await post(`/api/v1/intel/${intel.id}/disseminate`, analyst, { regions: ['AFRICA', 'AMERICAS', 'EURASIA', 'MENA'] });
  const postMs = performance.now() - t0;
  let delivered = 0;
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    delivered = await prisma.disseminationRecipient.count({ where: { disseminationId: sent.id, deliveredAt: { not: null } } });
    if (delivered >= sent.recipients) break;
    await sleep(25);
  }
  const firstDeliveriesMs = performance.now() - t0;
  log(`dissemination ${sent.id} to ${sent.recipients} countries: POST ${fmt(postMs, 0)} ms, every first delivery recorded after ${fmt(firstDeliveriesMs, 0)} ms (${delivered}/${sent.recipients})`);
  rows.push([
    `dissemination to all ${sent.recipients} countries: first deliveries recorded`,
    `${fmt(firstDeliveriesMs, 0)} ms (POST ${fmt(postMs, 0)} ms; target < 5000 ms: ${delivered >= sent.recipients && firstDeliveriesMs < 5000 ? 'met' : 'NOT met'})`,
  ]);
  const read = await autocannon({ url: `${baseUrl}/api/v1/disseminations/${sent.id}`, connections: 50, duration: DURATION, headers: { authorization: `Bearer ${analyst}` } });
  log(`GET /disseminations/:id (${sent.recipients} rows, 50 connections, ${DURATION} s): p50 ${read.latency.p50} ms, p99 ${read.latency.p99} ms, ${fmt(read.requests.average)} req/s, non-2xx ${read.non2xx}`);
  rows.push([`GET /disseminations/:id p50 / p99 (c=50, ${DURATION} s)`, `${read.latency.p50} / ${read.latency.p99} ms (${fmt(read.requests.average)} req/s, non-2xx ${read.non2xx}, errors ${read.errors})`]);
  await post(`/api/v1/disseminations/${sent.id}/recall`, analyst, { reason: 'end of benchmark' });
  rows.push(['load average at the end (1/5/15 min)', loadavg().map((l) => fmt(l, 2)).join(' / ')]);
  return rows;
}
