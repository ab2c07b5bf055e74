import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { DefaultLogger, NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { createApiApp } from '../../apps/api/bootstrap';
import { mintToken, tokenClaimsFor } from '../../apps/api/auth/tokens';
import type { Principal } from '../../apps/api/auth/principal';
import { loadConfig } from '../../apps/config/config';
import { startDevMailbox } from '../../apps/launcher/dev-mailbox';
import { EmbeddedPostgres } from '../../apps/launcher/embedded-postgres';
import { migrateAndSeed, provisionAppRole } from '../../apps/launcher/migrate';
import { freePort, TemporalDevServer } from '../../apps/launcher/temporal-dev-server';
import { createWorker } from '../../apps/worker/worker';
import { createPrismaClient } from '../../prisma/client';

// `npm run test:contract`: the whole system on free ports (embedded PostgreSQL, Temporal dev
// server, worker, API), then Schemathesis with every check, once per role. Exits non-zero on
// any failure. scripts/contract-test.sh installs Schemathesis and calls this.

const ROOT = path.resolve(__dirname, '..', '..');
const SCHEMATHESIS = process.env.SCHEMATHESIS_BIN ?? path.join(ROOT, '.tools', 'venv', 'bin', 'schemathesis');
const MAX_EXAMPLES = process.env.CONTRACT_MAX_EXAMPLES ?? '5';
// Roles fuzzed side by side: a role spends most of its time waiting (for the API, or for a CPU on
// a loaded machine), not computing, so three at once cut the wall time. 1 streams the output live.
const PARALLEL = Math.max(1, Number(process.env.CONTRACT_PARALLEL ?? '3'));

// The member first: its submissions are data the other roles' runs find and act on. Then the
// slowest (they reach the most routes), so the parallel slots end at about the same time.
const ROLES: Principal[] = [
  { sub: 'officer.ph@nrp.ph', role: 'member', country: 'PH' },
  { sub: 'head.of.unit', role: 'supervisor' },
  { sub: 'dco.eurasia', role: 'coordinator', region: 'EURASIA' },
  { sub: 'sysadmin', role: 'admin' },
  { sub: 'analyst.fusion', role: 'analyst' },
  // Partners are refused everywhere except the routes that name the role (scoped by grants).
  { sub: 'analyst@partner.example', role: 'partner', org: 'ACME-CERT' },
];

// What to stop, newest first; also run on Ctrl-C or SIGTERM so nothing is left running.
const stops: Array<() => Promise<unknown>> = [];
const running = new Set<ChildProcess>();
let stopping: Promise<void> | undefined;

function stopAll(): Promise<void> {
  stopping ??= (async () => {
    for (const child of running) child.kill('SIGTERM');
    for (const stop of stops.splice(0)) await stop().catch((e: Error) => process.stderr.write(`stop: ${e.message}\n`));
  })();
  return stopping;
}

// `on`, not `once`: a second signal while stopping must not kill this process with the
// database and Temporal still running.
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    process.stderr.write(`contract: ${signal}, ${stopping ? 'already stopping' : 'stopping everything'}\n`);
    void stopAll().finally(() => process.exit(130));
  });
}

/** Runs Schemathesis once; its output goes to `log` (a file) when roles run side by side, else to ours. */
function runSchemathesis(args: string[], cwd: string, log?: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const out = log ? fs.openSync(log, 'w') : 'inherit';
    const child = spawn(SCHEMATHESIS, args, { cwd, stdio: ['ignore', out, out], env: { ...process.env, NO_COLOR: '1' } });
    if (typeof out === 'number') fs.closeSync(out);
    running.add(child);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? (signal ? 1 : 0));
    });
  });
}

const seconds = (since: number) => `${Math.round((Date.now() - since) / 1000)} s`;

