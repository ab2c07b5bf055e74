import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { mintToken } from '../../../apps/api/auth/tokens';
import type { Principal } from '../../../apps/api/auth/principal';
import { PROJECT_ROOT } from '../../../apps/launcher/migrate';
import { freePort } from '../../../apps/launcher/temporal-dev-server';
import { currentBuildId } from '../../../apps/worker/deployment';
import type { TopologyInfra } from './infra';
import { ManagedProcess, waitUntil } from './processes';

export interface FleetOptions {
  apis: number;
  workers: number;
  /** Extra environment for every process (SMTP_URL of a sink, pool sizes...). */
  env?: Record<string, string>;
  /** Node options before the script of every process (the bench's profiler: `--cpu-prof`). */
  nodeArgs?: string[];
  /** Worker versioning: the workers poll as <deployment>.<buildId> and the first build promotes itself. */
  buildId?: string;
}

export interface ApiProcess {
  process: ManagedProcess;
  url: string;
}

export interface WorkerProcess {
  process: ManagedProcess;
  metricsUrl: string;
}

export interface HttpResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/** What a fleet needs of its infrastructure: the production topology's, or the bench's embedded one. */
export type FleetInfra = Pick<TopologyInfra, 'runDir' | 'databaseUrl' | 'namespace'> & { temporal: Pick<TopologyInfra['temporal'], 'address'> };

const DIST_API = path.join(PROJECT_ROOT, 'dist', 'apps', 'api', 'main.js');
const DIST_WORKER = path.join(PROJECT_ROOT, 'dist', 'apps', 'worker', 'main.js');

/**
 * API and worker processes of the built project (`npm run build`), as `npm run start:api` and
 * `npm run start:worker` run them, against the topology's Temporal server and PostgreSQL. Each
 * fleet has its own task queue and secrets, so test files do not see each other's workflows.
 */
export class Fleet {
  readonly apis: ApiProcess[] = [];
  readonly workers: WorkerProcess[] = [];
  readonly taskQueue = `topology-${randomUUID().slice(0, 8)}`;
  readonly deploymentName = `cyberops-${this.taskQueue}`;
  readonly jwtSecret = randomBytes(32).toString('hex');
  private readonly webhookSecret = randomBytes(32).toString('hex');
  private readonly connection: Promise<Connection>;

  private constructor(
    readonly infra: FleetInfra,
    private readonly options: FleetOptions,
  ) {
    this.connection = Connection.connect({ address: infra.temporal.address });
  }

  static async start(infra: FleetInfra, options: FleetOptions): Promise<Fleet> {
    for (const file of [DIST_API, DIST_WORKER]) {
      if (!fs.existsSync(file)) throw new Error(`${file} is missing: run npm run build first (npm run test:topology does)`);
    }
    const fleet = new Fleet(infra, options);
    const workers = await Promise.all(Array.from({ length: options.workers }, (_, i) => fleet.spawnWorker(i + 1)));
    fleet.workers.push(...workers);
    const apis = await Promise.all(Array.from({ length: options.apis }, (_, i) => fleet.spawnApi(i + 1)));
    fleet.apis.push(...apis);
    await Promise.all([...fleet.workers.map((w) => fleet.waitWorker(w)), ...fleet.apis.map((a) => fleet.waitApi(a))]);
    if (options.buildId) {
      await waitUntil('the first build becomes current', async () => ((await fleet.currentBuildId()) === options.buildId ? true : undefined), 60_000);
    }
    return fleet;
  }

  /** What the processes read (apps/config/config.ts), as an operator would set it. */
  get env(): Record<string, string> {
    return {
      NODE_ENV: 'production',
      DATABASE_URL: this.infra.databaseUrl,
      TEMPORAL_ADDRESS: this.infra.temporal.address,
      TEMPORAL_NAMESPACE: this.infra.namespace,
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      JWT_SECRET: this.jwtSecret,
      WEBHOOK_SIGNING_SECRET: this.webhookSecret,
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '1000000',
      // Launching or aborting every member country waits for its fan-out, longer than the default
      // update wait under load (then 202); these tests are about the topology, the wait has its own test.
      UPDATE_TIMEOUT_MS: '120000',
      // 2 workers x pool + 2 APIs x 20 + Temporal stay under the cluster's 200 connections.
      WORKER_MAX_CONCURRENT_ACTIVITIES: '20',
      ...(this.options.buildId ? { WORKER_BUILD_ID: this.options.buildId, WORKER_DEPLOYMENT_NAME: this.deploymentName } : {}),
      ...this.options.env,
    };
  }

