import { randomBytes } from 'node:crypto';
import {
  Notifier,
  verifyWebhookSignature,
  type ClaimResult,
  type NotificationMessage,
  type NotificationStore,
} from './notifier';
import { startSmtpSink, type SmtpSink } from '../../test/support/smtp-sink';
import { startWebhookSink, type WebhookSink } from '../../test/support/webhook-sink';

interface Row {
  msg: NotificationMessage;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  lastError?: string;
}

/** Same semantics as createPrismaNotificationStore, without a database. */
class InMemoryNotificationStore implements NotificationStore {
  readonly rows = new Map<string, Row>();
  failMarkDelivered = false;

  async claim(msg: NotificationMessage): Promise<ClaimResult> {
    const row = this.rows.get(msg.idempotencyKey);
    if (!row) {
      this.rows.set(msg.idempotencyKey, { msg, status: 'pending', attempts: 1 });
      return 'new';
    }
    row.attempts += 1;
    return row.status === 'delivered' ? 'delivered' : 'pending';
  }

  async markDelivered(key: string): Promise<void> {
    if (this.failMarkDelivered) throw new Error('db down');
    const row = this.rows.get(key);
    if (row) {
      row.status = 'delivered';
      row.lastError = undefined;
    }
  }

  async markFailed(key: string, error: string): Promise<void> {
    const row = this.rows.get(key);
    if (row && row.status !== 'delivered') {
      row.status = 'failed';
      row.lastError = error;
    }
  }
}

// No secret is a constant, not even in a test: random for each run.
const SECRET = randomBytes(32).toString('hex');

function emailMsg(key: string, overrides: Partial<NotificationMessage> = {}): NotificationMessage {
  return {
    idempotencyKey: key,
    channel: 'email',
    address: 'duty-officer@example.org',
    subject: 'MLAT request SR-42 overdue',
    body: { requestId: 'SR-42', country: 'DE', hoursOverdue: 6 },
    ...overrides,
  };
}

function webhookMsg(key: string, url: string): NotificationMessage {
  return {
    idempotencyKey: key,
    channel: 'webhook',
    address: url,
    subject: 'Operation surge started',
    body: { operationId: 'OP-7', regions: ['EU', 'APAC'] },
  };
}

async function captureError(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected promise to reject');
}

describe('Notifier – email', () => {
  let smtp: SmtpSink;
  let store: InMemoryNotificationStore;
  let notifier: Notifier;

  beforeEach(async () => {
    smtp = await startSmtpSink();
    store = new InMemoryNotificationStore();
    notifier = new Notifier({
      store,
      smtpUrl: smtp.url,
      mailFrom: 'Cyberops <noreply@cyberops.example>',
      webhookSecret: SECRET,
    });
  });

  afterEach(async () => {
    notifier.close();
    await smtp.close();
  });

  it('delivers once over SMTP with the idempotency key header and a stable Message-ID', async () => {
    const result = await notifier.deliver(emailMsg('sr-42-overdue-1'));
    expect(result).toEqual({ delivered: true, duplicate: false });

    const [received] = await smtp.waitFor(1);
    expect(smtp.messages).toHaveLength(1);
    expect(received.envelope.rcptTo).toEqual(['duty-officer@example.org']);
    expect(received.envelope.mailFrom).toBe('noreply@cyberops.example');
    expect(received.data).toMatch(/^X-Idempotency-Key: sr-42-overdue-1\r?$/m);
    expect(received.data).toMatch(/^Message-ID: <sr-42-overdue-1@cyberops\.example>\r?$/m);
    expect(received.data).toMatch(/^Subject: MLAT request SR-42 overdue\r?$/m);
    expect(received.data).toContain('"requestId": "SR-42"');
    expect(store.rows.get('sr-42-overdue-1')?.status).toBe('delivered');
  });

  it('sends only once when the same key is delivered twice', async () => {
    const first = await notifier.deliver(emailMsg('dup-key'));
    const second = await notifier.deliver(emailMsg('dup-key'));

    expect(first).toEqual({ delivered: true, duplicate: false });
    expect(second).toEqual({ delivered: false, duplicate: true });
    await smtp.waitFor(1);
    // Give a stray second send a chance to arrive before asserting it did not.
    await new Promise((r) => setTimeout(r, 100));
    expect(smtp.messages).toHaveLength(1);
    expect(store.rows.get('dup-key')?.attempts).toBe(2);
  });

  it('hashes keys that are not valid Message-ID local parts', async () => {
    await notifier.deliver(emailMsg('case 7 <weird>@key'));
    const [received] = await smtp.waitFor(1);
    const unfolded = received.data.replace(/\r?\n[ \t]+/g, ' ');
    expect(unfolded).toMatch(/^Message-ID: <k\.[0-9a-f]{32}@cyberops\.example>\r?$/m);
    expect(unfolded).toMatch(/^X-Idempotency-Key: case 7 <weird>@key\r?$/m);
  });

  it('rejects keys that cannot travel in a header without sending anything', async () => {
    const err = await captureError(notifier.deliver(emailMsg('bad\r\nBcc: x@evil.example')));
    expect(err.name).toBe('NonRetryableDeliveryError');
    expect(store.rows.size).toBe(0);
    expect(smtp.messages).toHaveLength(0);
  });
});

