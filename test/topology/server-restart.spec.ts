import { Client, Connection } from '@temporalio/client';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { Fleet } from './support/fleet';
import { loadInfra, restartTemporal } from './support/infra';
import { isAlive, waitUntil } from './support/processes';
import {
  confirmReadiness,
  COORDINATOR,
  COUNTRIES,
  createGlobalOperation,
  MEMBER_PH,
  submission,
  SUPERVISOR,
  waitOperation,
  withPolicy,
} from './support/scenario';
import { openSse, SseStream } from './support/sse';

describe('the Temporal server process restarted mid-run', () => {
  const infra = loadInfra();
  let fleet: Fleet;
  let smtp: SmtpSink;
  let stream: SseStream | undefined;
  let restorePolicy: () => Promise<void>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    fleet = await Fleet.start(infra, { apis: 2, workers: 2, env: { SMTP_URL: smtp.url }, buildId: 'restart-1' });
    restorePolicy = await withPolicy(fleet, 'P1', {
      triage: '20s', firstResponse: '1h', resolution: '1d', acknowledge: '1h', warnAt: 0.5, escalationStep: '2s', escalationLoops: 1, ackExpiry: '1h',
    });
  });

  afterAll(async () => {
    await stream?.close();
    await restorePolicy?.();
    await fleet?.stop();
    await smtp?.close();
  });

  it('answers 503 while it is down, then every workflow, timer and process resumes without a restart of its own', async () => {
    const [member, coordinator, supervisor] = await Promise.all([MEMBER_PH, COORDINATOR, SUPERVISOR].map((p) => fleet.token(p)));
    stream = await openSse(`${fleet.apis[0].url}/api/v1/alerts/stream`, supervisor);

    // Mid-run: a request whose SLA timers are pending, an operation half confirmed.
    const submitted = await fleet.http(0, 'POST', '/api/v1/support-requests', { token: member, body: submission('Survives a server restart') });
    expect(submitted.status).toBe(201);
    const requestId = submitted.body.id as string;
    const operationId = await createGlobalOperation(fleet, 1, 'Restart surge', { readinessIn: 600, actionIn: 600, actionEndIn: 900, debriefIn: 1200 });
    expect((await fleet.http(0, 'POST', `/api/v1/operations/${operationId}/launch`, { token: coordinator })).status).toBe(200);
    await waitOperation(fleet, 1, operationId, (o) => o.countries.length === COUNTRIES.length, 60_000);

    // The server is killed and stays away for 40 s; the APIs say so (503) instead of failing.
    const oldPid = infra.temporal.pid;
    const downMs = 40_000;
    const killedAt = Date.now();
    const restart = restartTemporal(infra, 'SIGKILL', downMs);
    await waitUntil('server gone', async () => (isAlive(oldPid) ? undefined : true), 10_000, 50);
    const ready = await fleet.http(0, 'GET', '/health/ready');
    expect(ready.status).toBe(503);
    const refused = await fleet.http(1, 'POST', `/api/v1/support-requests/${requestId}/triage`, { token: coordinator, body: { decision: 'accept' } });
    const answeredAfterMs = Date.now() - killedAt;
    process.stdout.write(`server down: update answered ${refused.status} after ${answeredAfterMs} ms (retry-after ${refused.headers.get('retry-after')})\n`);
    expect(answeredAfterMs).toBeLessThan(downMs);
    expect({ status: refused.status, retryAfter: refused.headers.get('retry-after') !== null }).toEqual({ status: 503, retryAfter: true });
    const startMs = await restart;

    // Everything resumes: the same API and worker processes, readiness through both APIs, timers that fired.
    for (const api of fleet.apis) {
      await waitUntil('API ready again', async () => ((await fetch(`${api.url}/health/ready`)).ok ? true : undefined), 60_000, 500);
    }
    expect(fleet.workers.every((w) => w.process.running) && fleet.apis.every((a) => a.process.running)).toBe(true);
    await waitUntil('both workers polling again', async () => {
      const pollers = await fleet.pollers();
      return fleet.workers.every((w) => pollers.some((p) => p.startsWith(`${w.process.pid}@`))) ? true : undefined;
    }, 120_000, 1_000);
    await confirmReadiness(fleet, operationId);
    const totals = (await waitOperation(fleet, 0, operationId, (o) => o.totals.ready === COUNTRIES.length, 90_000)).totals;
    expect(totals).toMatchObject({ invited: COUNTRIES.length, ready: COUNTRIES.length });

    const alerts = () => stream!.events.filter((e) => e.data.objectId === requestId);
    await waitUntil('the SLA timers fired across the restart', async () =>
      alerts().some((e) => e.data.kind === 'sla_breach') && alerts().some((e) => e.data.kind === 'sla_warning') ? true : undefined, 90_000);
    for (const [i, [change, body]] of ([
      ['triage', { decision: 'accept' }],
      ['assign', { assignee: 'officer.manila@cyberops.test' }],
      ['resolve', { summary: 'Done after the restart' }],
    ] as const).entries()) {
      const res = await fleet.http(i, 'POST', `/api/v1/support-requests/${requestId}/${change}`, { token: coordinator, body });
      expect({ change, status: res.status }).toEqual({ change, status: 200 });
    }
    expect((await fleet.http(0, 'POST', `/api/v1/support-requests/${requestId}/close`, { token: member, body: {} })).status).toBe(200);
    expect((await fleet.http(1, 'POST', `/api/v1/operations/${operationId}/abort`, { token: coordinator, body: { reason: 'restart test done' } })).status).toBe(200);

    const connection = await Connection.connect({ address: infra.temporal.address });
    try {
      const client = new Client({ connection, namespace: infra.namespace });
      await waitUntil('every workflow closed', async () => {
        const open = await client.workflow.count(`(CyberOperation = '${operationId}' OR WorkflowId = 'support-request/${requestId}' OR WorkflowId = 'operation/${operationId}') AND ExecutionStatus = 'Running'`);
        return open.count === 0 ? true : undefined;
      }, 120_000, 1_000);
    } finally {
      await connection.close();
    }
    const keys = smtp.messages.map((m) => /X-Idempotency-Key: (.*)/i.exec(m.data)?.[1]?.trim());
    expect(new Set(keys).size).toBe(keys.length);
    process.stdout.write(`server restart: ${infra.shards} shards, frontend answering ${startMs} ms after the new process started\n`);
  });
});
