import type { AdminHttp } from './fixtures';
import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { NativeConnection, Runtime, makeTelemetryFilterString, Worker } from '@temporalio/worker';
import type { PrismaClient } from '@prisma/client';
import type { DestinationStream } from 'pino';
import { createApiApp, openApiDocument } from '../../apps/api/bootstrap';
import { MintOptions, mintToken, tokenClaimsFor } from '../../apps/api/auth/tokens';
import type { Principal } from '../../apps/api/auth/principal';
import { AppConfig, loadConfig } from '../../apps/config/config';
import { createWorker } from '../../apps/worker/worker';
import { createPrismaClient } from '../../prisma/client';
import { responseChecker } from './openapi-schema';
import { testInfra } from '../setup/test-infra';

let runtimeInstalled = false;

export interface Stack {
  config: AppConfig;
  baseUrl: string;
  prisma: PrismaClient;
  app: INestApplication;
  token(principal: Principal, options?: MintOptions): Promise<string>;
  http<T = any>(method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: T; headers: Headers }>;
  /** Stops the worker only: the API keeps serving, and no workflow task can run any more. */
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

export function testConfig(overrides: Record<string, string> = {}): AppConfig {
  const infra = testInfra();
  return loadConfig({
    DATABASE_URL: infra.databaseUrl,
    TEMPORAL_ADDRESS: infra.temporalAddress,
    TEMPORAL_TASK_QUEUE: `test-${randomUUID()}`,
    JWT_SECRET: infra.jwtSecret,
    WEBHOOK_SIGNING_SECRET: infra.webhookSecret,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '100000',
    ...overrides,
  });
}

/** The real API over HTTP on an ephemeral port, plus (optionally) a worker on its own task queue. */
/**
 * `checkResponses`: every answer `http` gets is checked against the OpenAPI document (status
 * documented, body matching its schema); a mismatch throws, naming the route and the field.
 */
export async function startStack(options: { worker?: boolean; env?: Record<string, string>; logStream?: DestinationStream; checkResponses?: boolean } = {}): Promise<Stack> {
  const config = testConfig(options.env);
  if (!runtimeInstalled) {
    runtimeInstalled = true;
    try {
      Runtime.install({ telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
    } catch {
      // already installed by another file in this process
    }
  }
  const app = await createApiApp(config, { logStream: options.logStream });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  const baseUrl = `http://127.0.0.1:${port}`;
  const conforms = options.checkResponses ? responseChecker(openApiDocument(app) as unknown as Parameters<typeof responseChecker>[0]) : undefined;
  const prisma = createPrismaClient(config.DATABASE_URL, 5);

  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let closeWorker: () => Promise<void> = async () => undefined;
  let connection: NativeConnection | undefined;
  if (options.worker !== false) {
    connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
    const created = await createWorker({ config, connection, prisma, options: { shutdownGraceTime: '2s' } });
    worker = created.worker;
    closeWorker = created.close;
    running = worker.run();
  }

  return {
    config,
    baseUrl,
    prisma,
    app,
    token: (principal, options) => mintToken(principal, config.JWT_SECRET, { ...tokenClaimsFor(config), ...options }),
    async http(method, path, { token, body, headers } = {}) {
      const response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...headers,
        },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON
      }
      const problems = conforms?.(method, path, response.status, response.headers.get('content-type'), parsed) ?? [];
      if (problems.length) throw new Error(`the answer does not match the OpenAPI document:\n${problems.join('\n')}`);
      return { status: response.status, body: parsed as any, headers: response.headers };
    },
    async stopWorker() {
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await running;
    },
    async stop() {
      await app.close();
      if (worker && worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await closeWorker();
      await connection?.close();
      await prisma.$disconnect();
    },
  };
}

export const MEMBER_PH: Principal = { sub: 'officer@nrp.ph', role: 'member', country: 'PH' };
export const MEMBER_BR: Principal = { sub: 'officer@nrp.br', role: 'member', country: 'BR' };
export const COORDINATOR_EURASIA: Principal = { sub: 'dco.eurasia@cyberops.test', role: 'coordinator', region: 'EURASIA' };
export const COORDINATOR_AMERICAS: Principal = { sub: 'dco.americas@cyberops.test', role: 'coordinator', region: 'AMERICAS' };
export const ANALYST: Principal = { sub: 'analyst@cyberops.test', role: 'analyst' };
export const SUPERVISOR: Principal = { sub: 'head@cyberops.test', role: 'supervisor' };
export const ADMIN: Principal = { sub: 'admin@cyberops.test', role: 'admin' };

/** The stack's `http` as an admin, for the fixtures in ./fixtures.ts. */
export const adminHttp = (stack: Stack): AdminHttp => async (method, path, body) => stack.http(method, path, { token: await stack.token(ADMIN), body });
