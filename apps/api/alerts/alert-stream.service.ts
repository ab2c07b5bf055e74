import { Inject, Injectable, Logger, MessageEvent, OnModuleDestroy, Optional } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';
import { Client, Notification } from 'pg';
import { Observable, Subject } from 'rxjs';
import { ALERT_CHANNEL, AlertAnnouncement, alertView } from '../../../activities/alerts/alert-events';
import type { AppConfig } from '../../config/config';
import type { Principal } from '../auth/principal';
import { inScope, scopeOf } from '../auth/scope';
import { APP_CONFIG } from '../infra/config.module';
import { SSE_SUBSCRIBERS } from '../metrics/http-metrics';
import { PrismaService } from '../infra/prisma.service';

/** What activities (and the ack endpoint) announce with pg_notify on ALERT_CHANNEL. */
export type AlertChange = AlertAnnouncement;

export const HEARTBEAT_MS = 15_000;
const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 30_000;
/** How long a new subscriber waits for the LISTEN connection before its stream opens anyway. */
const READY_WAIT_MS = 5_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
/** At most this many missed changes are replayed to a reconnecting client. */
export const REPLAY_LIMIT = 500;

/**
 * One PostgreSQL LISTEN connection per API process, fanned out to every SSE subscriber.
 * Opened on the first subscription, re-opened with exponential backoff whenever it drops,
 * closed when the module is destroyed (which also ends every open stream).
 */
