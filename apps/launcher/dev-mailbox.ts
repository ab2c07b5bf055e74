import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface DevMailboxOptions {
  /** Folder the .eml files go to (created if missing). */
  dir: string;
  port: number;
  host?: string;
  /** One line per stored message; defaults to console.log. */
  log?: (line: string) => void;
  /** Largest accepted message in bytes (default 25 MiB). */
  maxBytes?: number;
}

export interface DevMailbox {
  /** `smtp://host:port`, ready for SMTP_URL. */
  url: string;
  dir: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Development mail catcher: a real SMTP server (plain text, no TLS, authentication optional)
 * that accepts every message and stores it as an .eml file, so `npm start` shows what the
 * worker would e-mail without a mail provider. Not for production: it accepts anything.
 */
export async function startDevMailbox(options: DevMailboxOptions): Promise<DevMailbox> {
  const host = options.host ?? '127.0.0.1';
  const log = options.log ?? ((line: string) => console.log(line));
  const maxBytes = options.maxBytes ?? 25 * 1024 * 1024;
  fs.mkdirSync(options.dir, { recursive: true });
  let sequence = 0;

  const server = new SMTPServer({
    authOptional: true,
    // Accept any credentials a client sends anyway (nodemailer with user:pass in the URL).
    onAuth(_auth, _session, callback) {
      callback(null, { user: 'dev' });
    },
    allowInsecureAuth: true,
    secure: false,
    disabledCommands: ['STARTTLS'],
    size: maxBytes,
    banner: 'cyberops dev mailbox',
    logger: false,
    closeTimeout: 2_000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded) {
          const error = new Error(`message exceeds ${maxBytes} bytes`) as Error & { responseCode: number };
          error.responseCode = 552;
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks);
        const from = session.envelope.mailFrom ? session.envelope.mailFrom.address : '';
        const to = session.envelope.rcptTo.map((r) => r.address);
        sequence += 1;
        const stamp = new Date().toISOString().replace(/[:.]/g, '-');
        const file = path.join(
          options.dir,
          `${stamp}-${process.pid}-${String(sequence).padStart(4, '0')}.eml`,
        );
        // The envelope goes first as trace headers: Bcc recipients are only visible there.
        const envelope = Buffer.from(
          `X-Envelope-From: <${from}>\r\nX-Envelope-To: ${to.map((a) => `<${a}>`).join(', ')}\r\n`,
        );
        const temporary = `${file}.part`;
        fs.promises
          .writeFile(temporary, Buffer.concat([envelope, raw]))
          .then(() => fs.promises.rename(temporary, file))
          .then(
            () => {
              log(
                `${from || '(no sender)'} -> ${to.join(', ')}: "${subjectOf(raw)}" saved as ${path.basename(file)}`,
              );
              callback();
            },
            (error: Error) => {
              log(`could not store a message from ${from}: ${error.message}`);
              const failure = error as Error & { responseCode?: number };
              failure.responseCode = 451;
              callback(failure);
            },
          );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    const onListenError = (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'EADDRINUSE' ? new Error(`dev mailbox port ${options.port} is already in use`) : error,
      );
    };
    server.once('error', onListenError);
    server.listen(options.port, host, () => {
      server.off('error', onListenError);
      resolve();
    });
  });
  // After start-up, connection-level errors (a client hanging up mid-session) are only logged.
  server.on('error', (error: Error) => log(`SMTP error: ${error.message}`));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://${host}:${port}`,
    dir: options.dir,
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** The Subject header, unfolded; MIME encoded-words are left as they are. */
function subjectOf(raw: Buffer): string {
  const text = raw.subarray(0, 64 * 1024).toString('utf8');
  const headerEnd = text.search(/\r?\n\r?\n/);
  const headers = (headerEnd >= 0 ? text.slice(0, headerEnd) : text).replace(/\r?\n[ \t]+/g, ' ');
  const match = /^subject:[ \t]*(.*)$/im.exec(headers);
  return match ? match[1].trim() : '(no subject)';
}
