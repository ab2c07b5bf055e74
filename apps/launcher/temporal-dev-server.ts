import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/common/search-attributes';

export interface TemporalDevServerOptions {
  port: number;
  uiPort?: number;
  namespace: string;
  /** SQLite file for persistence; omitted = in memory (tests). */
  dbFile?: string;
  logFile?: string;
}

/**
 * Where the Temporal CLI (which contains the dev server) comes from, in this order:
 * TEMPORAL_CLI_PATH, `temporal` on PATH, the copy `npm run setup` puts under .tools/.
 * Null means: let the SDK download it.
 */
export function resolveTemporalCli(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TEMPORAL_CLI_PATH) {
    if (!fs.existsSync(env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} does not exist`);
    }
    return env.TEMPORAL_CLI_PATH;
  }
  const onPath = spawnSync('sh', ['-c', 'command -v temporal'], { encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return onPath.stdout.trim();
  const projectCopy = path.resolve(__dirname, '..', '..', '..', '.tools', 'bin', 'temporal');
  const sourceCopy = path.resolve(__dirname, '..', '..', '.tools', 'bin', 'temporal');
  for (const candidate of [projectCopy, sourceCopy]) if (fs.existsSync(candidate)) return candidate;
  return null;
}

/** Runs `npm run setup`'s script once if no CLI is found, so a fresh clone needs nothing by hand. */
export function ensureTemporalCli(): string | null {
  const found = resolveTemporalCli();
  if (found) return found;
  const root = fs.existsSync(path.resolve(__dirname, '..', '..', 'scripts'))
    ? path.resolve(__dirname, '..', '..')
    : path.resolve(__dirname, '..', '..', '..');
  spawnSync('bash', [path.join(root, 'scripts', 'setup.sh')], { stdio: 'inherit' });
  return resolveTemporalCli();
}

export class TemporalDevServer {
  private child?: ChildProcess;
  private sdkServer?: { teardown(): Promise<void> };
  private exitListener?: (reason: string) => void;

  constructor(private readonly options: TemporalDevServerOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get address(): string {
    return `127.0.0.1:${this.options.port}`;
  }

  /** Told when the server process exits (whoever stopped it). Not available with the SDK download. */
  onExit(listener: (reason: string) => void): void {
    this.exitListener = listener;
  }

  /** Starts the server (again, after a crash: same port and same SQLite file); resolves when it answers. */
  async start(): Promise<void> {
    const cli = ensureTemporalCli();
    if (!cli) {
      await this.startWithSdkDownload();
      return;
    }
    const o = this.options;
    const args = [
      'server', 'start-dev',
      '--ip', '127.0.0.1',
      '--port', String(o.port),
      '--namespace', o.namespace,
      '--log-level', 'warn',
      ...(o.uiPort ? ['--ui-port', String(o.uiPort)] : ['--headless']),
      ...(o.dbFile
        ? ['--db-filename', o.dbFile, '--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal']
        : []),
      ...ALL_SEARCH_ATTRIBUTES.flatMap((key) => ['--search-attribute', `${key.name}=Keyword`]),
      // Listing by search attributes right after a write is what the API and tests do.
      '--dynamic-config-value', 'system.forceSearchAttributesCacheRefreshOnRead=true',
    ];
    const log = o.logFile ? fs.openSync(o.logFile, 'a') : 'ignore';
    // Own process group: a terminal Ctrl-C reaches the launcher only, which stops the
    // worker first and the server after it has drained.
    const child = spawn(cli, args, { stdio: ['ignore', log, log], detached: true });
    this.child = child;
    if (typeof log === 'number') fs.closeSync(log);
    const exited = new Promise<never>((_, reject) =>
      child.once('exit', (code, signal) => {
        const reason = signal ? `signal ${signal}` : `code ${code}`;
        this.exitListener?.(reason);
        reject(new Error(`Temporal dev server exited (${reason})${o.logFile ? `; see ${o.logFile}` : ''}`));
      }),
    );
    exited.catch(() => undefined);
    await Promise.race([waitForTemporal(this.address, 60_000), exited]);
  }

  private async startWithSdkDownload(): Promise<void> {
    // Ordinary machines with internet: the SDK fetches the same dev server.
    const { TestWorkflowEnvironment } = await import('@temporalio/testing');
    const o = this.options;
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        ip: '127.0.0.1',
        port: o.port,
        uiPort: o.uiPort,
        ui: Boolean(o.uiPort),
        namespace: o.namespace,
        dbFilename: o.dbFile,
        searchAttributes: ALL_SEARCH_ATTRIBUTES,
      },
    });
    this.sdkServer = env;
  }

  /** SIGTERM, then SIGKILL after `graceMs`; returns at once when it already exited (crashed or killed). */
  async stop(graceMs = 10_000): Promise<void> {
    if (this.sdkServer) await this.sdkServer.teardown();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  /** SIGKILL now (a forced exit, a fault test). */
  kill(): void {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}

export async function waitForTemporal(address: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  throw new Error(`Temporal at ${address} did not become ready: ${String(lastError)}`);
}

export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, host, () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
