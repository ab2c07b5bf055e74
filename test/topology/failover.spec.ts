import { Client, Connection } from '@temporalio/client';
import type { PrismaClient } from '@prisma/client';
import { createPrismaClient } from '../../prisma/client';
import { verifyWebhookSignature } from '../../activities/notifications/notifier';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startWebhookSink, WebhookSink } from '../support/webhook-sink';
import { Fleet } from './support/fleet';
import { loadInfra } from './support/infra';
import { sleep, waitUntil } from './support/processes';
import {
  confirmReadiness,
  COORDINATOR,
  COUNTRIES,
  createGlobalOperation,
  fleetAdmin,
  MEMBER_PH,
  submission,
  SUPERVISOR,
  waitOperation,
  withPolicy,
} from './support/scenario';
import { openSse, SseStream } from './support/sse';
import { phPrimaryToWebhook } from '../support/fixtures';

describe('a worker SIGKILLed in the middle of a surge and of an SLA escalation', () => {
  const infra = loadInfra();
  let fleet: Fleet;
  let smtp: SmtpSink;
  let webhook: WebhookSink;
  let prisma: PrismaClient;
  let connection: Connection;
  let client: Client;
  let stream: SseStream | undefined;
  let restorePolicy: () => Promise<void>;
  let phSecret: string;
  let restoreContact: () => Promise<void>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    webhook = await startWebhookSink();
    fleet = await Fleet.start(infra, { apis: 2, workers: 2, env: { SMTP_URL: smtp.url } });
    prisma = createPrismaClient(infra.ownerUrl, 2);
    // PH's primary contact gets status changes by signed webhook (its own secret), the rest by e-mail.
    const routed = await phPrimaryToWebhook(prisma, fleetAdmin(fleet), `${webhook.url}/nrp/ph`);
    phSecret = routed.secret;
    restoreContact = routed.restore;
    restorePolicy = await withPolicy(fleet, 'P1', {
      triage: '8s', firstResponse: '1h', resolution: '1d', acknowledge: '1h', warnAt: 0.25, escalationStep: '2s', escalationLoops: 3, ackExpiry: '1h',
    });
    connection = await Connection.connect({ address: infra.temporal.address });
    client = new Client({ connection, namespace: infra.namespace });
  });

  afterAll(async () => {
    await stream?.close();
    await restorePolicy?.();
    await restoreContact?.();
    await prisma?.$disconnect();
    await connection?.close();
    await fleet?.stop();
    await smtp?.close();
    await webhook?.close();
  });

  it('the other worker takes over, every workflow completes, nothing is notified twice, and the restarted worker rejoins', async () => {
    const [member, coordinator, supervisor] = await Promise.all([MEMBER_PH, COORDINATOR, SUPERVISOR].map((p) => fleet.token(p)));
    stream = await openSse(`${fleet.apis[1].url}/api/v1/alerts/stream`, supervisor);

    // An SLA escalation under way: the warning is out, the breach and its ladder are still to come.
    const submitted = await fleet.http(0, 'POST', '/api/v1/support-requests', { token: member, body: submission('Failover escalation') });
    expect(submitted.status).toBe(201);
    const requestId = submitted.body.id as string;
    const alerts = () => stream!.events.filter((e) => e.data.objectId === requestId);
    await waitUntil('SLA warning', async () => (alerts().some((e) => e.data.kind === 'sla_warning') ? true : undefined), 30_000);

    // A surge under way: the launch fans out every country's workflow from an activity.
    const operationId = await createGlobalOperation(fleet, 1, 'Failover surge', { readinessIn: 600, actionIn: 600, actionEndIn: 900, debriefIn: 1200 });
    const launch = fleet.http(0, 'POST', `/api/v1/operations/${operationId}/launch`, { token: coordinator });
    const runningFanOut = await waitUntil(
      'the fan-out activity running on a worker',
      async () => {
        const { raw } = await client.workflow.getHandle(`operation/${operationId}`).describe();
        return raw.pendingActivities?.find((a) => a.lastWorkerIdentity && a.lastStartedTime)?.lastWorkerIdentity ?? undefined;
      },
      30_000,
      50,
    );
    const victim = fleet.workers.findIndex((w) => runningFanOut.startsWith(`${w.process.pid}@`));
    expect(victim).toBeGreaterThanOrEqual(0);
    // Let the first countries start (visibility lags a little), then kill it mid-launch.
    const seenAt = Date.now();
    await waitUntil('first countries started', async () => ((await countChildren(client, operationId)) > 0 || Date.now() - seenAt > 3_000 ? true : undefined), 10_000, 50);
    await fleet.workers[victim].process.kill();
    const startedBeforeKill = await countChildren(client, operationId);
    expect(startedBeforeKill).toBeLessThan(COUNTRIES.length);
    const killedAt = Date.now();
    expect(alerts().some((e) => e.data.kind === 'sla_breach' && e.data.levelName === 'supervisor')).toBe(false);

    // The other worker finishes the fan-out (the activity is retried once its start-to-close timeout lapses).
    expect((await launch).status).toBe(200);
    const takeoverMs = Date.now() - killedAt;
    expect(await countChildren(client, operationId)).toBe(COUNTRIES.length);
    await confirmReadiness(fleet, operationId);
    const ready = await waitOperation(fleet, 1, operationId, (o) => o.totals.ready === COUNTRIES.length, 90_000);
    expect(ready.totals).toMatchObject({ invited: COUNTRIES.length, ready: COUNTRIES.length });

    // The escalation went on without the killed worker: breach, ladder up to the supervisor.
    await waitUntil('breach escalated to the supervisor', async () =>
      alerts().some((e) => e.data.kind === 'sla_breach' && e.data.levelName === 'supervisor') ? true : undefined, 90_000);
    const breach = alerts().find((e) => e.data.kind === 'sla_breach')!.data;
    expect((await fleet.http(0, 'POST', `/api/v1/alerts/${breach.id}/ack`, { token: supervisor })).status).toBe(200);

    // The killed worker comes back and joins; then the survivor leaves, so the next steps need the returner.
    await fleet.restartWorker(victim);
    const survivor = 1 - victim;
    expect(await fleet.pollers()).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${fleet.workers[victim].process.pid}@`))]));
    await fleet.workers[survivor].process.stop();

    // Every workflow completes.
    for (const [i, [change, body]] of ([
      ['triage', { decision: 'accept' }],
      ['assign', { assignee: 'officer.manila@cyberops.test' }],
      ['resolve', { summary: 'Handled despite the lost worker' }],
    ] as const).entries()) {
      const res = await fleet.http(i, 'POST', `/api/v1/support-requests/${requestId}/${change}`, { token: coordinator, body });
      expect({ change, status: res.status }).toEqual({ change, status: 200 });
    }
    expect((await fleet.http(1, 'POST', `/api/v1/support-requests/${requestId}/close`, { token: member, body: {} })).status).toBe(200);
    expect((await fleet.http(0, 'POST', `/api/v1/operations/${operationId}/abort`, { token: coordinator, body: { reason: 'failover test done' } })).status).toBe(200);
    await waitUntil('every workflow closed', async () => {
      const open = await client.workflow.count(`(CyberOperation = '${operationId}' OR WorkflowId = 'support-request/${requestId}' OR WorkflowId = 'operation/${operationId}') AND ExecutionStatus = 'Running'`);
      return open.count === 0 ? true : undefined;
    }, 120_000, 1_000);
    const failed = await client.workflow.count(`CyberOperation = '${operationId}' AND ExecutionStatus != 'Completed'`);
    expect(failed.count).toBe(0);
    expect((await client.workflow.getHandle(`support-request/${requestId}`).describe()).status.name).toBe('COMPLETED');

    // No notification twice: each idempotency key reached its receiver once.
    await sleep(2_000);
    const mailKeys = smtp.messages.map((m) => /X-Idempotency-Key: (.*)/i.exec(m.data)?.[1]?.trim());
    expect(mailKeys.length).toBeGreaterThan(COUNTRIES.length); // invitations plus pages and status mail
    expect(new Set(mailKeys).size).toBe(mailKeys.length);
    const delivered = webhook.requests.filter((r) => r.status === 200);
    const hookKeys = delivered.map((r) => String(r.headers['idempotency-key']));
    expect(hookKeys.length).toBeGreaterThan(0);
    expect(new Set(hookKeys).size).toBe(hookKeys.length);
    for (const r of delivered) {
      expect(verifyWebhookSignature(phSecret, String(r.headers['x-cyberops-timestamp']), r.rawBody, String(r.headers['x-cyberops-signature']))).toBe(true);
    }

    process.stdout.write(
      `failover: killed ${fleet.workers[victim].process.spec.name} with ${startedBeforeKill}/${COUNTRIES.length} countries started; ` +
        `launch finished ${takeoverMs} ms after the kill; ${mailKeys.length} mails and ${hookKeys.length} webhooks, no duplicate\n`,
    );
  });
});

async function countChildren(client: Client, operationId: string): Promise<number> {
  const { count } = await client.workflow.count(`WorkflowType = 'operationCountryWorkflow' AND CyberOperation = '${operationId}'`);
  return count;
}
