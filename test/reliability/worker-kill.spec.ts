import { ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startWebhookSink, WebhookSink } from '../support/webhook-sink';
import { adminHttp, COORDINATOR_EURASIA, MEMBER_PH, Stack, startStack } from '../support/harness';
import { phPrimaryToWebhook, withPolicy } from '../support/fixtures';

// Fault suite 1: the worker (a child process) is killed with SIGKILL while a request's SLA timers
// are pending and right after a change's activity is scheduled. After a restart every workflow
// completes, no change is lost, and no notification goes out twice.

const ROOT = path.resolve(__dirname, '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const EventType = temporal.api.enums.v1.EventType;

describe('worker SIGKILL', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let webhook: WebhookSink;
  let temporalClient: Client;
  let worker: ChildProcess | undefined;
  let restorePolicy: () => Promise<void>;
  let restoreContact: () => Promise<void>;

  /** The real worker entry point in its own process, on this stack's task queue. */
  async function startWorker(): Promise<ChildProcess> {
    const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(ROOT, 'apps', 'worker', 'main.ts')], {
      cwd: ROOT,
      env: {
        ...process.env,
        DATABASE_URL: stack.config.DATABASE_URL,
        TEMPORAL_ADDRESS: stack.config.TEMPORAL_ADDRESS,
        TEMPORAL_TASK_QUEUE: stack.config.TEMPORAL_TASK_QUEUE,
        JWT_SECRET: stack.config.JWT_SECRET,
        WEBHOOK_SIGNING_SECRET: stack.config.WEBHOOK_SIGNING_SECRET,
        SMTP_URL: smtp.url,
        NOTIFY_POLL_MS: '200',
        NOTIFY_RETRY_INITIAL_MS: '300',
        NOTIFY_RETRY_MAX_MS: '1000',
        // A message the killed worker had claimed is taken again by the next one after this.
        NOTIFY_LEASE_MS: '3000',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(() => reject(new Error(`worker did not start: ${seen.slice(-2000)}`)), 90_000);
      const watch = (chunk: Buffer) => {
        seen += chunk.toString();
        if (/state: 'RUNNING'/.test(seen)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on('data', watch);
      child.stderr!.on('data', watch);
      child.once('exit', (code) => reject(new Error(`worker exited with ${code}: ${seen.slice(-2000)}`)));
    });
    return child;
  }

  function kill(child: ChildProcess): Promise<void> {
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async function eventsOf(workflowId: string) {
    const page = await temporalClient.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId } });
    return page.history?.events ?? [];
  }

  beforeAll(async () => {
    smtp = await startSmtpSink();
    webhook = await startWebhookSink();
    stack = await startStack({ worker: false, env: { SMTP_URL: smtp.url, UPDATE_TIMEOUT_MS: '3000' } });
    temporalClient = new Client({ connection: await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS }) });
    const admin = adminHttp(stack);
    // PH's webhook is signed with PH's own secret, issued by an admin.
    restoreContact = (await phPrimaryToWebhook(stack.prisma, admin, `${webhook.url}/nrp/ph`)).restore;
    restorePolicy = await withPolicy(admin, 'P3', {
      triage: '20s', firstResponse: '1h', resolution: '1d', acknowledge: '1h', warnAt: 0.5, escalationStep: '1s', escalationLoops: 1, ackExpiry: '1h',
    });
  }, 60_000);

  afterAll(async () => {
    if (worker && worker.exitCode === null && worker.signalCode === null) await kill(worker);
    await restorePolicy?.();
    await restoreContact?.();
    await temporalClient?.connection.close();
    await stack?.stop();
    await smtp?.close();
    await webhook?.close();
  });

  it('loses nothing and sends nothing twice across a kill during a pending timer and a scheduled activity', async () => {
    const member = await stack.token(MEMBER_PH);
    const coordinator = await stack.token(COORDINATOR_EURASIA);
    worker = await startWorker();

    const submit = async (title: string) => {
      const res = await stack.http('POST', '/api/v1/support-requests', {
        token: member,
        body: { category: 'botnet', mode: 'remote', priority: 'P3', title, description: 'worker kill', indicators: [] },
      });
      expect(res.status).toBe(201);
      return res.body.id as string;
    };
    const timed = await submit('pending timers'); // triage warning at 10 s, breach at 20 s
    const submittedAt = Date.now();
    const changed = await submit('scheduled activity');
    expect((await stack.http('POST', `/api/v1/support-requests/${changed}/triage`, { token: coordinator, body: { decision: 'accept' } })).status).toBe(200);

    // Kill the worker as soon as the assign update's projection activity is scheduled.
    const workflowId = `support-request/${changed}`;
    const before = (await eventsOf(workflowId)).length;
    const assigning = stack.http('POST', `/api/v1/support-requests/${changed}/assign`, { token: coordinator, body: { assignee: 'officer.manila@cyberops.test' } });
    for (;;) {
      const events = (await eventsOf(workflowId)).slice(before);
      const accepted = events.findIndex((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED);
      if (accepted >= 0 && events.slice(accepted).some((e) => e.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)) break;
      await sleep(10);
    }
    await kill(worker);
    // Accepted before the kill: the caller is told it was taken (200 if it finished, else 202), never a 5xx.
    const assigned = await assigning;
    expect([200, 202]).toContain(assigned.status);

    // The triage timers of the other request come due while no worker runs.
    await sleep(Math.max(0, submittedAt + 21_000 - Date.now()));
    expect((await stack.prisma.alert.count({ where: { objectId: timed } }))).toBe(0);
    worker = await startWorker();

    // After the restart: the assign is applied once, the missed thresholds are raised once each.
    const deadline = Date.now() + 30_000;
    const trail = async () => (await stack.http('GET', `/api/v1/support-requests/${changed}/history`, { token: member })).body.items.map((e: { action: string }) => e.action);
    while ((await stack.prisma.alert.count({ where: { objectId: timed } })) < 2 || !(await trail()).includes('support_request.assign')) {
      if (Date.now() > deadline) throw new Error('the workflows did not catch up after the restart');
      await sleep(250);
    }
    expect(await trail()).toEqual(['support_request.submit', 'support_request.triage.accept', 'support_request.assign']);
    const alerts = await stack.prisma.alert.findMany({ where: { objectId: timed }, orderBy: { raisedAt: 'asc' } });
    expect(alerts.map((a) => `${a.clock}:${a.kind}`).sort()).toEqual(['triage:sla_breach', 'triage:sla_warning']);

    // Every workflow completes. The 3 s update deadline of this stack (for the kill above) can pass
    // while the restarted worker still catches up: then the change is taken (202) and shows in the
    // read model shortly after, which is what the next step waits for.
    const apply = async (id: string, action: string, token: string, body: unknown, status: string) => {
      const res = await stack.http('POST', `/api/v1/support-requests/${id}/${action}`, { token, body });
      expect({ action, taken: [200, 202].includes(res.status) }).toEqual({ action, taken: true });
      const end = Date.now() + 15_000;
      while ((await stack.http('GET', `/api/v1/support-requests/${id}`, { token: coordinator })).body.status !== status) {
        if (Date.now() > end) throw new Error(`${action} of ${id} never reached ${status}`);
        await sleep(100);
      }
    };
    for (const id of [timed, changed]) {
      if (id === timed) await apply(id, 'triage', coordinator, { decision: 'accept' }, 'triaged');
      if (id === timed) await apply(id, 'assign', coordinator, { assignee: 'officer.manila@cyberops.test' }, 'in_progress');
      await apply(id, 'resolve', coordinator, { summary: 'done' }, 'resolved');
      await apply(id, 'close', member, {}, 'closed');
      await expect(temporalClient.workflow.getHandle(`support-request/${id}`).result()).resolves.toEqual({ status: 'closed' });
    }

    // Every notification (status changes to PH's webhook, pages by e-mail) delivered, each once.
    const prefixes = [`support-request/${timed}/`, `support-request/${changed}/`, ...alerts.map((a) => `${a.id}/`)];
    const ours = { OR: prefixes.map((p) => ({ idempotencyKey: { startsWith: p } })) };
    const total = await stack.prisma.notification.count({ where: ours });
    expect(total).toBeGreaterThanOrEqual(2 * 4); // four status changes each, plus any pages
    const until = Date.now() + 30_000;
    while ((await stack.prisma.notification.count({ where: { ...ours, status: 'delivered' } })) < total) {
      if (Date.now() > until) throw new Error('notifications not all delivered');
      await sleep(250);
    }
    const mine = (k: string) => prefixes.some((p) => k.startsWith(p));
    const received = [
      ...webhook.requests.filter((r) => r.status === 200).map((r) => String(r.headers['idempotency-key'])),
      ...smtp.messages.map((m) => /X-Idempotency-Key: (.*)/i.exec(m.data)?.[1]?.trim() ?? ''),
    ].filter(mine);
    expect(received).toHaveLength(total);
    expect(new Set(received).size).toBe(total);
  });
});
