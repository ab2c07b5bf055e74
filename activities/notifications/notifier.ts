import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createTransport } from 'nodemailer';
import type { PrismaClient } from '@prisma/client';

export interface NotificationMessage {
  idempotencyKey: string;
  channel: 'email' | 'webhook';
  address: string;
  subject: string;
  body: Record<string, unknown>;
  /** The directory contact it is for, when it is one. */
  contactId?: string;
}

export type ClaimResult = 'new' | 'delivered' | 'pending';

export interface NotificationStore {
  /** Records the attempt; 'delivered' means a previous attempt already went through. */
  claim(msg: NotificationMessage): Promise<ClaimResult>;
  markDelivered(key: string): Promise<void>;
  markFailed(key: string, error: string): Promise<void>;
}

export interface DeliveryResult {
  delivered: boolean;
  duplicate: boolean;
}

export interface NotifierLogger {
  warn(...a: unknown[]): void;
}

export interface NotifierOptions {
  store: NotificationStore;
  smtpUrl?: string;
  mailFrom: string;
  /** The secret a webhook is signed with: one fixed secret, or each contact's own (signing-keys.ts). */
  webhookSecret: string | ((msg: NotificationMessage) => Promise<string>);
  fetchImpl?: typeof fetch;
  logger?: NotifierLogger;
  /** Per-request webhook timeout; a hung receiver must not pin the activity until its own timeout. */
  webhookTimeoutMs?: number;
}

/**
 * Thrown when retrying cannot help (rejected request, permanent SMTP reply, bad config).
 * Temporal turns the error name into the failure type, so retry policies can list
 * 'NonRetryableDeliveryError' in nonRetryableErrorTypes.
 */
export class NonRetryableDeliveryError extends Error {
  override readonly name = 'NonRetryableDeliveryError';
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

/** Retryable by default: the activity retry policy provides the backoff. */
export class DeliveryError extends Error {
  override readonly name = 'DeliveryError';
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
  }
}

export const SIGNATURE_HEADER = 'X-Cyberops-Signature';
export const TIMESTAMP_HEADER = 'X-Cyberops-Timestamp';

const DELIVERED = 'delivered';
const FAILED = 'failed';
const MAX_ERROR_LENGTH = 2000;

// ---------------------------------------------------------------------------
// Prisma store
// ---------------------------------------------------------------------------

type NotificationDelegate = Pick<PrismaClient, 'notification'>;

function isUniqueViolation(err: unknown): boolean {
  // Duck-typed so this module does not load the Prisma runtime just for instanceof.
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === 'P2002';
}

export function createPrismaNotificationStore(prisma: NotificationDelegate): NotificationStore {
  return {
    async claim(msg) {
      try {
        await prisma.notification.create({
          data: {
            idempotencyKey: msg.idempotencyKey,
            channel: msg.channel,
            address: msg.address,
            subject: msg.subject,
            body: toJsonSafe(msg.body) as object,
            attempts: 1,
          },
        });
        return 'new';
      } catch (err) {
        if (!isUniqueViolation(err)) throw err;
      }
      const existing = await prisma.notification.update({
        where: { idempotencyKey: msg.idempotencyKey },
        data: { attempts: { increment: 1 } },
        select: { status: true },
      });
      return existing.status === DELIVERED ? 'delivered' : 'pending';
    },

    async markDelivered(key) {
      await prisma.notification.update({
        where: { idempotencyKey: key },
        data: { status: DELIVERED, deliveredAt: new Date(), lastError: null },
      });
    },

    async markFailed(key, error) {
      // Never downgrade a delivered row (e.g. a late failure report from an overlapping attempt).
      await prisma.notification.updateMany({
        where: { idempotencyKey: key, status: { not: DELIVERED } },
        data: { status: FAILED, lastError: error.slice(0, MAX_ERROR_LENGTH) },
      });
    },
  };
}

// ---------------------------------------------------------------------------
// Notifier
// ---------------------------------------------------------------------------

type MailTransport = ReturnType<typeof createTransport>;

export class Notifier {
  private readonly store: NotificationStore;
  private readonly mailFrom: string;
  private readonly webhookSecret: NotifierOptions['webhookSecret'];
  private readonly fetchImpl: typeof fetch;
  private readonly logger?: NotifierLogger;
  private readonly webhookTimeoutMs: number;
  private readonly transport?: MailTransport;
  private readonly messageIdDomain: string;

  constructor(opts: NotifierOptions) {
    this.store = opts.store;
    this.mailFrom = opts.mailFrom;
    this.webhookSecret = opts.webhookSecret;
    this.fetchImpl = opts.fetchImpl ?? globalThis.fetch;
    this.logger = opts.logger;
    this.webhookTimeoutMs = opts.webhookTimeoutMs ?? 10_000;
    // One transport for the notifier's lifetime, not one per message.
    this.transport = opts.smtpUrl ? createTransport(opts.smtpUrl) : undefined;
    this.messageIdDomain = /@([^\s>]+)/.exec(opts.mailFrom)?.[1] ?? 'cyberops.local';
  }

