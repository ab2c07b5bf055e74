import type { SmtpSink } from '../support/smtp-sink';
import type { WebhookSink } from '../support/webhook-sink';
import { COORDINATOR_EURASIA, MEMBER_PH, Stack } from '../support/harness';
import { OutageRig, startOutageRig } from '../support/receiver-outage';

// A state change never waits on a notification: with the mail server and the country's webhook
// refusing everything, updates answer in normal time; once they are back, every notification
// arrives exactly once.

const OUTAGE_MS = Number(process.env.OUTAGE_MS ?? 15_000);
// Normal time on a loaded CI machine; without the outbox these calls hang for the whole outage.
const NORMAL_MS = 5_000;
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notifications while the receivers are down', () => {
  let rig: OutageRig;
  let stack: Stack;
  let smtp: SmtpSink;
  let webhook: WebhookSink;

  beforeAll(async () => {
    rig = await startOutageRig();
    ({ stack, smtp, webhook } = rig);
  });
  afterAll(() => rig?.stop());

  it('answers every update in normal time during an outage and delivers each notification once afterwards', async () => {
    const member = await stack.token(MEMBER_PH);
    const coordinator = await stack.token(COORDINATOR_EURASIA);
    const latencies: number[] = [];
    const timed = async (method: string, path: string, token: string, body?: unknown) => {
      const started = Date.now();
      const res = await stack.http(method, path, { token, body });
      latencies.push(Date.now() - started);
      expect({ path, status: res.status }).toEqual({ path, status: method === 'POST' && path.endsWith('/operations') ? 201 : 200 });
      return res;
    };

    rig.setFailing(true);
    const outageStarted = Date.now();

    // Four requests walk six status changes each (every one notifies PH's webhook).
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) {
      const submitted = await stack.http('POST', '/api/v1/support-requests', {
        token: member,
        body: { category: 'botnet', mode: 'remote', priority: 'P3', title: `Outage ${i}`, description: 'receivers down', indicators: [] },
      });
      expect(submitted.status).toBe(201);
      ids.push(submitted.body.id);
    }
    await Promise.all(
      ids.map(async (id) => {
        const base = `/api/v1/support-requests/${id}`;
        await timed('POST', `${base}/triage`, coordinator, { decision: 'accept' });
        await timed('POST', `${base}/assign`, coordinator, { assignee: 'officer.manila@cyberops.test' });
        await timed('POST', `${base}/request-info`, coordinator, { question: 'logs?' });
        await timed('POST', `${base}/provide-info`, member, { answer: 'attached' });
        await timed('POST', `${base}/request-info`, coordinator, { question: 'more logs?' });
        await timed('POST', `${base}/provide-info`, member, { answer: 'attached again' });
      }),
    );
    // Twelve changes at once on one request: past Temporal's ten in-flight updates per workflow
    // this used to fail with a 500 while the notifications hung.
    await Promise.all(Array.from({ length: 12 }, (_, n) => timed('POST', `/api/v1/support-requests/${ids[0]}/actions`, coordinator, { kind: 'advice', note: `note ${n}` })));

    // An operation with PH (webhook) and SG (e-mail): invitations go out to receivers that are down.
    const created = await timed('POST', '/api/v1/operations', coordinator, {
      name: 'Outage surge', objective: 'x', categories: ['botnet'], countries: ['PH', 'SG'],
      readinessDeadline: inSeconds(600), actionStart: inSeconds(600), actionEnd: inSeconds(900), debriefDeadline: inSeconds(1200),
    });
    const opId = created.body.id as string;
    await timed('POST', `/api/v1/operations/${opId}/launch`, coordinator);
    for (let attempt = 0; ; attempt++) {
      const ready = await stack.http('POST', `/api/v1/operations/${opId}/countries/PH/readiness`, { token: member, body: { ready: true, pointOfContact: 'duty@nrp.ph', teamSize: 4 } });
      if (ready.status === 200) break;
      if (attempt > 50) throw new Error(`readiness: ${ready.status} ${JSON.stringify(ready.body)}`);
      await sleep(100);
    }

    expect(Math.max(...latencies)).toBeLessThan(NORMAL_MS);
    // The outage is real: deliveries were attempted and refused while it lasted.
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - outageStarted)));
    // On a loaded machine the last invitations may reach the dispatcher only now: wait for a refusal.
    const refusedHooks = () => webhook.requests.filter((r) => r.status === 503).length;
    for (const end = Date.now() + 30_000; (refusedHooks() <= 24 || smtp.rejected === 0) && Date.now() < end; ) await sleep(200);
    expect(refusedHooks()).toBeGreaterThan(24);
    expect(smtp.rejected).toBeGreaterThan(0);
    expect(smtp.messages).toHaveLength(0);

    rig.setFailing(false);
    const keys = [...ids.map((id) => `support-request/${id}/`), `operation/${opId}/`];
    const ours = { OR: keys.map((k) => ({ idempotencyKey: { startsWith: k } })) };
    const expected = 4 * 6 + 2;
    const deadline = Date.now() + 30_000;
    while ((await stack.prisma.notification.count({ where: { ...ours, status: 'delivered' } })) < expected) {
      if (Date.now() > deadline) throw new Error('notifications not delivered after the outage');
      await sleep(250);
    }
    expect(await stack.prisma.notification.count({ where: ours })).toBe(expected);

    const delivered = webhook.requests.filter((r) => r.status === 200).map((r) => String(r.headers['idempotency-key']));
    const mailed = smtp.messages.map((m) => /X-Idempotency-Key: (.*)/i.exec(m.data)?.[1]?.trim() ?? '');
    const mine = (k: string) => keys.some((p) => k.startsWith(p));
    const all = [...delivered, ...mailed].filter(mine);
    expect(all).toHaveLength(expected);
    expect(new Set(all).size).toBe(expected);
    expect(mailed.filter(mine)).toEqual([`operation/${opId}/country/SG/invitation`]);
    // Late but complete: nothing is lost and nothing is delivered twice, even after more polling.
    await sleep(1_500);
    expect([...webhook.requests.filter((r) => r.status === 200).map((r) => String(r.headers['idempotency-key'])), ...smtp.messages.map((m) => /X-Idempotency-Key: (.*)/i.exec(m.data)?.[1]?.trim() ?? '')].filter(mine)).toHaveLength(expected);
  });
});
