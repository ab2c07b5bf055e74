// The text/event-stream format, enough for the alert stream: `event:` and `data:` lines, events
// separated by a blank line, comments (`:`) ignored. Pure, so it is unit-tested in test/console/.

export interface StreamEvent {
  type: string;
  data: string;
  /** The event's id (the alert stream's sequence number), sent back as Last-Event-ID on reconnect. */
  id?: string;
}

/** The complete events in `buffer`, and what is left of an event still arriving. */
export function takeEvents(buffer: string): { events: StreamEvent[]; rest: string } {
  const events: StreamEvent[] = [];
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let type = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) type = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
      else if (line.startsWith('id:')) id = line.slice(3).trim();
    }
    if (data.length > 0) events.push({ type, data: data.join('\n'), ...(id !== undefined ? { id } : {}) });
  }
  return { events, rest };
}
