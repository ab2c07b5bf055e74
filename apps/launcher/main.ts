// `npm start`: one command that runs the whole engine on a developer machine.
// Embedded PostgreSQL, the Temporal dev server and a dev mailbox are started unless
// DATABASE_URL, TEMPORAL_ADDRESS or SMTP_URL point elsewhere; then migrations and seed,
// then the worker and the API as child processes. Data lives under DATA_DIR (./.data)
// so a restart loses nothing. Ctrl-C stops everything in order.
import 'reflect-metadata'; // config.ts uses class-transformer decorators
import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import readline from 'node:readline';
import { ConfigError, DEV_JWT_SECRET, loadConfig } from '../config/config';
import { devPrincipals, mintToken, tokenClaimsFor } from '../api/auth/tokens';
import { startDevMailbox } from './dev-mailbox';
import { EmbeddedPostgres } from './embedded-postgres';
import { migrateAndSeed, PROJECT_ROOT } from './migrate';
import { isPortFree, TemporalDevServer } from './temporal-dev-server';

const READY_TIMEOUT_MS = 60_000;
const CHILD_STOP_TIMEOUT_MS = 35_000;
const DATABASE_NAME = 'cyberops';

/** An operator mistake: printed as one line (no stack), exit 1. */
class LauncherError extends Error {
  override name = 'LauncherError';
}

/** Start-up was interrupted by a shutdown; nothing to report. */
class Aborted extends Error {
  override name = 'Aborted';
}

const say = (line: string) => process.stdout.write(`[launcher] ${line}\n`);
const complain = (line: string) => process.stderr.write(`[launcher] ${line}\n`);

function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LauncherError(`${name}=${raw} is not a valid port (1-65535)`);
  }
  return port;
}

// ---------------------------------------------------------------------------------------
// Lock: one launcher per data directory.

/** Alive and not a zombie (an orphan's zombie lingers where pid 1 does not reap). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = processInfo(pid);
  return state === null ? true : !state.stat.startsWith('Z');
}

/** `ps` view of a process; null when ps cannot tell (the process is then assumed alive). */
function processInfo(pid: number): { stat: string; command: string } | null {
  const result = spawnSync('ps', ['-o', 'stat=,command=', '-p', String(pid)], { encoding: 'utf8' });
  if (result.error) return null;
  const match = /^\s*(\S+)\s+(.*)$/s.exec(result.stdout.trim());
  return match ? { stat: match[1], command: match[2] } : { stat: 'Z', command: '' };
}

/** Takes the lock; true when it took over from a launcher that died without cleaning up. */
function acquireLock(pidFile: string): boolean {
  let tookOver = false;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      fs.writeFileSync(pidFile, `${process.pid}\n`, { flag: 'wx' });
      return tookOver;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(fs.readFileSync(pidFile, 'utf8').trim(), 10);
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new LauncherError(`another instance is running (pid ${owner}); stop it first`);
    }
    // Stale (the previous launcher was killed): take it over.
    fs.rmSync(pidFile, { force: true });
    tookOver = true;
  }
  throw new LauncherError(`could not take the lock ${pidFile}`);
}

