import type { Principal } from '../../apps/api/auth/principal';
import { ANALYST, Stack } from '../support/harness';
import { OutageRig, startOutageRig } from '../support/receiver-outage';
import type { SmtpSink } from '../support/smtp-sink';
import type { WebhookSink } from '../support/webhook-sink';

// A dissemination never waits on a notification: with the mail server and PH's webhook refusing
// everything, dissemination, acknowledgement and feedback answer in normal time; once the
// receivers are back, every notification the dissemination queued arrives exactly once.

// Normal time on a loaded CI machine; with in-activity delivery these calls waited on the retries.
const NORMAL_MS = 5_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const member = (iso: string): Principal => ({ sub: `officer@nrp.${iso.toLowerCase()}`, role: 'member', country: iso });
// Long keys are folded onto the next header line.
const keyOf = (m: { data: string }) => /X-Idempotency-Key:\s*(\S+)/i.exec(m.data)?.[1] ?? '';

describe('dissemination while the notification receivers are down', () => {
  let rig: OutageRig;
  let stack: Stack;
  let smtp: SmtpSink;
  let webhook: WebhookSink;

  beforeAll(async () => {
    rig = await startOutageRig();
    ({ stack, smtp, webhook } = rig);
  });
  afterAll(() => rig?.stop());

  it('records acknowledgement and feedback in normal time and delivers each notification once afterwards', async () => {
    const analyst = await stack.token(ANALYST);
    const latencies: number[] = [];
    const timed = async (method: string, path: string, token: string, body: unknown, status: number) => {
      const started = Date.now();
      const res = await stack.http(method, path, { token, body });
      latencies.push(Date.now() - started);
      expect({ path, status: res.status }).toEqual({ path, status });
      return res;
    };

    rig.setFailing(true);
    const intel = await timed('POST', '/api/v1/intel', analyst, {
      title: 'Booter panel', summary: 'Kit panel seen during the outage.', categories: ['ddos_service'],
      indicators: [{ type: 'ipv4', value: '198.51.100.23' }], priority: 'P2', tlp: 'TLP:AMBER',
      source: { kind: 'private_sector', name: 'Vendor Y', reliability: 'B' }, credibility: 2,
    }, 201);
    const sent = await timed('POST', `/api/v1/intel/${intel.body.id}/disseminate`, analyst, { countries: ['PH', 'SG'] }, 201);
    const dsId = sent.body.id as string;
    expect(sent.body).toMatchObject({ status: 'active', recipients: 2 });
    const detail = async () => (await stack.http('GET', `/api/v1/disseminations/${dsId}`, { token: analyst })).body;
    // Both recipients count as delivered once the item is queued, although no receiver took it.
    for (let end = Date.now() + 15_000; ; await sleep(200)) {
      const d = await detail();
      if (d.recipients?.length === 2 && d.recipients.every((r: { deliveredAt: string | null }) => r.deliveredAt)) break;
      if (Date.now() > end) throw new Error(`not queued: ${JSON.stringify(d)}`);
    }
    const queued = await stack.prisma.disseminationRecipient.findMany({ where: { disseminationId: dsId } });
    for (const row of queued) expect(row.attempts).toEqual([expect.objectContaining({ ok: true, queued: true })]);

    for (const iso of ['PH', 'SG']) {
      const token = await stack.token(member(iso));
      const ack = await timed('POST', `/api/v1/disseminations/${dsId}/recipients/${iso}/ack`, token, {}, 200);
      expect(ack.body.status).toBe('acknowledged');
      const fb = await timed('POST', `/api/v1/disseminations/${dsId}/recipients/${iso}/feedback`, token, { outcome: 'actioned', note: 'blocked' }, 200);
      expect(fb.body.status).toBe('feedback');
    }
    expect(Math.max(...latencies)).toBeLessThan(NORMAL_MS);

    // The outage is real: both receivers refused deliveries and nothing got through.
    const ours = { idempotencyKey: { contains: dsId } };
    for (let end = Date.now() + 15_000; webhook.requests.length === 0 || smtp.rejected === 0; await sleep(200)) {
      if (Date.now() > end) throw new Error('no delivery attempted during the outage');
    }
    expect(smtp.messages).toHaveLength(0);
    expect(await stack.prisma.notification.count({ where: { ...ours, status: 'delivered' } })).toBe(0);

    rig.setFailing(false);
    const expected = await stack.prisma.notification.count({ where: ours });
    expect(expected).toBeGreaterThanOrEqual(2);
    for (let end = Date.now() + 30_000; (await stack.prisma.notification.count({ where: { ...ours, status: 'delivered' } })) < expected; await sleep(250)) {
      if (Date.now() > end) throw new Error('notifications not delivered after the outage');
    }
    await sleep(1_500);
    const hooks = webhook.requests.filter((r) => r.status === 200).map((r) => String(r.headers['idempotency-key'])).filter((k) => k.includes(dsId));
    const mails = smtp.messages.map(keyOf).filter((k) => k.includes(dsId));
    expect(hooks.length).toBeGreaterThanOrEqual(1);
    expect(mails.length).toBeGreaterThanOrEqual(1);
    expect([...hooks, ...mails]).toHaveLength(expected);
    expect(new Set([...hooks, ...mails]).size).toBe(expected);
    // PH's webhook went out signed with PH's own secret (the row names its contact).
    expect((await stack.prisma.notification.findMany({ where: { ...ours, channel: 'webhook' } })).every((n) => n.contactId === 'PH-primary')).toBe(true);
  });
});
