import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { createWorker } from '../../apps/worker/worker';
import { getSnapshotQuery } from '../../workflows/support-request/support-request.messages';
import { COORDINATOR_EURASIA, MEMBER_PH, Stack, startStack } from '../support/harness';

// An update has a deadline: with the worker down the API answers 503 with Retry-After after
// UPDATE_TIMEOUT_MS, and the change is not applied behind the caller's back once it returns.

const UPDATE_TIMEOUT_MS = 2_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('lifecycle updates while the worker is down', () => {
  let stack: Stack;
  let connection: NativeConnection;
  let current: { worker: Worker; running: Promise<void>; close(): Promise<void> } | undefined;

  async function startWorker() {
    const created = await createWorker({ config: stack.config, connection, prisma: stack.prisma, options: { shutdownGraceTime: '1s' } });
    current = { worker: created.worker, running: created.worker.run(), close: created.close };
  }
  async function stopWorker() {
    if (!current) return;
    current.worker.shutdown();
    await current.running;
    await current.close();
    current = undefined;
  }

  beforeAll(async () => {
    stack = await startStack({ worker: false, env: { UPDATE_TIMEOUT_MS: String(UPDATE_TIMEOUT_MS) } });
    connection = await NativeConnection.connect({ address: stack.config.TEMPORAL_ADDRESS });
    await startWorker();
  });
  afterAll(async () => {
    await stopWorker();
    await connection?.close();
    await stack?.stop();
  });

  it('answers 503 with Retry-After within the bound and never applies the change later', async () => {
    const member = await stack.token(MEMBER_PH);
    const coordinator = await stack.token(COORDINATOR_EURASIA);
    const submitted = await stack.http('POST', '/api/v1/support-requests', {
      token: member,
      body: { category: 'malware', mode: 'remote', priority: 'P3', title: 'Deadline', description: 'worker stops', indicators: [] },
    });
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as string;

    await stopWorker();
    const started = Date.now();
    const refused = await stack.http('POST', `/api/v1/support-requests/${id}/triage`, { token: coordinator, body: { decision: 'accept' } });
    const took = Date.now() - started;
    expect(refused.status).toBe(503);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.body.message).toMatch(/not applied/);
    expect(took).toBeGreaterThanOrEqual(UPDATE_TIMEOUT_MS);
    expect(took).toBeLessThan(UPDATE_TIMEOUT_MS + 3_000);

    // The worker comes back: the queued change is refused by its validator, not applied.
    await startWorker();
    const temporal = new Client({ connection: await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS }) });
    try {
      // Give the worker time to take every pending task (a stopped worker's sticky queue times out first).
      await sleep(Math.max(0, started + 12_000 - Date.now()));
      const { status } = await temporal.workflow.getHandle(`support-request/${id}`).query(getSnapshotQuery);
      expect(status).toBe('submitted');
    } finally {
      await temporal.connection.close();
    }
    const history = await stack.http('GET', `/api/v1/support-requests/${id}/history`, { token: member });
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual(['support_request.submit']);

    // A fresh attempt goes through, and the trail shows only it.
    const retried = await stack.http('POST', `/api/v1/support-requests/${id}/triage`, { token: coordinator, body: { decision: 'reject', reason: 'out of scope' } });
    expect(retried.status).toBe(200);
    expect(retried.body.status).toBe('rejected');
    const after = await stack.http('GET', `/api/v1/support-requests/${id}/history`, { token: member });
    expect(after.body.items.map((e: { action: string }) => e.action)).toEqual(['support_request.submit', 'support_request.triage.reject']);
  });
});