async function main(): Promise<number> {
  const only = process.env.CONTRACT_ROLES?.split(',');
  const dataDir = path.join(ROOT, '.data', `contract-${process.pid}`);
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const postgres = new EmbeddedPostgres({
    dataDir: path.join(dataDir, 'postgres'),
    port: await freePort(),
    database: 'cyberops_contract',
    password: randomBytes(24).toString('base64url'),
  });
  const temporal = new TemporalDevServer({ port: await freePort(), namespace: 'default', logFile: path.join(dataDir, 'temporal.log') });
  try {
    await postgres.initialise();
    await Promise.all([postgres.start(), temporal.start()]);
    stops.unshift(() => postgres.stop());
    stops.unshift(() => temporal.stop());
    await migrateAndSeed(postgres.connectionString);
    // The API and worker connect as the least-privilege role, as in production.
    const appUrl = await provisionAppRole(postgres.connectionString, randomBytes(24).toString('base64url'));
    // Notifications are delivered for real (to a local mailbox), as in the dev stack.
    const mailbox = await startDevMailbox({ dir: path.join(dataDir, 'mail'), port: await freePort(), log: () => undefined });
    stops.unshift(() => mailbox.close());

    // The script's own secrets: never a constant, valid before and after the launcher generates them.
    const config = loadConfig({
      ...process.env,
      DATABASE_URL: appUrl,
      TEMPORAL_ADDRESS: temporal.address,
      JWT_SECRET: randomBytes(48).toString('base64url'),
      WEBHOOK_SIGNING_SECRET: randomBytes(48).toString('base64url'),
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
      RATE_LIMIT_PER_MINUTE: '1000000',
      SMTP_URL: mailbox.url,
      DATA_DIR: dataDir,
    });
    // No signal handling by the Temporal runtime: it would re-raise SIGTERM and kill this process
    // before stopAll() stops PostgreSQL and Temporal.
    Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
    const prisma = createPrismaClient(config.DATABASE_URL, 10);
    const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    const { worker, close } = await createWorker({ config, connection, prisma, options: { shutdownGraceTime: '2s' } });
    const running = worker.run();
    stops.unshift(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await close();
      await connection.close();
      await prisma.$disconnect();
    });
    const app = await createApiApp(config);
    await app.listen(0, '127.0.0.1');
    stops.unshift(() => app.close());
    const { port } = app.getHttpServer().address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    process.stdout.write(`contract: API ${base}, PostgreSQL and Temporal ${temporal.address} up\n`);

    const roles = ROLES.filter((p) => !only || only.includes(p.role));
    const unknown = only?.filter((r) => !ROLES.some((p) => p.role === r)) ?? [];
    if (unknown.length) throw new Error(`CONTRACT_ROLES: no such role ${unknown.join(', ')} (roles: ${ROLES.map((p) => p.role).join(', ')})`);
    const paths = process.env.CONTRACT_PATHS;
    const started = Date.now();
    const results: Array<{ role: string; code: number; elapsed: string }> = [];
    const fuzz = async (principal: Principal) => {
      const token = await mintToken(principal, config.JWT_SECRET, { ...tokenClaimsFor(config), expiresIn: '2h' });
      const reportDir = path.join(dataDir, 'reports', principal.role);
      fs.mkdirSync(reportDir, { recursive: true });
      const log = PARALLEL > 1 ? path.join(reportDir, 'schemathesis.log') : undefined;
      const since = Date.now();
      process.stdout.write(`\n=== Schemathesis as ${principal.role}${log ? ' (output when it ends)' : ''} ===\n`);
      const code = await runSchemathesis([
        '--config-file', path.join(__dirname, 'schemathesis.toml'),
        'run', `${base}/docs/openapi.json`,
        '--checks', 'all',
        '-H', `Authorization: Bearer ${token}`,
        '--max-examples', MAX_EXAMPLES,
        '--workers', '1',
        '--seed', process.env.CONTRACT_SEED ?? '1',
        '--no-shrink',
        '--generation-database', 'none',
        '--report', 'ndjson', '--report-dir', reportDir,
        ...(paths ? ['--include-path-regex', paths] : []),
        ...(process.env.CONTRACT_EXTRA?.split(' ').filter(Boolean) ?? []),
      ], dataDir, log);
      const elapsed = seconds(since);
      if (log) process.stdout.write(`\n=== Schemathesis as ${principal.role}: output ===\n${fs.readFileSync(log, 'utf8')}`);
      process.stdout.write(`contract: ${principal.role} ${code === 0 ? 'clean' : `FAILED (exit ${code})`} in ${elapsed}\n`);
      results.push({ role: principal.role, code, elapsed });
    };
    const queue = [...roles];
    await Promise.all(
      Array.from({ length: Math.min(PARALLEL, queue.length) }, async () => {
        for (let next = queue.shift(); next && !stopping; next = queue.shift()) await fuzz(next);
      }),
    );
    const failed = results.filter((r) => r.code !== 0).map((r) => r.role);
    process.stdout.write(`\ncontract: ${results.map((r) => `${r.role} ${r.code === 0 ? 'clean' : 'FAILED'} (${r.elapsed})`).join(', ')}; total ${seconds(started)}\n`);
    process.stdout.write(failed.length ? `contract: failures as ${failed.join(', ')}\n` : 'contract: no failures for any role\n');
    return failed.length ? 1 : 0;
  } finally {
    await stopAll();
    if (!process.env.CONTRACT_KEEP_DATA) fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`contract: ${error.stack ?? error.message}\n`);
    process.exit(1);
  },
);
