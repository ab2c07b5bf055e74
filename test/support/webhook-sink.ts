import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookSinkRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Exact bytes received, as utf8: signatures are computed over this. */
  rawBody: string;
  /** Status code the sink answered with. */
  status: number;
}

export interface WebhookSinkOptions {
  /** Answer `failStatus` to the first N requests (to force retries). */
  failFirst?: number;
  /** Default 500. */
  failStatus?: number;
  /** Default 200. */
  successStatus?: number;
}

export interface WebhookSink {
  url: string;
  requests: WebhookSinkRequest[];
  /** While true every request is answered 503: the receiver is "down". */
  failing: boolean;
  close(): Promise<void>;
}

/** Local HTTP receiver on 127.0.0.1:<ephemeral> that records every request. */
export async function startWebhookSink(options: WebhookSinkOptions = {}): Promise<WebhookSink> {
  const requests: WebhookSinkRequest[] = [];
  const failFirst = options.failFirst ?? 0;
  const state = { failing: false };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = state.failing
        ? 503
        : requests.length < failFirst
          ? (options.failStatus ?? 500)
          : (options.successStatus ?? 200);
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody: Buffer.concat(chunks).toString('utf8'),
        status,
      });
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ ok: status < 300 }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/hook`,
    requests,
    get failing() {
      return state.failing;
    },
    set failing(value: boolean) {
      state.failing = value;
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        // fetch keeps sockets alive; drop them so close() does not wait for their idle timeout.
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}
