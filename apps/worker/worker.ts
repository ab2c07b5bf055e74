import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import type { PrismaClient } from '@prisma/client';
import { createActivities } from '../../activities';
import { createPrismaNotificationStore, Notifier } from '../../activities/notifications/notifier';
import { contactSigningSecrets } from '../../activities/notifications/signing-keys';
import { NotificationDispatcher } from '../../activities/notifications/outbox';
import type { AppConfig } from '../config/config';
import { workerDeploymentOptions } from './deployment';
import { createPrismaClient } from '../../prisma/client';

/** Deliveries the outbox dispatcher runs at once; it gets its own pool of this many + 1 (claims). */
const DISPATCH_CONCURRENCY = 4;

export interface WorkerDeps {
  config: AppConfig;
  connection: NativeConnection;
  prisma: PrismaClient;
  /** Overrides for tests (e.g. a task queue per test file). */
  options?: Partial<WorkerOptions>;
}

/** Pre-built bundle when running from dist/ (production start); sources otherwise (tests). */
function workflowSource(): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'> {
  const bundle = path.resolve(__dirname, '..', '..', 'workflow-bundle.js');
  if (fs.existsSync(bundle)) return { workflowBundle: { codePath: bundle } };
  return { workflowsPath: require.resolve('../../workflows') };
}

/**
 * Worker memory per cached workflow, measured by `npm run bench` (the worker's RSS growth with
 * its cache full of open support requests; README, Performance).
 */
export const CACHED_WORKFLOW_KB = 340;

/** The sticky cache's size: WORKER_MAX_CACHED_WORKFLOWS if set, else what WORKER_CACHE_MB holds. */
export function maxCachedWorkflows(config: Pick<AppConfig, 'WORKER_CACHE_MB' | 'WORKER_MAX_CACHED_WORKFLOWS'>): number {
  return config.WORKER_MAX_CACHED_WORKFLOWS ?? Math.floor((config.WORKER_CACHE_MB * 1024) / CACHED_WORKFLOW_KB);
}

/** The worker's own database pool (WORKER_DB_POOL). */
export function createWorkerPrisma(config: AppConfig): PrismaClient {
  return createPrismaClient(config.DATABASE_URL, config.WORKER_DB_POOL);
}

export async function createWorker({ config, connection, prisma, options }: WorkerDeps): Promise<{ worker: Worker; close(): Promise<void> }> {
  const notifierOn = (db: PrismaClient) =>
    new Notifier({
      store: createPrismaNotificationStore(db),
      smtpUrl: config.SMTP_URL,
      mailFrom: config.MAIL_FROM,
      // Each webhook is signed with its contact's own secret (kept encrypted under WEBHOOK_SIGNING_SECRET).
      webhookSecret: contactSigningSecrets(db, config.WEBHOOK_SIGNING_SECRET),
    });
  const notifier = notifierOn(prisma);
  // The dispatcher drains bursts (an invitation per country) on its own connections, so it never
  // starves the activities' pool (read-model projections stalled behind it under load).
  const dispatchPrisma = createPrismaClient(config.DATABASE_URL, DISPATCH_CONCURRENCY + 1);
  const dispatchNotifier = notifierOn(dispatchPrisma);
  // Activities that fan out (start or signal many workflows) use an ordinary client.
  const clientConnection = await Connection.connect({ address: config.TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    namespace: config.TEMPORAL_NAMESPACE,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    ...workflowSource(),
    activities: createActivities({
      prisma,
      notifier,
      temporal: new Client({ connection: clientConnection, namespace: config.TEMPORAL_NAMESPACE }),
      projectionBatch: config.WORKER_PROJECTION_BATCH,
    }),
    maxConcurrentActivityTaskExecutions: config.WORKER_MAX_CONCURRENT_ACTIVITIES,
    maxConcurrentWorkflowTaskExecutions: config.WORKER_MAX_CONCURRENT_WORKFLOW_TASKS,
    maxCachedWorkflows: maxCachedWorkflows(config),
    stickyQueueScheduleToStartTimeout: config.WORKER_STICKY_QUEUE_TIMEOUT_MS,
    workerDeploymentOptions: workerDeploymentOptions(config),
    // In-flight activities get this long to finish when the worker is asked to stop.
    shutdownGraceTime: '30s',
    ...options,
  });
  // Delivery runs beside the worker, never inside a workflow step (see activities/notifications/outbox.ts).
  const dispatcher = new NotificationDispatcher({
    prisma: dispatchPrisma,
    notifier: dispatchNotifier,
    concurrency: DISPATCH_CONCURRENCY,
    pollMs: config.NOTIFY_POLL_MS,
    initialBackoffMs: config.NOTIFY_RETRY_INITIAL_MS,
    maxBackoffMs: config.NOTIFY_RETRY_MAX_MS,
    leaseMs: config.NOTIFY_LEASE_MS,
    logger: console,
  });
  dispatcher.start();
  return {
    worker,
    close: async () => {
      await dispatcher.stop();
      notifier.close();
      dispatchNotifier.close();
      await dispatchPrisma.$disconnect();
      await clientConnection.close();
    },
  };
}