@Injectable()
export class AlertStreamService implements OnModuleDestroy {
  private readonly logger = new Logger(AlertStreamService.name);
  private readonly changes = new Subject<AlertChange>();
  private client?: Client;
  private started = false;
  private stopped = false;
  private listening = false;
  private backoffMs = BACKOFF_MIN_MS;
  private retryTimer?: NodeJS.Timeout;
  private readyWaiters: Array<() => void> = [];
  @Optional() @InjectMetric(SSE_SUBSCRIBERS) private readonly subscribers?: Gauge<string>;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
  ) {}

  /** The backend pid of the LISTEN connection while it is up (for diagnostics and tests). */
  get listenerPid(): number | undefined {
    return this.listening
      ? (this.client as unknown as { processID?: number } | undefined)?.processID
      : undefined;
  }

  get isListening(): boolean {
    return this.listening;
  }

  /**
   * Opens a stream for one caller once the LISTEN connection is in place (or after 5 s, if the
   * database is unreachable), so a client that sees the stream open receives every later change.
   */
  async open(principal: Principal, lastEventId?: string): Promise<Observable<MessageEvent>> {
    this.start();
    await this.whenListening(READY_WAIT_MS);
    return this.streamFor(principal, lastEventId);
  }

  /**
   * The SSE events one caller may see: alerts in its scope, plus a heartbeat comment every 15 s.
   * After `lastEventId` (a reconnecting EventSource's `Last-Event-ID`), the changes missed since
   * are replayed first from the alerts table, oldest first. The stream ends when the token expires.
   */
  streamFor(principal: Principal, lastEventId?: string): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      if (this.stopped) {
        subscriber.complete();
        return;
      }
      this.start();
      const after = /^\d{1,18}$/.test(lastEventId ?? '') ? BigInt(lastEventId!) : undefined;
      // Live changes that arrive while the replay is read wait behind it; none is sent twice.
      let held: AlertChange[] | undefined = after === undefined ? undefined : [];
      const replayed = new Set<string>();
      const send = (change: AlertChange) => {
        if (!replayed.has(change.seq)) subscriber.next(toMessageEvent(change));
      };
      const changes = this.changes.subscribe({
        next: (change) => {
          if (!inScope(principal, change.alert)) return;
          if (held) held.push(change);
          else send(change);
        },
        complete: () => subscriber.complete(),
      });
      subscriber.next({
        comment: this.listening ? 'connected' : 'connected; alert listener is reconnecting',
      });
      if (after !== undefined) {
        this.missedSince(principal, after)
          .then((missed) => {
            for (const change of missed) {
              subscriber.next(toMessageEvent(change));
              replayed.add(change.seq);
            }
            if (missed.length === REPLAY_LIMIT) subscriber.next({ comment: 'replay truncated; reload the alert list' });
          })
          .catch((error: Error) => {
            this.logger.warn(`could not replay missed alerts: ${error.message}`);
            subscriber.next({ comment: 'missed alerts could not be replayed; reload the list' });
          })
          .finally(() => {
            const waiting = held ?? [];
            held = undefined;
            waiting.forEach(send);
          });
      }
      const heartbeat = setInterval(() => subscriber.next({ comment: 'heartbeat' }), HEARTBEAT_MS);
      // A stream authorised by a token ends with it; the client reconnects with a fresh one.
      let expiry: NodeJS.Timeout | undefined;
      const endAtExpiry = (at: number) => {
        // setTimeout cannot wait longer than 2^31-1 ms; a longer-lived token re-arms.
        expiry = setTimeout(() => {
          if (Date.now() < at) return endAtExpiry(at);
          subscriber.next({ comment: 'token expired' });
          subscriber.complete();
        }, Math.min(MAX_TIMER_MS, Math.max(0, at - Date.now())));
      };
      if (principal.expiresAt) endAtExpiry(principal.expiresAt);
      this.subscribers?.inc();
      return () => {
        this.subscribers?.dec();
        clearInterval(heartbeat);
        clearTimeout(expiry);
        changes.unsubscribe();
      };
    });
  }

  /** Changes after sequence number `after` in the caller's scope, in the order they were made. */
  private async missedSince(principal: Principal, after: bigint): Promise<AlertChange[]> {
    const scope = scopeOf(principal);
    const rows = await this.prisma.client.alert.findMany({
      where: { streamSeq: { gt: after }, ...(scope.region ? { region: scope.region } : {}) },
      orderBy: { streamSeq: 'asc' },
      take: REPLAY_LIMIT,
    });
    return rows
      .filter((row) => inScope(principal, row))
      .map((row) => ({ event: row.lastEvent ?? 'raised', seq: row.streamSeq!.toString(), alert: alertView(row) }));
  }

  /** Resolves true once the LISTEN connection is up, false after `timeoutMs`. */
  whenListening(timeoutMs: number): Promise<boolean> {
    if (this.listening) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.readyWaiters = this.readyWaiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      this.readyWaiters.push(waiter);
    });
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.changes.complete();
    const client = this.client;
    this.client = undefined;
    this.listening = false;
    await client?.end().catch(() => undefined);
  }

  private start(): void {
    if (this.started || this.stopped) return;
    this.started = true;
    void this.connect();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new Client({
      connectionString: this.config.DATABASE_URL,
      application_name: 'cyberops-alert-stream',
      keepAlive: true,
    });
    this.client = client;
    const lost = (reason: string) => {
      if (this.client !== client) return; // already replaced or shut down
      this.client = undefined;
      this.listening = false;
      client.removeAllListeners('notification');
      void client.end().catch(() => undefined);
      this.scheduleReconnect(reason);
    };
    client.on('error', (error) => lost(error.message));
    client.on('end', () => lost('connection ended'));
    client.on('notification', (message) => this.dispatch(message));
    try {
      await client.connect();
      await client.query(`LISTEN ${client.escapeIdentifier(ALERT_CHANNEL)}`);
    } catch (error) {
      lost(error instanceof Error ? error.message : String(error));
      return;
    }
    if (this.client !== client) return;
    this.listening = true;
    this.backoffMs = BACKOFF_MIN_MS;
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    waiters.forEach((w) => w());
  }

  private scheduleReconnect(reason: string): void {
    if (this.stopped) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    this.logger.warn(`alert listener lost (${reason}); reconnecting in ${delay} ms`);
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private dispatch(message: Notification): void {
    if (message.channel !== ALERT_CHANNEL || !message.payload) return;
    let change: AlertChange;
    try {
      change = JSON.parse(message.payload) as AlertChange;
    } catch {
      this.logger.warn('ignoring an alert announcement that is not JSON');
      return;
    }
    if (typeof change?.event !== 'string' || typeof change.seq !== 'string' || typeof change.alert?.id !== 'string') return;
    this.changes.next(change);
  }
}

/** The event id is the change's sequence number, which a reconnecting client sends back as `Last-Event-ID`. */
export function toMessageEvent(change: AlertChange): MessageEvent {
  return { type: change.event, id: change.seq, data: change.alert };
}