describe('Notifier – SMTP failures', () => {
  it('retries transient 4xx replies and stops on permanent 5xx', async () => {
    const transient = await startSmtpSink({ failFirst: 1, failCode: 451 });
    const permanent = await startSmtpSink({ failFirst: 1, failCode: 550 });
    const store = new InMemoryNotificationStore();
    const a = new Notifier({
      store,
      smtpUrl: transient.url,
      mailFrom: 'noreply@cyberops.example',
      webhookSecret: SECRET,
    });
    const b = new Notifier({
      store,
      smtpUrl: permanent.url,
      mailFrom: 'noreply@cyberops.example',
      webhookSecret: SECRET,
    });
    try {
      const err = await captureError(a.deliver(emailMsg('smtp-451')));
      expect(err.name).not.toBe('NonRetryableDeliveryError');
      expect(store.rows.get('smtp-451')?.status).toBe('failed');
      await expect(a.deliver(emailMsg('smtp-451'))).resolves.toEqual({ delivered: true, duplicate: false });
      expect(transient.messages).toHaveLength(1);

      const perm = await captureError(b.deliver(emailMsg('smtp-550')));
      expect(perm.name).toBe('NonRetryableDeliveryError');
      expect(store.rows.get('smtp-550')?.status).toBe('failed');
    } finally {
      a.close();
      b.close();
      await transient.close();
      await permanent.close();
    }
  });
});

