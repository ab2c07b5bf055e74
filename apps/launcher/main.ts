// `npm start`: one command that runs the whole engine on a developer machine.
// Embedded PostgreSQL, the Temporal dev server and a dev mailbox are started unless
// DATABASE_URL, TEMPORAL_ADDRESS or SMTP_URL point elsewhere; then migrations and seed (as the
// schema owner), then the worker and the API (as the least-privilege role) as child processes.
// A crashed Temporal dev server, worker or API is restarted with backoff; a crash loop stops
// everything with the reason. Data and generated secrets live under DATA_DIR (./.data), so a
// restart loses nothing. One Ctrl-C stops everything within STOP_BUDGET_MS.
import 'reflect-metadata'; // config.ts uses class-transformer decorators
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ConfigError, loadConfig } from '../config/config';
import { banner } from './banner';
import { startDevMailbox } from './dev-mailbox';
import { EmbeddedPostgres } from './embedded-postgres';
import { complain, LauncherError, say, seconds } from './errors';
import { acquireLock, ProcessRecord, releaseLock, stopLeftovers } from './lock';
import { migrateAndSeed, PROJECT_ROOT, provisionAppRole } from './migrate';
import { checkPorts, portFromEnv, WantedPort } from './ports';
import { loadOrCreateSecrets } from './secrets';
import { NodeChild, ResourceStack, RestartPolicy, Service } from './services';
import { TemporalDevServer } from './temporal-dev-server';

const READY_TIMEOUT_MS = 90_000;
/** One Ctrl-C: everything is down within 10 s, whatever state it was in. */
const STOP_BUDGET_MS = 8_000;
const HARD_EXIT_MS = 9_500;
const DATABASE_NAME = 'cyberops';

/** Start-up was interrupted by a shutdown; nothing to report. */
class Aborted extends Error {
  override name = 'Aborted';
}

function intFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new LauncherError(`${name}=${raw} is not a whole number`);
  return value;
}

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

/** The worker and API entry points: built JavaScript, or TypeScript through ts-node when run from sources. */
function childCommand(name: 'worker' | 'api'): { script: string; execArgv: string[] } {
  const fromSources = __filename.endsWith('.ts');
  const script = path.resolve(__dirname, '..', name, fromSources ? 'main.ts' : 'main.js');
  return { script, execArgv: fromSources ? ['-r', 'ts-node/register/transpile-only'] : [] };
}

function serviceOf(name: string, start: () => Promise<void>, stop: (graceMs: number) => Promise<void>, kill: () => void = () => undefined): Service {
  return { name, start, stop, kill };
}

