import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { startWebhookSink, WebhookSink } from '../support/webhook-sink';
import { verifyWebhookSignature } from '../../activities/notifications/notifier';
import { adminHttp, MEMBER_PH, Stack, startStack, SUPERVISOR } from '../support/harness';
import { openJsonStream } from '../support/sse-client';
import { phPrimaryToWebhook, withPolicy } from '../support/fixtures';

describe('SLA escalation end to end: breach alert on the SSE stream, acknowledgement, exactly-once delivery', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let webhook: WebhookSink;
  let restorePolicy: () => Promise<void>;
  let restoreContact: () => Promise<void>;
  let phSecret: string;

  beforeAll(async () => {
    // The supervisor's mail server refuses the first message (451): the activity must retry.
    smtp = await startSmtpSink({ failFirst: 1, failCode: 451 });
    // PH's primary contact is a webhook that fails twice before accepting.
    webhook = await startWebhookSink({ failFirst: 2 });
    stack = await startStack({ env: { SMTP_URL: smtp.url } });
    const admin = adminHttp(stack);
    // PH's receiver verifies with PH's own secret, issued once by an admin.
    const routed = await phPrimaryToWebhook(stack.prisma, admin, `${webhook.url}/nrp/ph`);
    phSecret = routed.secret;
    restoreContact = routed.restore;
    restorePolicy = await withPolicy(admin, 'P1', {
      triage: '3s', firstResponse: '1h', resolution: '1d', acknowledge: '1h', warnAt: 0.5, escalationStep: '700ms', escalationLoops: 2, ackExpiry: '1h',
    });
  });

  afterAll(async () => {
    await restorePolicy?.();
    await restoreContact?.();
    await stack?.stop();
    await smtp?.close();
    await webhook?.close();
  });

  it('pushes the breach to a supervisor live, climbs the ladder, and stops when acknowledged', async () => {
    const supervisor = await stack.token(SUPERVISOR);
    const member = await stack.token(MEMBER_PH);
    const stream = await openJsonStream(`${stack.baseUrl}/api/v1/alerts/stream`, supervisor);
    expect(stream.status).toBe(200);
    try {
      const submitted = await stack.http('POST', '/api/v1/support-requests', {
        token: member,
        body: { category: 'ddos_service', mode: 'remote', priority: 'P1', title: 'Booter service hitting hospitals', description: 'Live attack', indicators: [{ type: 'domain', value: 'booter.example.net' }] },
      });
      expect(submitted.status).toBe(201);
      const id = submitted.body.id as string;

      const waitFor = async (pred: () => boolean, ms = 20_000) => {
        const end = Date.now() + ms;
        while (!pred() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
        expect(pred()).toBe(true);
      };
      const breachEvents = () => stream.events.filter((e) => e.data.objectId === id && e.data.kind === 'sla_breach');
      await waitFor(() => breachEvents().some((e) => e.data.levelName === 'supervisor'));
      expect(stream.events.some((e) => e.data.objectId === id && e.data.kind === 'sla_warning' && e.type === 'raised')).toBe(true);
      const breach = breachEvents()[0].data;
      expect(breach).toMatchObject({ objectType: 'support_request', objectId: id, kind: 'sla_breach', acknowledgedAt: null });

      const detail = await stack.http('GET', `/api/v1/support-requests/${id}`, { token: supervisor });
      expect(detail.body.sla.triage.state).toBe('breached');

      const ack = await stack.http('POST', `/api/v1/alerts/${breach.id}/ack`, { token: supervisor });
      expect(ack.status).toBe(200);
      expect(ack.body.acknowledgedAt).toEqual(expect.any(String));
      await new Promise((r) => setTimeout(r, 300));
      const escalationsAfterAck = breachEvents().filter((e) => e.type === 'escalated').length;
      await new Promise((r) => setTimeout(r, 2_500));
      expect(breachEvents().filter((e) => e.type === 'escalated').length).toBe(escalationsAfterAck);

      // The supervisor's page arrived once per ladder step although the first SMTP attempt failed.
      const pages = () => smtp.messages.filter((m) => m.envelope.rcptTo.includes('supervisor@cyberops.test'));
      await waitFor(() => pages().length > 0);
      expect(smtp.rejected).toBe(1);
      const pageKeys = pages().map((m) => /X-Idempotency-Key: (.*)/i.exec(m.data)?.[1]?.trim());
      expect(new Set(pageKeys).size).toBe(pageKeys.length);

      // Triage clears the breach; the status change reaches PH's webhook once, after two refusals.
      const coordinator = await stack.token({ sub: 'dco.eurasia@cyberops.test', role: 'coordinator', region: 'EURASIA' });
      const triaged = await stack.http('POST', `/api/v1/support-requests/${id}/triage`, { token: coordinator, body: { decision: 'accept' } });
      expect(triaged.status).toBe(200);
      await waitFor(() => webhook.requests.some((r) => r.status === 200 && r.rawBody.includes(id)));
      const accepted = webhook.requests.filter((r) => r.status === 200 && r.rawBody.includes(id));
      expect(accepted).toHaveLength(1);
      expect(webhook.requests.filter((r) => r.rawBody.includes(id)).map((r) => r.status)).toEqual([500, 500, 200]);
      const [request] = accepted;
      const verify = (secret: string) =>
        verifyWebhookSignature(secret, String(request.headers['x-cyberops-timestamp']), request.rawBody, String(request.headers['x-cyberops-signature']));
      expect(verify(phSecret)).toBe(true);
      expect(verify(stack.config.WEBHOOK_SIGNING_SECRET)).toBe(false);
      await waitFor(() => stream.events.some((e) => e.data.id === breach.id && e.type === 'resolved'));
    } finally {
      await stream.close();
    }
  });
});