  async deliver(msg: NotificationMessage): Promise<DeliveryResult> {
    // The key travels in mail and HTTP headers; a malformed one would fail on every retry.
    if (!/^[\x20-\x7e]{1,255}$/.test(msg.idempotencyKey)) {
      throw new NonRetryableDeliveryError('idempotencyKey must be 1-255 printable ASCII characters');
    }
    const claim = await this.store.claim(msg);
    if (claim === 'delivered') return { delivered: false, duplicate: true };

    try {
      if (msg.channel === 'email') await this.sendEmail(msg);
      else if (msg.channel === 'webhook') await this.sendWebhook(msg);
      else throw new NonRetryableDeliveryError(`unsupported channel: ${String(msg.channel)}`);
    } catch (err) {
      await this.store.markFailed(msg.idempotencyKey, describe(err)).catch((markErr: unknown) => {
        this.logger?.warn('notification markFailed failed', msg.idempotencyKey, markErr);
      });
      throw err;
    }

    // At-least-once window: a crash between the channel accepting the message and this
    // write means the retry sends again; receivers de-duplicate on the idempotency key.
    // If only the write fails we still report success: throwing would make Temporal
    // retry and send a second copy for sure.
    try {
      await this.store.markDelivered(msg.idempotencyKey);
    } catch (err) {
      this.logger?.warn('notification sent but markDelivered failed', msg.idempotencyKey, err);
    }
    return { delivered: true, duplicate: false };
  }

  /** Releases pooled resources (SMTP sockets); call on worker shutdown. */
  close(): void {
    this.transport?.close();
  }

  private async sendEmail(msg: NotificationMessage): Promise<void> {
    if (!this.transport)
      throw new NonRetryableDeliveryError('email channel requested but no smtpUrl configured');
    try {
      await this.transport.sendMail({
        from: this.mailFrom,
        to: msg.address,
        subject: msg.subject,
        text: renderText(msg),
        // Stable across retries so receiving systems can drop duplicates.
        messageId: `<${messageIdLocalPart(msg.idempotencyKey)}@${this.messageIdDomain}>`,
        headers: { 'X-Idempotency-Key': msg.idempotencyKey },
      });
    } catch (err) {
      const code = (err as { responseCode?: unknown }).responseCode;
      // 5xx SMTP replies are permanent by definition; 4xx and network errors are transient.
      if (typeof code === 'number' && code >= 500 && code < 600) {
        throw new NonRetryableDeliveryError(`SMTP rejected message: ${describe(err)}`, code);
      }
      throw err;
    }
  }

  private async sendWebhook(msg: NotificationMessage): Promise<void> {
    let url: URL;
    try {
      url = new URL(msg.address);
    } catch {
      throw new NonRetryableDeliveryError('webhook address is not a valid URL');
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new NonRetryableDeliveryError(`webhook address must be http(s), got ${url.protocol}`);
    }
    const rawBody = JSON.stringify(
      toJsonSafe({
        idempotencyKey: msg.idempotencyKey,
        subject: msg.subject,
        body: msg.body,
        sentAt: new Date().toISOString(),
      }),
    );
    const timestamp = Math.floor(Date.now() / 1000).toString();
    const secret = typeof this.webhookSecret === 'string' ? this.webhookSecret : await this.webhookSecret(msg);

    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          [TIMESTAMP_HEADER]: timestamp,
          [SIGNATURE_HEADER]: `sha256=${sign(secret, timestamp, rawBody)}`,
          'Idempotency-Key': msg.idempotencyKey,
        },
        body: rawBody,
        // fetch would replay a 301/302 as a GET; a redirect is treated as a misconfigured URL instead.
        redirect: 'manual',
        signal: AbortSignal.timeout(this.webhookTimeoutMs),
      });
    } catch (err) {
      throw new DeliveryError(`webhook request to ${safeUrl(msg.address)} failed: ${describe(err)}`);
    }

    // Read the body either way so the keep-alive socket is released.
    const text = await res.text().catch(() => '');
    if (res.status >= 200 && res.status < 300) return;

    const detail = `webhook ${safeUrl(msg.address)} answered ${res.status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    const retryable = res.status >= 500 || res.status === 408 || res.status === 429;
    if (retryable) throw new DeliveryError(detail, res.status);
    throw new NonRetryableDeliveryError(detail, res.status);
  }
}

// ---------------------------------------------------------------------------
// Signatures
// ---------------------------------------------------------------------------

function sign(secret: string, timestamp: string, rawBody: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/**
 * Receiver-side check of X-Cyberops-Signature. Rejects stale timestamps (replay) and
 * compares in constant time.
 */
export function verifyWebhookSignature(
  secret: string,
  timestamp: string | number | undefined,
  rawBody: string | Buffer,
  signatureHeader: string | undefined,
  toleranceSeconds = 300,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): boolean {
  if (timestamp === undefined || !signatureHeader) return false;
  const tsText = String(timestamp).trim();
  if (!/^\d{1,12}$/.test(tsText)) return false;
  if (Math.abs(nowSeconds - Number(tsText)) > toleranceSeconds) return false;

  const match = /^sha256=([0-9a-f]{64})$/i.exec(signatureHeader.trim());
  if (!match) return false;
  const expected = Buffer.from(sign(secret, tsText, rawBody), 'hex');
  const given = Buffer.from(match[1], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** JSON round-trip that tolerates bigint (Prisma ids) instead of throwing mid-delivery. */
function toJsonSafe(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'null',
  );
}

function renderText(msg: NotificationMessage): string {
  return [
    msg.subject,
    '',
    JSON.stringify(toJsonSafe(msg.body), null, 2),
    '',
    '--',
    `Reference: ${msg.idempotencyKey}`,
    '',
  ].join('\n');
}

function messageIdLocalPart(key: string): string {
  // Keys that are valid dot-atoms are used verbatim; anything else is hashed to stay RFC 5322-valid.
  if (
    /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/.test(key) &&
    key.length <= 200
  ) {
    return key;
  }
  return `k.${createHash('sha256').update(key).digest('hex').slice(0, 32)}`;
}

function safeUrl(address: string): string {
  // Drop credentials and query strings (tokens) from error messages that end up in history.
  try {
    const u = new URL(address);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '<invalid url>';
  }
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: unknown }).cause;
    return cause instanceof Error ? `${err.message} (${cause.message})` : err.message;
  }
  return String(err);
}
