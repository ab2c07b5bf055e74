/** One Server-Sent Event as received: the event name, the id the server gave it and its JSON data. */
export interface SseEvent {
  type: string;
  id: string | null;
  data: any;
}

export interface SseStream {
  status: number;
  events: SseEvent[];
  close(): Promise<void>;
}

/** Reads an SSE stream from a streaming fetch body until closed. */
export async function openSse(url: string, token: string): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal });
  const events: SseEvent[] = [];
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const pump = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffer += decoder.decode(value, { stream: true });
        let cut;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const field = (name: string) => new RegExp(`^${name}: ?(.*)$`, 'm').exec(block)?.[1] ?? null;
          const data = block.split('\n').filter((l) => l.startsWith('data:')).map((l) => l.replace(/^data: ?/, '')).join('\n');
          if (data) events.push({ type: field('event') ?? 'message', id: field('id'), data: JSON.parse(data) });
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    status: response.status,
    events,
    close: async () => {
      controller.abort();
      await pump;
    },
  };
}