function releaseLock(pidFile: string): void {
  try {
    if (fs.readFileSync(pidFile, 'utf8').trim() === String(process.pid)) fs.rmSync(pidFile, { force: true });
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------
// Processes a killed launcher (kill -9, OOM) leaves behind: recorded here, stopped on the
// next start so their ports and data files are free again.

interface Recorded {
  name: string;
  pid: number;
  /** A fragment of its command line, so a recycled pid is never signalled. */
  marker: string;
}

function recordProcesses(file: string, processes: Recorded[]): void {
  fs.writeFileSync(file, `${JSON.stringify(processes, null, 2)}\n`);
}

async function stopLeftovers(file: string): Promise<void> {
  let recorded: Recorded[] = [];
  try {
    recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as Recorded[];
  } catch {
    return;
  }
  // Reverse start order: API, worker, then the Temporal dev server.
  for (const { name, pid, marker } of recorded.reverse()) {
    const cmd = isAlive(pid) ? processInfo(pid)?.command : null;
    if (!cmd || !cmd.includes(marker)) continue;
    say(`stopping the ${name} (pid ${pid}) left running by a previous launcher`);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 10_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  fs.rmSync(file, { force: true });
}

// ---------------------------------------------------------------------------------------
// Child processes (worker, API).

/** Children the launcher itself is stopping: their exit is expected. */
const stoppedByLauncher = new WeakSet<ChildProcess>();

interface Child {
  name: string;
  process: ChildProcess;
  exited: Promise<void>;
}

function spawnChild(
  name: string,
  script: string,
  env: NodeJS.ProcessEnv,
  onUnexpectedExit: (message: string) => void,
): Child {
  if (!fs.existsSync(script)) throw new LauncherError(`${script} is missing; run npm run build`);
  const child = spawn(process.execPath, [script], {
    cwd: PROJECT_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    // Own process group: a terminal Ctrl-C reaches only the launcher, which stops children in order.
    detached: true,
  });
  const prefix = (stream: NodeJS.ReadableStream, out: NodeJS.WriteStream) => {
    readline
      .createInterface({ input: stream, crlfDelay: Infinity })
      .on('line', (line) => out.write(`[${name}] ${line}\n`));
  };
  prefix(child.stdout!, process.stdout);
  prefix(child.stderr!, process.stderr);
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      resolve();
      if (!stoppedByLauncher.has(child))
        onUnexpectedExit(`${name} exited unexpectedly (${signal ? `signal ${signal}` : `code ${code}`})`);
    });
    child.once('error', (error) => {
      resolve();
      onUnexpectedExit(`${name} could not be started: ${error.message}`);
    });
  });
  return { name, process: child, exited };
}

async function stopChild(child: Child): Promise<void> {
  const proc = child.process;
  stoppedByLauncher.add(proc);
  if (proc.exitCode !== null || proc.signalCode !== null || proc.pid === undefined) return;
  say(`stopping ${child.name} (pid ${proc.pid})`);
  proc.kill('SIGTERM');
  const timer = setTimeout(() => {
    complain(`${child.name} did not stop within ${CHILD_STOP_TIMEOUT_MS / 1000} s; killing it`);
    proc.kill('SIGKILL');
  }, CHILD_STOP_TIMEOUT_MS);
  await child.exited;
  clearTimeout(timer);
}

// ---------------------------------------------------------------------------------------
// Readiness.

function httpStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = http.get(url, { timeout: 3_000 }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', reject);
  });
}

