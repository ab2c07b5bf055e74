import type { Prisma, PrismaClient } from '@prisma/client';
import type { ContactPoint } from '../../workflows/common/domain';
import type { NotificationMessage, Notifier, NotifierLogger } from './notifier';

// The notification outbox: workflows never wait on a mail server or a webhook. An activity
// records each message as a row (keyed, so a retried activity writes it once) and returns;
// the dispatcher below delivers due rows with its own backoff, from any worker, after crashes.

type Db = Pick<Prisma.TransactionClient, 'notification'>;

/** Records messages for delivery; a key already recorded is left alone (exactly one row per key). */
export async function enqueueNotifications(db: Db, messages: NotificationMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const { count } = await db.notification.createMany({
    data: messages.map((m) => ({
      idempotencyKey: m.idempotencyKey,
      channel: m.channel,
      address: m.address,
      subject: m.subject,
      body: JSON.parse(JSON.stringify(m.body)) as Prisma.InputJsonValue,
      contactId: m.contactId ?? null,
      dispatch: true,
    })),
    skipDuplicates: true,
  });
  // A row left by the former in-activity delivery (a workflow mid-retry across the upgrade) joins the outbox.
  await db.notification.updateMany({
    where: { idempotencyKey: { in: messages.map((m) => m.idempotencyKey) }, dispatch: false, status: { not: 'delivered' } },
    data: { dispatch: true },
  });
  return count;
}

/** One message per contact point, keyed `<key>/<contact id>`. */
export function messagesFor(key: string, to: ContactPoint[], subject: string, body: Record<string, unknown>): NotificationMessage[] {
  return to.map((c) => ({
    idempotencyKey: `${key}/${c.id}`,
    channel: c.channel,
    address: c.address,
    subject,
    body,
    contactId: c.id.startsWith('officer:') ? undefined : c.id,
  }));
}

export interface DispatcherOptions {
  prisma: PrismaClient;
  notifier: Pick<Notifier, 'deliver'>;
  /** How often due rows are looked for. */
  pollMs?: number;
  /** First retry delay; doubles per attempt up to maxBackoffMs. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a claimed row is held; longer than any single delivery attempt. */
  leaseMs?: number;
  batch?: number;
  /** Deliveries at once: each takes database connections the worker's activities also need. */
  concurrency?: number;
  logger?: NotifierLogger;
}

interface DueRow {
  id: bigint;
  idempotencyKey: string;
  channel: string;
  address: string;
  subject: string;
  body: Record<string, unknown>;
  attempts: number;
  contactId: string | null;
}

/**
 * Delivers outbox rows. Rows are claimed with FOR UPDATE SKIP LOCKED and a lease, so several
 * workers share the work and a row held by a crashed worker is taken again once its lease ends.
 * A delivered row is never sent again; the remaining at-least-once window (sent, then the worker
 * dies before marking it) is covered by the idempotency key every message carries.
 */
export class NotificationDispatcher {
  private readonly o: Required<Omit<DispatcherOptions, 'logger'>> & { logger?: NotifierLogger };
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = true;

  constructor(options: DispatcherOptions) {
    this.o = { pollMs: 1000, initialBackoffMs: 2000, maxBackoffMs: 300_000, leaseMs: 120_000, batch: 20, concurrency: 4, ...options };
  }

  start(): void {
    this.stopped = false;
    const tick = async () => {
      if (this.stopped) return;
      this.running = this.drain().then(
        () => undefined,
        (error: unknown) => this.o.logger?.warn('notification dispatch failed', String(error)),
      );
      await this.running;
      if (!this.stopped) this.timer = setTimeout(() => void tick(), this.o.pollMs);
    };
    void tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Delivers every row due now; returns how many were attempted. */
  async drain(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const rows = await this.claim();
      if (rows.length === 0) return attempted;
      attempted += rows.length;
      let next = 0;
      await Promise.all(
        Array.from({ length: Math.min(this.o.concurrency, rows.length) }, async () => {
          while (next < rows.length) await this.deliver(rows[next++]);
        }),
      );
      if (this.stopped) return attempted;
    }
  }

  private claim(): Promise<DueRow[]> {
    const { leaseMs, batch } = this.o;
    return this.o.prisma.$queryRaw<DueRow[]>`
      UPDATE "Notification" SET "leasedUntil" = now() + make_interval(secs => ${leaseMs / 1000}::double precision)
      WHERE id IN (
        SELECT id FROM "Notification"
        WHERE dispatch AND status IN ('pending', 'failed') AND "nextAttemptAt" <= now()
          AND ("leasedUntil" IS NULL OR "leasedUntil" < now())
        ORDER BY "nextAttemptAt", id
        LIMIT ${batch}
        FOR UPDATE SKIP LOCKED)
      RETURNING id, "idempotencyKey", channel, address, subject, body, attempts, "contactId"`;
  }

  private async deliver(row: DueRow): Promise<void> {
    const msg: NotificationMessage = {
      idempotencyKey: row.idempotencyKey,
      channel: row.channel as NotificationMessage['channel'],
      address: row.address,
      subject: row.subject,
      body: row.body,
      contactId: row.contactId ?? undefined,
    };
    try {
      await this.o.notifier.deliver(msg);
      await this.o.prisma.notification.update({ where: { id: row.id }, data: { leasedUntil: null } });
    } catch (error) {
      const permanent = (error as Error).name === 'NonRetryableDeliveryError';
      // `attempts` was counted by the notifier's claim: it is one more than the row said.
      const delay = Math.min(this.o.maxBackoffMs, this.o.initialBackoffMs * 2 ** Math.min(20, row.attempts));
      const jittered = Math.round(delay * (0.8 + Math.random() * 0.4));
      await this.o.prisma.notification.updateMany({
        where: { id: row.id, status: { not: 'delivered' } },
        data: permanent
          ? { status: 'undeliverable', leasedUntil: null }
          : { nextAttemptAt: new Date(Date.now() + jittered), leasedUntil: null },
      });
      if (permanent) this.o.logger?.warn('notification undeliverable', row.idempotencyKey, (error as Error).message);
    }
  }
}
