import { randomUUID } from 'node:crypto';
import { createPrismaNotificationStore, Notifier, verifyWebhookSignature } from '../../activities/notifications/notifier';
import { contactSigningSecrets } from '../../activities/notifications/signing-keys';
import { ADMIN, COORDINATOR_EURASIA, MEMBER_PH, Stack, startStack } from '../support/harness';
import { startWebhookSink, WebhookSink } from '../support/webhook-sink';

// One shared secret let any receiving country forge messages to another: each contact now has its own.
describe('per-contact webhook signing secrets', () => {
  let stack: Stack;
  let sink: WebhookSink;
  let notifier: Notifier;
  let admin: string;
  const contacts = ['PH-backup', 'BR-backup'];

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    sink = await startWebhookSink();
    admin = await stack.token(ADMIN);
    for (const id of contacts) {
      await stack.prisma.contact.update({ where: { id }, data: { channel: 'webhook', address: `${sink.url}/${id}` } });
    }
    // The worker's notifier, as apps/worker/worker.ts builds it.
    notifier = new Notifier({
      store: createPrismaNotificationStore(stack.prisma),
      mailFrom: 'cyberops@localhost',
      webhookSecret: contactSigningSecrets(stack.prisma, stack.config.WEBHOOK_SIGNING_SECRET),
    });
  });
  afterAll(async () => {
    for (const id of contacts) {
      const iso = id.slice(0, 2).toLowerCase();
      await stack?.prisma.contact.update({ where: { id }, data: { channel: 'email', address: `backup@nrp.${iso}.cyberops.test` } });
    }
    notifier?.close();
    await sink?.close();
    await stack?.stop();
  });

  const issue = (id: string, token = admin) => stack.http('POST', `/api/v1/contacts/${id}/signing-secret`, { token });
  const send = async (contactId: string, viaAddressOnly = false) => {
    const key = `secret-test/${randomUUID()}`;
    await notifier.deliver({
      idempotencyKey: key,
      channel: 'webhook',
      address: `${sink.url}/${contactId}`,
      subject: 'status change',
      body: { id: key },
      contactId: viaAddressOnly ? undefined : contactId,
    });
    const request = sink.requests.find((r) => r.rawBody.includes(key))!;
    return (secret: string) =>
      verifyWebhookSignature(secret, String(request.headers['x-cyberops-timestamp']), request.rawBody, String(request.headers['x-cyberops-signature']));
  };

  it('issues each contact its own secret, shown once, stored encrypted, never listed', async () => {
    const ph = await issue('PH-backup');
    const br = await issue('BR-backup');
    expect(ph.status).toBe(201);
    expect(ph.body).toMatchObject({ contactId: 'PH-backup', secret: expect.stringMatching(/^[\w-]{43}$/) });
    expect(br.body.secret).not.toBe(ph.body.secret);

    const stored = await stack.prisma.contact.findUniqueOrThrow({ where: { id: 'PH-backup' } });
    expect(stored.signingSecret).toMatch(/^v1:/);
    expect(stored.signingSecret).not.toContain(ph.body.secret);

    const listed = await stack.http('GET', '/api/v1/contacts?country=PH', { token: admin });
    const text = JSON.stringify(listed.body);
    expect(text).not.toContain(ph.body.secret);
    expect(text).not.toContain('signingSecret"');
    expect(listed.body.items.find((c: { id: string }) => c.id === 'PH-backup')).toMatchObject({ hasSigningSecret: true });

    const audit = await stack.prisma.auditEvent.findMany({ where: { objectType: 'contact', objectId: 'PH-backup' }, orderBy: { id: 'desc' }, take: 1 });
    expect(audit[0]).toMatchObject({ actorSub: ADMIN.sub, action: expect.stringMatching(/^contact\.signing_secret\.(issue|rotate)$/) });
    expect(JSON.stringify(audit[0].data)).not.toContain(ph.body.secret);
  });

  it("signs each contact's webhooks with that contact's secret: another country's secret does not verify", async () => {
    const ph = (await issue('PH-backup')).body.secret as string;
    const br = (await issue('BR-backup')).body.secret as string;
    const toPh = await send('PH-backup');
    expect(toPh(ph)).toBe(true);
    expect(toPh(br)).toBe(false);
    expect(toPh(stack.config.WEBHOOK_SIGNING_SECRET)).toBe(false);
    // A message that names only the address finds its contact too.
    const toBr = await send('BR-backup', true);
    expect(toBr(br)).toBe(true);
    expect(toBr(ph)).toBe(false);
  });

  it('rotates: the new secret verifies, the old one no longer does', async () => {
    const old = (await issue('PH-backup')).body.secret as string;
    const rotated = await issue('PH-backup');
    expect(rotated.status).toBe(201);
    const verify = await send('PH-backup');
    expect(verify(rotated.body.secret)).toBe(true);
    expect(verify(old)).toBe(false);
    const actions = await stack.prisma.auditEvent.findMany({ where: { objectType: 'contact', objectId: 'PH-backup', action: 'contact.signing_secret.rotate' } });
    expect(actions.length).toBeGreaterThanOrEqual(1);
  });

  it('lets only admins issue secrets (403, audited), and answers 404 for an unknown contact', async () => {
    for (const principal of [MEMBER_PH, COORDINATOR_EURASIA]) {
      const res = await issue('PH-backup', await stack.token(principal));
      expect(res.status).toBe(403);
      const denial = await stack.prisma.auditEvent.findFirst({ where: { actorSub: principal.sub, objectType: 'contact', objectId: 'PH-backup' }, orderBy: { id: 'desc' } });
      expect(denial).toMatchObject({ action: 'contact.signing-secret', afterState: 'denied' });
    }
    expect((await issue('XX-nobody')).status).toBe(404);
  });

  it('holds back a webhook to a contact that has no secret yet (retryable), instead of signing with a shared one', async () => {
    await stack.prisma.contact.update({ where: { id: 'BR-backup' }, data: { signingSecret: null, signingSecretRotatedAt: null } });
    await expect(send('BR-backup')).rejects.toMatchObject({ name: 'DeliveryError', message: expect.stringContaining('no webhook signing secret') });
  });
});