async function waitForReady(url: string, timeoutMs: number, stopping: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (stopping()) throw new Aborted();
    try {
      const status = await httpStatus(url);
      if (status === 200) return;
      last = `HTTP ${status}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new LauncherError(`the API did not become ready within ${timeoutMs / 1000} s (${url}: ${last})`);
}


// ---------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const startedAt = Date.now();
  const dataDir = path.resolve(PROJECT_ROOT, process.env.DATA_DIR || '.data');
  const apiPort = portFromEnv('PORT', 3000);
  const apiHost = process.env.HOST || '0.0.0.0';
  const embeddedDatabase = !process.env.DATABASE_URL;
  const embeddedTemporal = !process.env.TEMPORAL_ADDRESS;
  const embeddedMail = !process.env.SMTP_URL;
  const pgPort = portFromEnv('EMBEDDED_PG_PORT', 5433);
  const temporalPort = portFromEnv('TEMPORAL_PORT', 7233);
  const temporalUiPort = portFromEnv('TEMPORAL_UI_PORT', 8233);
  const mailPort = portFromEnv('DEV_MAILBOX_PORT', 1025);
  const jwtSecret = process.env.JWT_SECRET || DEV_JWT_SECRET;
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  const mailDir = path.join(dataDir, 'mail');

  // Validate the configuration the children will get before starting anything.
  try {
    loadConfig({
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL || 'postgresql://check',
      JWT_SECRET: jwtSecret,
      PORT: String(apiPort),
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new LauncherError(error.message);
    throw error;
  }

  fs.mkdirSync(dataDir, { recursive: true });
  const pidFile = path.join(dataDir, 'launcher.pid');
  const processesFile = path.join(dataDir, 'launcher.processes.json');
  const recorded: Recorded[] = [];
  if (acquireLock(pidFile)) await stopLeftovers(processesFile);

  // --- shutdown machinery -----------------------------------------------------------------
  const stops: Array<{ name: string; stop: () => Promise<void> }> = [];
  const children: Child[] = [];
  let currentStep: Promise<unknown> = Promise.resolve();
  let shuttingDown = false;
  let forceKill: () => void = () => undefined;

  const shutdown = async (exitCode: number, reason?: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (reason) (exitCode === 0 ? say : complain)(reason);
    // Let a start-up step that is under way finish, so what it started gets stopped too.
    await currentStep.catch(() => undefined);
    for (const { name, stop } of stops.reverse()) {
      try {
        await stop();
      } catch (error) {
        complain(`stopping ${name} failed: ${(error as Error).message}`);
      }
    }
    fs.rmSync(processesFile, { force: true });
    releaseLock(pidFile);
    if (stops.length > 0) say(exitCode === 0 ? 'stopped' : 'stopped after an error');
    process.exit(exitCode);
  };

  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!shuttingDown) {
      firstSignalAt = Date.now();
      void shutdown(0, `${signal} received; shutting down (press Ctrl-C again to force)`);
      return;
    }
    // One Ctrl-C can arrive twice (from the terminal and forwarded by npm); only a later one forces.
    if (Date.now() - firstSignalAt < 1_000) return;
    complain(`${signal} received again; forcing exit`);
    forceKill();
    fs.rmSync(processesFile, { force: true });
    releaseLock(pidFile);
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const step = async <T>(work: () => Promise<T>): Promise<T> => {
    if (shuttingDown) throw new Aborted();
    const running = work();
    currentStep = running;
    const result = await running;
    if (shuttingDown) throw new Aborted();
    return result;
  };

  try {
    // --- PostgreSQL left running by a launcher that was killed: stop it, it is ours ---------
    const pg = embeddedDatabase
      ? new EmbeddedPostgres({
          dataDir: path.join(dataDir, 'postgres'),
          port: pgPort,
          database: DATABASE_NAME,
        })
      : undefined;
    if (pg && (await pg.isRunning())) {
      say('stopping the embedded PostgreSQL left running by a previous launcher');
      await pg.stop();
    }

    // --- ports, before anything starts ------------------------------------------------------
    const wanted: Array<{ port: number; host: string; what: string; variable: string }> = [
      { port: apiPort, host: apiHost, what: 'API', variable: 'PORT' },
    ];
    if (embeddedTemporal) {
      wanted.push({
        port: temporalPort,
        host: '127.0.0.1',
        what: 'Temporal dev server',
        variable: 'TEMPORAL_PORT (or set TEMPORAL_ADDRESS to use an existing server)',
      });
      wanted.push({
        port: temporalUiPort,
        host: '127.0.0.1',
        what: 'Temporal Web UI',
        variable: 'TEMPORAL_UI_PORT',
      });
    }
    if (embeddedDatabase) {
      wanted.push({
        port: pgPort,
        host: '127.0.0.1',
        what: 'embedded PostgreSQL',
        variable: 'EMBEDDED_PG_PORT (or set DATABASE_URL to use an existing database)',
      });
    }
    if (embeddedMail) {
      wanted.push({
        port: mailPort,
        host: '127.0.0.1',
        what: 'dev mailbox SMTP',
        variable: 'DEV_MAILBOX_PORT (or set SMTP_URL to use a real mail server)',
      });
    }
    const seen = new Map<number, string>();
    for (const w of wanted) {
      const clash = seen.get(w.port);
      if (clash)
        throw new LauncherError(
          `port ${w.port} is configured for both the ${clash} and the ${w.what}; change ${w.variable}`,
        );
      seen.set(w.port, w.what);
    }
    for (const w of wanted) {
      if (!(await isPortFree(w.port, w.host))) {
        throw new LauncherError(
          `port ${w.port} (${w.what}) is already in use; stop what uses it or change ${w.variable}`,
        );
      }
    }

    // --- PostgreSQL ------------------------------------------------------------------------
    let databaseUrl = process.env.DATABASE_URL as string;
    if (pg) {
      stops.push({
        name: 'PostgreSQL',
        stop: async () => {
          say('stopping PostgreSQL');
          await pg.stop();
        },
      });
      const t = Date.now();
      await step(async () => {
        await pg.initialise();
        await pg.start();
      });
      databaseUrl = pg.connectionString;
      say(
        `PostgreSQL ready on 127.0.0.1:${pgPort} (data ${path.join(dataDir, 'postgres')}) in ${seconds(Date.now() - t)}`,
      );
    } else {
      say('using the database at DATABASE_URL');
    }

    // --- dev mailbox -----------------------------------------------------------------------
    let smtpUrl = process.env.SMTP_URL as string;
    if (embeddedMail) {
      const mailbox = await step(() =>
        startDevMailbox({
          dir: mailDir,
          port: mailPort,
          log: (line) => process.stdout.write(`[mail] ${line}\n`),
        }),
      );
      stops.push({
        name: 'dev mailbox',
        stop: async () => {
          say('stopping the dev mailbox');
          await mailbox.close();
        },
      });
      smtpUrl = mailbox.url;
      say(`dev mailbox on ${mailbox.url}, messages saved under ${mailDir}`);
    }

    // --- Temporal --------------------------------------------------------------------------
    let temporalAddress = process.env.TEMPORAL_ADDRESS as string;
    if (embeddedTemporal) {
      const server = new TemporalDevServer({
        port: temporalPort,
        uiPort: temporalUiPort,
        namespace,
        dbFile: path.join(dataDir, 'temporal.db'),
        logFile: path.join(dataDir, 'temporal.log'),
      });
      stops.push({
        name: 'Temporal dev server',
        stop: async () => {
          say('stopping the Temporal dev server');
          await server.stop();
        },
      });
      const previousForce = forceKill;
      forceKill = () => {
        previousForce();
        void server.stop(); // sends SIGTERM synchronously; the server exits on its own
      };
      const t = Date.now();
      await step(() => server.start());
      temporalAddress = server.address;
      const temporalPid = server.pid;
      if (temporalPid) {
        recorded.push({ name: 'Temporal dev server', pid: temporalPid, marker: 'start-dev' });
        recordProcesses(processesFile, recorded);
      }
      say(
        `Temporal dev server ready on ${temporalAddress} (data ${path.join(dataDir, 'temporal.db')}, log ${path.join(dataDir, 'temporal.log')}) in ${seconds(Date.now() - t)}`,
      );
    } else {
      say(`using Temporal at ${temporalAddress}`);
    }
    if (pg) {
      const previousForce = forceKill;
      forceKill = () => {
        previousForce();
        // Fast shutdown without waiting: SIGINT to the postmaster; it finishes on its own.
        try {
          const pid = Number.parseInt(
            fs.readFileSync(path.join(dataDir, 'postgres', 'pgdata', 'postmaster.pid'), 'utf8'),
            10,
          );
          if (pid > 0) process.kill(pid, 'SIGINT');
        } catch {
          // not running
        }
      };
    }

    // --- schema and reference data ---------------------------------------------------------
    const tMigrate = Date.now();
    const summary = await step(() => migrateAndSeed(databaseUrl));
    say(
      `database migrated and seeded in ${seconds(Date.now() - tMigrate)}: ${summary.countries} countries, ` +
        `${summary.groups} country groups, ${summary.contacts} contacts, ${summary.slaPolicies} SLA policies`,
    );

    // --- worker and API --------------------------------------------------------------------
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(apiPort),
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      SMTP_URL: smtpUrl,
      JWT_SECRET: jwtSecret,
      DATA_DIR: dataDir,
    };
    const onUnexpectedExit = (message: string) => {
      if (shuttingDown) return;
      void shutdown(1, message);
    };
    stops.push({
      name: 'worker',
      stop: async () => {
        for (const child of children.filter((c) => c.name === 'worker')) await stopChild(child);
      },
    });
    stops.push({
      name: 'API',
      stop: async () => {
        for (const child of children.filter((c) => c.name === 'api')) await stopChild(child);
      },
    });
    const previousForce = forceKill;
    forceKill = () => {
      for (const child of children) {
        stoppedByLauncher.add(child.process);
        child.process.kill('SIGKILL');
      }
      previousForce();
    };
    const appsDir = path.resolve(__dirname, '..');
    if (shuttingDown) throw new Aborted();
    children.push(spawnChild('worker', path.join(appsDir, 'worker', 'main.js'), childEnv, onUnexpectedExit));
    children.push(spawnChild('api', path.join(appsDir, 'api', 'main.js'), childEnv, onUnexpectedExit));
    for (const child of children) {
      if (child.process.pid)
        recorded.push({
          name: child.name,
          pid: child.process.pid,
          marker: path.join('apps', child.name, 'main.js'),
        });
    }
    recordProcesses(processesFile, recorded);

    const localHost = apiHost === '0.0.0.0' || apiHost === '::' ? '127.0.0.1' : apiHost;
    await step(() =>
      waitForReady(`http://${localHost}:${apiPort}/health/ready`, READY_TIMEOUT_MS, () => shuttingDown),
    );

    // --- banner ----------------------------------------------------------------------------
    const tokens = await Promise.all(
      devPrincipals().map(async (p) => ({ principal: p, token: await mintToken(p, jwtSecret, tokenClaimsFor(process.env)) })),
    );
    const base = `http://localhost:${apiPort}`;
    const lines = [
      '',
      '='.repeat(78),
      `  Cyber operations workflow engine is ready (${seconds(Date.now() - startedAt)})`,
      '='.repeat(78),
      `  API            ${base}/api/v1`,
      `  API docs       ${base}/docs`,
      `  Health         ${base}/health/ready`,
      `  Temporal UI    ${embeddedTemporal ? `http://localhost:${temporalUiPort}` : `not managed here (Temporal at ${temporalAddress})`}`,
      `  Mail           ${embeddedMail ? `dev mailbox, one .eml per message in ${mailDir}` : 'sent through SMTP_URL'}`,
      `  Database       ${embeddedDatabase ? `embedded PostgreSQL on 127.0.0.1:${pgPort}, data in ${path.join(dataDir, 'postgres')}` : `DATABASE_URL (${redact(databaseUrl)})`}`,
      `  Data folder    ${dataDir}`,
      '',
      jwtSecret === DEV_JWT_SECRET
        ? `  JWT secret     ${jwtSecret}   (the development default; set JWT_SECRET in production)`
        : `  JWT secret     from JWT_SECRET (${jwtSecret.length} characters, not printed)`,
      ...(process.env.JWT_JWKS_URL
        ? [
            `  Note           JWT_JWKS_URL is set: the API verifies RS256 tokens from ${process.env.JWT_JWKS_URL}; the tokens below are HS256`,
          ]
        : []),
      `  Mint a token   npm run token -- --role member --country PH${jwtSecret === DEV_JWT_SECRET ? '' : '   (with the same JWT_SECRET in the environment)'}`,
      '',
      '  Ready-made tokens (valid 12 h):',
      ...tokens.flatMap(({ principal, token }) => [
        `  - ${principal.role.padEnd(11)} ${principal.country ? `country=${principal.country}` : principal.region ? `region=${principal.region}` : 'global'}  (sub ${principal.sub})`,
        `    ${token}`,
      ]),
      '',
      `  Try: curl -H "Authorization: Bearer <token>" ${base}/api/v1/countries`,
      '  Press Ctrl-C to stop everything (data is kept).',
      '='.repeat(78),
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } catch (error) {
    if (error instanceof Aborted) return;
    if (shuttingDown) return; // a failure caused by the shutdown itself (e.g. Temporal stopped mid-start)
    const message =
      error instanceof LauncherError ? error.message : (error as Error).message || String(error);
    await shutdown(1, message);
  }
}

/** A connection string without its password, for printing. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable)';
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

main().catch((error: Error) => {
  // Errors before the lock and the shutdown machinery exist (bad env, lock held).
  if (error instanceof LauncherError) complain(error.message);
  else complain(error.stack ?? String(error));
  process.exit(1);
});