async function main(): Promise<void> {
  const startedAt = Date.now();
  const dataDir = path.resolve(PROJECT_ROOT, process.env.DATA_DIR || '.data');
  const apiPort = portFromEnv('PORT', 3000);
  const apiHost = process.env.HOST || '127.0.0.1';
  const embeddedDatabase = !process.env.DATABASE_URL;
  const embeddedTemporal = !process.env.TEMPORAL_ADDRESS;
  const embeddedMail = !process.env.SMTP_URL;
  const pgPort = portFromEnv('EMBEDDED_PG_PORT', 5433);
  const temporalPort = portFromEnv('TEMPORAL_PORT', 7233);
  const temporalUiPort = portFromEnv('TEMPORAL_UI_PORT', 8233);
  const mailPort = portFromEnv('DEV_MAILBOX_PORT', 1025);
  const namespace = process.env.TEMPORAL_NAMESPACE || 'default';
  const mailDir = path.join(dataDir, 'mail');
  const restartLimit = intFromEnv('LAUNCHER_RESTART_LIMIT', 5);
  const restartWindowMs = intFromEnv('LAUNCHER_RESTART_WINDOW_S', 300) * 1000;

  fs.mkdirSync(dataDir, { recursive: true });
  const { secrets, file: secretsFile, created } = loadOrCreateSecrets(dataDir);
  if (created) say(`generated the dev stack's secrets in ${secretsFile} (mode 0600)`);
  const jwtSecret = process.env.JWT_SECRET || secrets.jwtSecret;
  const webhookSecret = process.env.WEBHOOK_SIGNING_SECRET || secrets.webhookSecret;

  // Validate the configuration the children will get before starting anything.
  try {
    loadConfig({
      ...process.env,
      DATABASE_URL: process.env.DATABASE_URL || 'postgresql://check',
      JWT_SECRET: jwtSecret,
      WEBHOOK_SIGNING_SECRET: webhookSecret,
      PORT: String(apiPort),
      HOST: apiHost,
    });
  } catch (error) {
    if (error instanceof ConfigError) throw new LauncherError(error.message);
    throw error;
  }

  const pidFile = path.join(dataDir, 'launcher.pid');
  const processesFile = path.join(dataDir, 'launcher.processes.json');
  if (acquireLock(pidFile)) await stopLeftovers(processesFile);
  const record = new ProcessRecord(processesFile);

  // --- shutdown machinery -----------------------------------------------------------------
  const stack = new ResourceStack(() => new RestartPolicy(restartLimit, restartWindowMs));
  let currentStep: Promise<unknown> = Promise.resolve();
  let shuttingDown = false;

  const finish = (exitCode: number) => {
    record.clear();
    releaseLock(pidFile);
    process.exit(exitCode);
  };

  const shutdown = async (exitCode: number, reason?: string): Promise<void> => {
    if (shuttingDown) return;
    shuttingDown = true;
    if (reason) (exitCode === 0 ? say : complain)(reason);
    // Whatever hangs, the launcher is gone before HARD_EXIT_MS, with nothing left running.
    setTimeout(() => {
      complain(`not stopped within ${seconds(HARD_EXIT_MS)}; killing what is left`);
      stack.killAll();
      finish(exitCode || 1);
    }, HARD_EXIT_MS).unref();
    // A start-up step under way is waited for briefly, so what it started gets stopped too.
    await Promise.race([currentStep.catch(() => undefined), new Promise((r) => setTimeout(r, 1_000))]);
    await stack.stopAll(STOP_BUDGET_MS - 1_000);
    say(exitCode === 0 ? 'stopped' : 'stopped after an error');
    finish(exitCode);
  };

  let firstSignalAt = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    if (!shuttingDown) {
      firstSignalAt = Date.now();
      void shutdown(0, `${signal} received; stopping everything (within ${seconds(HARD_EXIT_MS)})`);
      return;
    }
    // One Ctrl-C can arrive twice (from the terminal and forwarded by npm); only a later one forces.
    if (Date.now() - firstSignalAt < 1_000) return;
    complain(`${signal} received again; forcing exit`);
    stack.killAll();
    finish(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);

  const giveUp = (reason: string) => void shutdown(1, reason);
  const step = async <T>(work: () => Promise<T>): Promise<T> => {
    if (shuttingDown) throw new Aborted();
    const running = work();
    currentStep = running;
    const result = await running;
    if (shuttingDown) throw new Aborted();
    return result;
  };

  try {
    const pg = embeddedDatabase
      ? new EmbeddedPostgres({
          dataDir: path.join(dataDir, 'postgres'),
          port: pgPort,
          database: DATABASE_NAME,
          password: secrets.pgOwnerPassword,
        })
      : undefined;
    // PostgreSQL left running by a launcher that was killed: stop it, it is ours.
    if (pg && (await pg.isRunning())) {
      say('stopping the embedded PostgreSQL left running by a previous launcher');
      await pg.stop();
    }

    // --- ports, before anything starts ------------------------------------------------------
    const wanted: WantedPort[] = [{ port: apiPort, host: apiHost, what: 'API', variable: 'PORT' }];
    if (embeddedTemporal) {
      wanted.push({ port: temporalPort, host: '127.0.0.1', what: 'Temporal dev server', variable: 'TEMPORAL_PORT (or set TEMPORAL_ADDRESS to use an existing server)' });
      wanted.push({ port: temporalUiPort, host: '127.0.0.1', what: 'Temporal Web UI', variable: 'TEMPORAL_UI_PORT' });
    }
    if (embeddedDatabase) {
      wanted.push({ port: pgPort, host: '127.0.0.1', what: 'embedded PostgreSQL', variable: 'EMBEDDED_PG_PORT (or set DATABASE_URL to use an existing database)' });
    }
    if (embeddedMail) {
      wanted.push({ port: mailPort, host: '127.0.0.1', what: 'dev mailbox SMTP', variable: 'DEV_MAILBOX_PORT (or set SMTP_URL to use a real mail server)' });
    }
    await checkPorts(wanted);

    // --- PostgreSQL ------------------------------------------------------------------------
    let ownerUrl = process.env.MIGRATION_DATABASE_URL || (process.env.DATABASE_URL as string);
    if (pg) {
      const t = Date.now();
      await step(() =>
        stack.start(
          [
            serviceOf(
              'PostgreSQL',
              async () => {
                await pg.initialise();
                await pg.start();
              },
              async (graceMs) => {
                say('stopping PostgreSQL');
                await pg.stop(Math.max(1, Math.floor(graceMs / 1000)));
              },
              () => {
                const pid = pg.postmasterPid();
                if (pid) process.kill(pid, 'SIGQUIT'); // immediate shutdown; it finishes on its own
              },
            ),
          ],
          giveUp,
        ),
      );
      ownerUrl = pg.connectionString;
      say(`PostgreSQL ready on 127.0.0.1:${pgPort} (data ${pg.clusterDir}) in ${seconds(Date.now() - t)}`);
    } else {
      say('using the database at DATABASE_URL');
    }

    // --- dev mailbox -----------------------------------------------------------------------
    let smtpUrl = process.env.SMTP_URL as string;
    if (embeddedMail) {
      let close: () => Promise<void> = async () => undefined;
      await step(() =>
        stack.start(
          [
            serviceOf(
              'dev mailbox',
              async () => {
                const mailbox = await startDevMailbox({ dir: mailDir, port: mailPort, log: (line) => process.stdout.write(`[mail] ${line}\n`) });
                smtpUrl = mailbox.url;
                close = () => mailbox.close();
              },
              async (graceMs) => {
                await Promise.race([close(), new Promise((r) => setTimeout(r, graceMs))]);
              },
            ),
          ],
          giveUp,
        ),
      );
      say(`dev mailbox on ${smtpUrl}, messages saved under ${mailDir}`);
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
      const temporal: Service = {
        name: 'Temporal dev server',
        get pid() {
          return server.pid;
        },
        start: async () => {
          await server.start();
          if (server.pid) record.set({ name: 'Temporal dev server', pid: server.pid, marker: 'start-dev' });
        },
        stop: async (graceMs) => {
          say('stopping the Temporal dev server');
          await server.stop(graceMs);
        },
        kill: () => server.kill(),
        onExit: (listener) => server.onExit(listener),
      };
      const t = Date.now();
      await step(() => stack.start([temporal], giveUp));
      temporalAddress = server.address;
      say(`Temporal dev server ready on ${temporalAddress} (data ${path.join(dataDir, 'temporal.db')}, log ${path.join(dataDir, 'temporal.log')}) in ${seconds(Date.now() - t)}`);
    } else {
      say(`using Temporal at ${temporalAddress}`);
    }

    // --- schema, reference data, the application's role ---------------------------------------
    const tMigrate = Date.now();
    const summary = await step(() => migrateAndSeed(ownerUrl));
    const appUrl = pg ? await step(() => provisionAppRole(ownerUrl, secrets.pgAppPassword)) : (process.env.DATABASE_URL as string);
    say(
      `database migrated and seeded in ${seconds(Date.now() - tMigrate)}: ${summary.countries} countries, ` +
        `${summary.groups} country groups, ${summary.contacts} contacts, ${summary.slaPolicies} SLA policies`,
    );

    // --- worker and API, supervised ----------------------------------------------------------
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      PORT: String(apiPort),
      HOST: apiHost,
      DATABASE_URL: appUrl,
      MIGRATION_DATABASE_URL: '',
      TEMPORAL_ADDRESS: temporalAddress,
      TEMPORAL_NAMESPACE: namespace,
      SMTP_URL: smtpUrl,
      JWT_SECRET: jwtSecret,
      WEBHOOK_SIGNING_SECRET: webhookSecret,
      DATA_DIR: dataDir,
      // The console's "sign in as" list hands out tokens: only while the API listens on this machine.
      CONSOLE_DEV_PERSONAS: ['127.0.0.1', 'localhost', '::1'].includes(apiHost) ? 'true' : 'false',
    };
    const child = (name: 'worker' | 'api') => {
      const command = childCommand(name);
      return new NodeChild(name, command, childEnv, PROJECT_ROOT, (pid) =>
        record.set({ name, pid, marker: path.join('apps', name, path.basename(command.script)) }),
      );
    };
    await step(() => stack.start([child('worker'), child('api')], giveUp));

    const localHost = apiHost === '0.0.0.0' || apiHost === '::' ? '127.0.0.1' : apiHost;
    await step(() => waitForReady(`http://${localHost}:${apiPort}/health/ready`, READY_TIMEOUT_MS, () => shuttingDown));

    const defaultDataDir = path.resolve(PROJECT_ROOT, '.data');
    process.stdout.write(
      `${banner({
        startedAt,
        apiBase: `http://${localHost === '127.0.0.1' ? 'localhost' : localHost}:${apiPort}`,
        temporalUi: embeddedTemporal ? `http://localhost:${temporalUiPort}` : `not managed here (Temporal at ${temporalAddress})`,
        mail: embeddedMail ? `dev mailbox, one .eml per message in ${mailDir}` : 'sent through SMTP_URL',
        database: pg ? `embedded PostgreSQL on 127.0.0.1:${pgPort}, data in ${pg.clusterDir}` : `DATABASE_URL (${redact(appUrl)})`,
        dataDir,
        secretsFile,
        jwtFromEnv: Boolean(process.env.JWT_SECRET),
        jwksUrl: process.env.JWT_JWKS_URL,
        tokenEnv: dataDir === defaultDataDir ? '' : `DATA_DIR=${dataDir} `,
      })}\n`,
    );
    say(`restart policy: a crashed Temporal dev server, worker or API restarts with backoff; more than ${restartLimit} crashes of one within ${seconds(restartWindowMs)} stops everything`);
  } catch (error) {
    if (error instanceof Aborted) return;
    if (shuttingDown) return; // a failure caused by the shutdown itself (e.g. Temporal stopped mid-start)
    let message = (error as Error).message || String(error);
    if (embeddedDatabase && /password authentication failed/.test(message)) {
      // Clusters made before secrets were generated used a fixed password; their data is dev data.
      message += `; the embedded cluster predates ${path.join(dataDir, 'secrets.json')}: remove ${path.join(dataDir, 'postgres')} to recreate it`;
    }
    await shutdown(1, message);
  }
}

main().catch((error: Error) => {
  // Errors before the lock and the shutdown machinery exist (bad env, lock held).
  if (error instanceof LauncherError) complain(error.message);
  else complain(error.stack ?? String(error));
  process.exit(1);
});
