import { bearer, reportUnauthorized } from './client';
import { takeEvents } from './sse-parse';

export type StreamState = 'connecting' | 'live' | 'lost';

/**
 * Server-sent events read with fetch, so the token travels in the Authorization header rather
 * than in the URL. Reconnects with backoff after a lost connection; `reconnect()` retries now.
 */
export function openEventStream(
  path: string,
  onEvent: (type: string, data: unknown) => void,
  onState: (state: StreamState) => void,
): { close(): void; reconnect(): void } {
  let closed = false;
  let controller: AbortController | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let delay = 1000;
  let lastEventId: string | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;

  const connect = async () => {
    clearTimeout(retryTimer);
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    onState('connecting');
    // The server writes a comment every 15 s: silence for 45 s means a dead connection.
    const watch = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => mine.abort(), 45_000);
    };
    try {
      const token = bearer();
      watch();
      const response = await fetch(path, {
        headers: {
          Accept: 'text/event-stream',
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          // The server replays what was missed since this event.
          ...(lastEventId ? { 'Last-Event-ID': lastEventId } : {}),
        },
        signal: mine.signal,
        cache: 'no-store',
      });
      if (response.status === 401) {
        clearTimeout(watchdog);
        reportUnauthorized();
        return;
      }
      if (!response.ok || !response.body) throw new Error(`stream answered ${response.status}`);
      onState('live');
      delay = 1000;
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        watch();
        const { events, rest } = takeEvents(buffer + value);
        buffer = rest;
        for (const event of events) {
          if (event.id) lastEventId = event.id;
          try {
            onEvent(event.type, JSON.parse(event.data));
          } catch {
            // a non-JSON event is not an alert
          }
        }
      }
      throw new Error('stream ended');
    } catch {
      clearTimeout(watchdog);
      if (closed || controller !== mine) return;
      onState('lost');
      retryTimer = setTimeout(() => void connect(), delay);
      delay = Math.min(delay * 2, 15_000);
    }
  };

  void connect();
  return {
    close() {
      closed = true;
      clearTimeout(retryTimer);
      clearTimeout(watchdog);
      controller?.abort();
    },
    reconnect() {
      delay = 1000;
      void connect();
    },
  };
}
