import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface SmtpSinkMessage {
  envelope: { mailFrom: string | null; rcptTo: string[] };
  /** Raw RFC 5322 message as received after DATA. */
  data: string;
}

export interface SmtpSinkOptions {
  /** Reject the first N messages after DATA with `failCode` (default 451, transient). */
  failFirst?: number;
  failCode?: number;
}

export interface SmtpSink {
  url: string;
  /** Accepted messages only. */
  messages: SmtpSinkMessage[];
  /** Number of DATA transactions rejected because of `failFirst`. */
  readonly rejected: number;
  /** While true every message is refused with 451: the mail server is "down" for senders. */
  failing: boolean;
  waitFor(count: number, timeoutMs?: number): Promise<SmtpSinkMessage[]>;
  close(): Promise<void>;
}

/** Real SMTP server on 127.0.0.1:<ephemeral>, plain text, no auth required. */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: SmtpSinkMessage[] = [];
  const waiters = new Set<() => void>();
  let rejected = 0;
  const state = { failing: false };

  const server = new SMTPServer({
    authOptional: true,
    secure: false,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Keep close() fast in tests even if a client left a connection open.
    closeTimeout: 500,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('error', (err) => callback(err));
      stream.on('end', () => {
        if (state.failing || rejected < (options.failFirst ?? 0)) {
          rejected += 1;
          const err = new Error('sink: simulated rejection') as Error & { responseCode: number };
          err.responseCode = options.failCode ?? 451;
          callback(err);
          return;
        }
        const { mailFrom, rcptTo } = session.envelope;
        messages.push({
          envelope: { mailFrom: mailFrom ? mailFrom.address : null, rcptTo: rcptTo.map((r) => r.address) },
          data: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
        for (const wake of [...waiters]) wake();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    get rejected() {
      return rejected;
    },
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    waitFor(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          if (messages.length < count) return false;
          clearTimeout(timer);
          waiters.delete(wake);
          resolve(messages.slice());
          return true;
        };
        const wake = (): void => void check();
        const timer = setTimeout(() => {
          waiters.delete(wake);
          reject(
            new Error(`smtp sink: expected ${count} message(s), got ${messages.length} after ${timeoutMs}ms`),
          );
        }, timeoutMs);
        if (!check()) waiters.add(wake);
      });
    },
    close() {
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
