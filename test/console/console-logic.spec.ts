import { clockTone, duration, remaining } from '../../apps/console/src/ui/clock';
import { takeEvents } from '../../apps/console/src/api/sse-parse';
import type { ClockView } from '../../apps/console/src/api/models';
import { workingGroupHref } from '../../apps/console/src/views/working-groups/links';

// The console's pure parts, in Node: what colour an SLA bar shows, and how the alert stream is read.
const NOW = Date.parse('2026-01-01T12:00:00Z');
const clock = (over: Partial<ClockView>): ClockView => ({
  deadline: new Date(NOW + 60 * 60_000).toISOString(),
  state: 'running',
  budgetMs: 4 * 60 * 60_000,
  remainingMs: 0,
  pausedMs: 0,
  ...over,
});

describe('SLA bar', () => {
  it('counts a running clock down from its deadline', () => {
    expect(remaining(clock({}), NOW)).toBe(60 * 60_000);
    expect(remaining(clock({}), NOW + 61 * 60_000)).toBe(-60_000);
  });

  it('is amber from the warning threshold and red at breach, also before the API has said so', () => {
    expect(clockTone(clock({}), 0.8, NOW)).toBe('ok'); // 75 % used
    expect(clockTone(clock({}), 0.75, NOW)).toBe('warning');
    expect(clockTone(clock({}), 0.75, NOW + 60 * 60_000)).toBe('breached');
    expect(clockTone(clock({ state: 'breached' }), 0.75, NOW - 1)).toBe('breached');
  });

  it('shows a paused clock as paused with the time it had left, and a met one as met', () => {
    const paused = clock({ state: 'paused', remainingMs: 90_000, deadline: new Date(NOW - 1).toISOString() });
    expect(clockTone(paused, 0.75, NOW)).toBe('paused');
    expect(remaining(paused, NOW)).toBe(90_000);
    expect(clockTone(clock({ state: 'met' }), 0.75, NOW + 10 * 60 * 60_000)).toBe('met');
  });

  it('writes time left the way a duty officer reads it', () => {
    expect(duration(2 * 3600_000 + 5 * 60_000)).toBe('2 h 05 min');
    expect(duration(-(3 * 60_000 + 10_000))).toBe('-3 min 10 s');
    expect(duration(3 * 86400_000 + 4 * 3600_000)).toBe('3 d 4 h');
    expect(duration(999)).toBe('0 s');
  });
});

describe('alert stream parsing', () => {
  it('takes complete events, keeps a partial one for the next chunk, ignores comments', () => {
    const first = takeEvents(': connected\n\nevent: raised\nid: AL-1:raised:0\ndata: {"id":"AL-1"}\n\nevent: escal');
    expect(first.events).toEqual([{ type: 'raised', data: '{"id":"AL-1"}', id: 'AL-1:raised:0' }]);
    const second = takeEvents(`${first.rest}ated\r\ndata: {"id":"AL-1",\r\ndata: "level":1}\r\n\r\n`);
    expect(second.events).toEqual([{ type: 'escalated', data: '{"id":"AL-1",\n"level":1}' }]);
    expect(second.rest).toBe('');
  });

  it('names an event without a type "message"', () => {
    expect(takeEvents('data: {}\n\n').events).toEqual([{ type: 'message', data: '{}' }]);
  });
});

describe('working-group links', () => {
  it('links a working group and an action item to the working-group view, and nothing else', () => {
    expect(workingGroupHref('working-group/EURASIA/2027')).toBe('/working-groups?region=EURASIA&year=2027');
    expect(workingGroupHref('working-group/MENA/2027/item/12')).toBe('/working-groups?region=MENA&year=2027&item=12');
    expect(workingGroupHref('SR-0123456789AB')).toBeNull();
    expect(workingGroupHref('working-group/EURASIA/2027/item/x')).toBeNull();
  });
});
