import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { EmbeddedPostgres } from '../../../apps/launcher/embedded-postgres';
import { migrateAndSeed, PROJECT_ROOT, provisionAppRole } from '../../../apps/launcher/migrate';
import { ensureTemporalCli, freePort, isPortFree, waitForTemporal } from '../../../apps/launcher/temporal-dev-server';
import { ManagedProcess, ProcessSpec, stopPid } from './processes';

/** The Temporal server's configuration, shared with docker-compose.yml (one source of truth). */
export const TEMPORAL_CONFIG_DIR = path.join(PROJECT_ROOT, 'deploy', 'temporal', 'config');
export const TEMPORAL_CONFIG_FILE = path.join(TEMPORAL_CONFIG_DIR, 'temporal.yaml');
export const TEMPORAL_DYNAMIC_CONFIG_FILE = path.join(TEMPORAL_CONFIG_DIR, 'dynamicconfig', 'production.yaml');
/** The admin-tools steps of docker-compose.yml, run here with local binaries. */
export const SCHEMA_SCRIPT = path.join(PROJECT_ROOT, 'deploy', 'temporal', 'setup-postgres.sh');
export const NAMESPACE_SCRIPT = path.join(PROJECT_ROOT, 'deploy', 'temporal', 'create-namespace.sh');
export const TOPOLOGY_ROOT = path.join(PROJECT_ROOT, '.data', 'topology');
export const NAMESPACE = 'cyberops';
const STATE_ENV = 'CYBEROPS_TOPOLOGY_STATE';

/** What the topology's infrastructure is; written to a file so test files and teardown find it. */
export interface TopologyInfra {
  runDir: string;
  pg: { dataDir: string; port: number; password: string };
  /** The schema owner (migrations, fixtures). */
  ownerUrl: string;
  /** The application's least-privilege role (cyberops_app): what the API and workers use. */
  databaseUrl: string;
  temporal: { address: string; binDir: string; cli: string; spec: ProcessSpec; pid: number; startMs: number };
  namespace: string;
  shards: number;
}

export interface InfraOptions {
  runDir: string;
  /** NUM_HISTORY_SHARDS; the production default of temporal.yaml unless said otherwise. */
  shards?: number;
  log?: (line: string) => void;
}