describe('Notifier – webhook', () => {
  let sink: WebhookSink | undefined;
  let store: InMemoryNotificationStore;
  const newNotifier = (logger?: { warn: jest.Mock }): Notifier =>
    new Notifier({ store, mailFrom: 'noreply@cyberops.example', webhookSecret: SECRET, logger });

  beforeEach(() => {
    store = new InMemoryNotificationStore();
  });

  afterEach(async () => {
    await sink?.close();
    sink = undefined;
  });

  it('signs the raw body so receivers can verify it, and a wrong secret fails', async () => {
    sink = await startWebhookSink();
    await expect(newNotifier().deliver(webhookMsg('op-7-surge', sink.url))).resolves.toEqual({
      delivered: true,
      duplicate: false,
    });

    expect(sink.requests).toHaveLength(1);
    const req = sink.requests[0];
    expect(req.method).toBe('POST');
    expect(req.headers['content-type']).toBe('application/json');
    expect(req.headers['idempotency-key']).toBe('op-7-surge');
    const ts = req.headers['x-cyberops-timestamp'] as string;
    const sig = req.headers['x-cyberops-signature'] as string;
    expect(ts).toMatch(/^\d+$/);
    expect(Math.abs(Number(ts) - Date.now() / 1000)).toBeLessThan(60);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);

    const payload = JSON.parse(req.rawBody);
    expect(payload).toEqual({
      idempotencyKey: 'op-7-surge',
      subject: 'Operation surge started',
      body: { operationId: 'OP-7', regions: ['EU', 'APAC'] },
      sentAt: expect.any(String),
    });

    expect(verifyWebhookSignature(SECRET, ts, req.rawBody, sig)).toBe(true);
    expect(verifyWebhookSignature('wrong-secret', ts, req.rawBody, sig)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, req.rawBody.replace('OP-7', 'OP-8'), sig)).toBe(false);
    expect(verifyWebhookSignature(SECRET, Number(ts) + 1, req.rawBody, sig)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, req.rawBody, undefined)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, req.rawBody, 'sha256=abc')).toBe(false);
    // Outside the replay tolerance window.
    expect(verifyWebhookSignature(SECRET, ts, req.rawBody, sig, 300, Number(ts) + 301)).toBe(false);
    expect(verifyWebhookSignature(SECRET, ts, req.rawBody, sig, 300, Number(ts) + 299)).toBe(true);
  });

  it('throws on 500 twice, succeeds on the third attempt, and is accepted exactly once', async () => {
    sink = await startWebhookSink({ failFirst: 2 });
    const notifier = newNotifier();
    const msg = webhookMsg('retry-key', sink.url);

    for (let attempt = 1; attempt <= 2; attempt++) {
      const err = await captureError(notifier.deliver(msg));
      expect(err.name).not.toBe('NonRetryableDeliveryError');
      expect(err.message).toContain('500');
      expect(store.rows.get('retry-key')?.status).toBe('failed');
    }
    await expect(notifier.deliver(msg)).resolves.toEqual({ delivered: true, duplicate: false });
    // A further retry (e.g. the activity result was lost) must not hit the receiver again.
    await expect(notifier.deliver(msg)).resolves.toEqual({ delivered: false, duplicate: true });

    expect(sink.requests.map((r) => r.status)).toEqual([500, 500, 200]);
    const accepted = sink.requests.filter((r) => r.status >= 200 && r.status < 300);
    expect(accepted).toHaveLength(1);
    expect(accepted[0].headers['idempotency-key']).toBe('retry-key');
    expect(sink.requests.every((r) => r.headers['idempotency-key'] === 'retry-key')).toBe(true);
    expect(store.rows.get('retry-key')).toMatchObject({ status: 'delivered', attempts: 4 });
  });

  it('throws NonRetryableDeliveryError on 400', async () => {
    sink = await startWebhookSink({ failFirst: 1, failStatus: 400 });
    const err = await captureError(newNotifier().deliver(webhookMsg('bad-request', sink.url)));
    expect(err.name).toBe('NonRetryableDeliveryError');
    expect(store.rows.get('bad-request')?.status).toBe('failed');
  });

  it.each([408, 429])('treats %i as retryable', async (status) => {
    sink = await startWebhookSink({ failFirst: 1, failStatus: status });
    const err = await captureError(newNotifier().deliver(webhookMsg(`status-${status}`, sink.url)));
    expect(err.name).toBe('DeliveryError');
  });

  it('throws a retryable error when the receiver is unreachable', async () => {
    const closed = await startWebhookSink();
    const url = closed.url;
    await closed.close();
    const err = await captureError(newNotifier().deliver(webhookMsg('unreachable', url)));
    expect(err.name).toBe('DeliveryError');
    expect(store.rows.get('unreachable')?.status).toBe('failed');
  });

  it('still reports success when only markDelivered fails, so Temporal does not resend', async () => {
    sink = await startWebhookSink();
    store.failMarkDelivered = true;
    const logger = { warn: jest.fn() };
    await expect(newNotifier(logger).deliver(webhookMsg('mark-fails', sink.url))).resolves.toEqual({
      delivered: true,
      duplicate: false,
    });
    expect(sink.requests).toHaveLength(1);
    expect(logger.warn).toHaveBeenCalled();
  });
});
