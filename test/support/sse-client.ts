// A test client for the alert stream, shared by every file that reads Server-Sent Events.

export interface SseEvent {
  event?: string;
  id?: string;
  data?: string;
  comments: string[];
}

/** A minimal EventSource over fetch: reads the body stream and parses W3C event-stream blocks. */
export class SseClient {
  readonly events: SseEvent[] = [];
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];
  status = 0;
  closed = false;

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    const response = await fetch(url, {
      headers: { accept: 'text/event-stream', ...headers },
      signal: client.controller.signal,
    });
    client.status = response.status;
    client.contentType = response.headers.get('content-type');
    if (response.ok && response.body) void client.pump(response.body);
    else client.body = await response.text();
    return client;
  }

  contentType: string | null = null;
  body = '';

  private async pump(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const event: SseEvent = { comments: [] };
          for (const line of block.split('\n')) {
            if (line === '') continue;
            if (line.startsWith(':')) event.comments.push(line.slice(1).trim());
            else {
              const colon = line.indexOf(':');
              const field = line.slice(0, colon);
              const value = line.slice(colon + 1).replace(/^ /, '');
              if (field === 'event') event.event = value;
              else if (field === 'id') event.id = value;
              else if (field === 'data')
                event.data = event.data === undefined ? value : `${event.data}\n${value}`;
            }
          }
          if (event.event || event.data !== undefined || event.comments.length) this.events.push(event);
          this.notify();
        }
      }
    } catch {
      // aborted
    } finally {
      this.closed = true;
      this.notify();
    }
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    waiters.forEach((w) => w());
  }

  async waitFor(predicate: (e: SseEvent) => boolean, timeoutMs = 10_000): Promise<SseEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(predicate);
      if (found) return found;
      if (this.closed) throw new Error('stream closed before the event arrived');
      const left = deadline - Date.now();
      if (left <= 0)
        throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.events)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Resolves once the server has ended the stream. */
  async waitClosed(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error(`stream still open after ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.controller.abort();
  }
}

/** One event with its data parsed as JSON: what the alert-stream tests assert on. */
export interface JsonSseEvent {
  type: string;
  id: string | null;
  data: any;
}

export interface JsonSseStream {
  status: number;
  /** A live view: grows as events arrive. */
  readonly events: JsonSseEvent[];
  close(): Promise<void>;
}

/** Opens the stream with a bearer token; `events` holds the data events parsed as JSON. */
export async function openJsonStream(url: string, token: string): Promise<JsonSseStream> {
  const client = await SseClient.open(url, { authorization: `Bearer ${token}` });
  return {
    status: client.status,
    get events() {
      return client.events
        .filter((e) => e.data !== undefined)
        .map((e) => ({ type: e.event ?? 'message', id: e.id ?? null, data: JSON.parse(e.data!) }));
    },
    close: async () => {
      client.close();
      await client.waitClosed().catch(() => undefined);
    },
  };
}