/** Builds (or reuses) the server and SQL tool of the version docker-compose.yml pins. */
export function temporalServerBin(): string {
  const built = spawnSync('bash', [path.join(PROJECT_ROOT, 'scripts', 'temporal-server.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (built.status !== 0) throw new Error('scripts/temporal-server.sh failed');
  return built.stdout.trim().split('\n').pop()!;
}

/**
 * PostgreSQL (embedded, its own cluster), Temporal's schemas set up by its SQL tool, the real
 * Temporal server on them with deploy/temporal/config/temporal.yaml, the namespace and search
 * attributes, and the application's migrations and seed.
 */
export async function startInfra(options: InfraOptions): Promise<TopologyInfra> {
  const log = options.log ?? (() => undefined);
  const binDir = temporalServerBin();
  const cli = ensureTemporalCli();
  if (!cli) throw new Error('the Temporal CLI is missing: run npm run setup');
  fs.mkdirSync(options.runDir, { recursive: true });

  const started: { postgres?: EmbeddedPostgres; server?: ManagedProcess } = {};
  try {
    return await bringUp(options, binDir, cli, started, log);
  } catch (error) {
    // Nothing may outlive a failed setup.
    await started.server?.stop(5_000);
    await started.postgres?.stop().catch(() => undefined);
    throw error;
  }
}

async function bringUp(
  options: InfraOptions,
  binDir: string,
  cli: string,
  started: { postgres?: EmbeddedPostgres; server?: ManagedProcess },
  log: (line: string) => void,
): Promise<TopologyInfra> {
  let t = Date.now();
  const pg = { dataDir: path.join(options.runDir, 'postgres'), port: await freePort(), password: randomBytes(24).toString('hex') };
  const postgres = new EmbeddedPostgres({ dataDir: pg.dataDir, port: pg.port, database: 'cyberops', password: pg.password });
  await postgres.initialise();
  started.postgres = postgres;
  await postgres.start();
  const ownerUrl = `postgresql://postgres:${pg.password}@127.0.0.1:${pg.port}/cyberops`;
  log(`postgres :${pg.port} (${Date.now() - t} ms)`);

  t = Date.now();
  const dbEnv = { POSTGRES_SEEDS: '127.0.0.1', DB_PORT: String(pg.port), POSTGRES_USER: 'postgres', POSTGRES_PWD: pg.password };
  runScript(SCHEMA_SCRIPT, { ...dbEnv, TEMPORAL_SQL_TOOL: path.join(binDir, 'sql') }, path.join(options.runDir, 'temporal-schema.log'));
  log(`temporal schema (${Date.now() - t} ms)`);

  t = Date.now();
  const shards = options.shards ?? 512;
  const ports = await temporalPorts();
  const spec: ProcessSpec = {
    name: 'temporal',
    command: path.join(binDir, 'server'),
    args: ['start'],
    cwd: options.runDir,
    logFile: path.join(options.runDir, 'temporal.log'),
    env: {
      ...dbEnv,
      ...ports,
      TEMPORAL_SERVER_CONFIG_FILE_PATH: TEMPORAL_CONFIG_FILE,
      DYNAMIC_CONFIG_FILE_PATH: TEMPORAL_DYNAMIC_CONFIG_FILE,
      NUM_HISTORY_SHARDS: String(shards),
      BIND_ON_IP: '127.0.0.1',
      TEMPORAL_ALLOW_NO_AUTH: 'true',
      LOG_LEVEL: 'warn',
      // Four services in one process share this PostgreSQL (max_connections 200) with the app.
      SQL_MAX_CONNS: '12',
      SQL_VIS_MAX_CONNS: '6',
    },
  };
  const address = `127.0.0.1:${ports.FRONTEND_GRPC_PORT}`;
  const server = new ManagedProcess(spec).start();
  started.server = server;
  await waitForServer(server, address);
  const startMs = Date.now() - t;
  log(`temporal server ${address}, ${shards} shards (${startMs} ms)`);

  t = Date.now();
  runScript(NAMESPACE_SCRIPT, { TEMPORAL_ADDRESS: address, TEMPORAL_NAMESPACE: NAMESPACE, TEMPORAL_CLI: cli }, path.join(options.runDir, 'temporal-namespace.log'));
  await migrateAndSeed(ownerUrl);
  // The API and workers connect as the least-privilege role, as in production.
  const databaseUrl = await provisionAppRole(ownerUrl, randomBytes(24).toString('hex'));
  log(`namespace, search attributes, migrations and seed (${Date.now() - t} ms)`);

  const infra: TopologyInfra = {
    runDir: options.runDir,
    pg,
    ownerUrl,
    databaseUrl,
    temporal: { address, binDir, cli, spec, pid: server.pid!, startMs },
    namespace: NAMESPACE,
    shards,
  };
  saveInfra(infra);
  return infra;
}

/** Stops the server and deletes the cluster (wherever EmbeddedPostgres put it); the logs stay. */
export async function stopInfra(infra: TopologyInfra): Promise<void> {
  await stopPid(loadInfraFile(infra.runDir).temporal.pid);
  await new EmbeddedPostgres({ dataDir: infra.pg.dataDir, port: infra.pg.port, database: 'cyberops', password: infra.pg.password }).destroy();
}

/**
 * Stops the Temporal server (SIGKILL or SIGTERM) and starts it again with the same
 * configuration; resolves once its frontend answers.
 */
export async function restartTemporal(infra: TopologyInfra, how: 'SIGKILL' | 'SIGTERM' = 'SIGTERM', downMs = 0): Promise<number> {
  await stopPid(infra.temporal.pid, how === 'SIGKILL' ? 0 : 15_000);
  if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
  const started = Date.now();
  const server = new ManagedProcess(infra.temporal.spec).start();
  infra.temporal.pid = server.pid!;
  saveInfra(infra);
  await waitForServer(server, infra.temporal.address);
  return Date.now() - started;
}

/** The infrastructure global setup started (test files). */
export function loadInfra(): TopologyInfra {
  const file = process.env[STATE_ENV];
  if (!file) throw new Error('the topology is not running: use `npm run test:topology`');
  return JSON.parse(fs.readFileSync(file, 'utf8')) as TopologyInfra;
}

function loadInfraFile(runDir: string): TopologyInfra {
  return JSON.parse(fs.readFileSync(path.join(runDir, 'state.json'), 'utf8')) as TopologyInfra;
}

function saveInfra(infra: TopologyInfra): void {
  const file = path.join(infra.runDir, 'state.json');
  fs.writeFileSync(file, JSON.stringify(infra, null, 2), { mode: 0o600 });
  process.env[STATE_ENV] = file;
}

async function waitForServer(server: ManagedProcess, address: string): Promise<void> {
  let waiting = true;
  const exited = server.exitedWithin(120_000).then((code) => {
    // Only an exit during the wait is a failed start; a later one is a test's business.
    if (waiting && code !== 'running') throw new Error(`Temporal server exited (${code}):\n${server.tail()}`);
  });
  try {
    await Promise.race([waitForTemporal(address, 120_000), exited]);
  } finally {
    waiting = false;
  }
}

/**
 * Every port the four services listen on, free ones, named as temporal.yaml reads them.
 * Membership ports are stored in a smallint column, so they must stay below 32768, where the
 * system's ephemeral ports are not: they are drawn from 20000-32000 instead.
 */
async function temporalPorts(): Promise<Record<string, string>> {
  const grpc = ['FRONTEND_GRPC_PORT', 'FRONTEND_HTTP_PORT', 'HISTORY_GRPC_PORT', 'MATCHING_GRPC_PORT', 'WORKER_GRPC_PORT'];
  const membership = ['FRONTEND_MEMBERSHIP_PORT', 'HISTORY_MEMBERSHIP_PORT', 'MATCHING_MEMBERSHIP_PORT', 'WORKER_MEMBERSHIP_PORT'];
  const ports: Record<string, string> = {};
  const taken = new Set<number>();
  const pick = async (draw: () => Promise<number>) => {
    for (;;) {
      const port = await draw();
      if (!taken.has(port) && (await isPortFree(port))) {
        taken.add(port);
        return String(port);
      }
    }
  };
  for (const name of grpc) ports[name] = await pick(freePort);
  for (const name of membership) ports[name] = await pick(async () => 20_000 + Math.floor(Math.random() * 12_000));
  return ports;
}

function runScript(script: string, env: Record<string, string>, logFile: string): void {
  const result = spawnSync('sh', [script], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  fs.writeFileSync(logFile, `${result.stdout}\n${result.stderr}`);
  if (result.status !== 0) throw new Error(`${path.basename(script)} failed (see ${logFile}):\n${result.stderr.slice(-2000)}`);
}