  token(principal: Principal): Promise<string> {
    return mintToken(principal, this.jwtSecret);
  }

  /** A request to API number `i` (0-based, wrapping), so callers can alternate between replicas. */
  async http<T = any>(i: number, method: string, route: string, options: { token?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<HttpResult<T>> {
    const api = this.apis[i % this.apis.length];
    const response = await fetch(`${api.url}${route}`, {
      method,
      headers: {
        ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON (metrics)
    }
    return { status: response.status, body: body as T, headers: response.headers };
  }

  async currentBuildId(): Promise<string | null> {
    return currentBuildId(await this.connection, this.infra.namespace, this.deploymentName);
  }

  /** Worker identities polling the fleet's task queue right now (workflow tasks). */
  async pollers(): Promise<string[]> {
    const connection = await this.connection;
    const response = await connection.workflowService.describeTaskQueue({
      namespace: this.infra.namespace,
      taskQueue: { name: this.taskQueue, kind: 1 },
      taskQueueType: 1,
    });
    return (response.pollers ?? []).map((p) => p.identity ?? '');
  }

  /** Starts worker `n` again after a kill, with the same environment. */
  async restartWorker(index: number): Promise<void> {
    const worker = this.workers[index];
    if (worker.process.running) await worker.process.stop();
    worker.process.start();
    await this.waitWorker(worker);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.apis, ...this.workers].map((p) => p.process.stop()));
    await (await this.connection).close();
  }

  private async spawnApi(n: number): Promise<ApiProcess> {
    const port = await freePort();
    const process = new ManagedProcess({
      name: `api-${n}`,
      command: globalThis.process.execPath,
      args: [...(this.options.nodeArgs ?? []), DIST_API],
      cwd: PROJECT_ROOT,
      logFile: path.join(this.infra.runDir, `${this.taskQueue}-api-${n}.log`),
      env: { ...this.env, PORT: String(port), HOST: '127.0.0.1' },
    }).start();
    return { process, url: `http://127.0.0.1:${port}` };
  }

  private async spawnWorker(n: number): Promise<WorkerProcess> {
    const metricsPort = await freePort();
    const process = new ManagedProcess({
      name: `worker-${n}`,
      command: globalThis.process.execPath,
      args: [...(this.options.nodeArgs ?? []), DIST_WORKER],
      cwd: PROJECT_ROOT,
      logFile: path.join(this.infra.runDir, `${this.taskQueue}-worker-${n}.log`),
      env: { ...this.env, WORKER_METRICS_ADDRESS: `127.0.0.1:${metricsPort}` },
    }).start();
    return { process, metricsUrl: `http://127.0.0.1:${metricsPort}/metrics` };
  }

  private async waitApi(api: ApiProcess): Promise<void> {
    await waitUntil(
      `${api.process.spec.name} ready`,
      async () => {
        this.assertRunning(api.process);
        const res = await fetch(`${api.url}/health/ready`).catch(() => undefined);
        return res?.ok ? true : undefined;
      },
      90_000,
      250,
    );
  }

  /** Ready = its Prometheus endpoint answers and its pid polls the task queue. */
  private async waitWorker(worker: WorkerProcess): Promise<void> {
    await waitUntil(
      `${worker.process.spec.name} polling`,
      async () => {
        this.assertRunning(worker.process);
        const res = await fetch(worker.metricsUrl).catch(() => undefined);
        if (!res?.ok) return undefined;
        const pollers = await this.pollers();
        return pollers.some((identity) => identity.startsWith(`${worker.process.pid}@`)) ? true : undefined;
      },
      90_000,
      250,
    );
  }

  private assertRunning(process: ManagedProcess): void {
    if (!process.running) throw new FatalError(`${process.spec.name} exited:\n${process.tail()}`);
  }
}

/** Stops waitUntil at once: a process that exited will not become ready. */
class FatalError extends Error {
  readonly fatal = true;
}
