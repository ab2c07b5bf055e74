import { clockAt, SlaClock } from './sla-clock';

// The read model keeps a snapshot taken at the last transition; clockAt must answer what the
// workflow itself would answer at a later instant (its timers fire exactly at nextDueAt).
describe('clockAt: an SLA clock read later from its stored snapshot', () => {
  const T0 = Date.parse('2026-11-28T06:00:00.000Z');
  const HOUR = 3_600_000;

  /** What the live workflow shows at `now`: its threshold timers have fired on the way. */
  const live = (clock: SlaClock, now: number) => {
    for (let due = clock.nextDueAt(); due !== null && due <= now; due = clock.nextDueAt()) clock.takeDue(due);
    return clock.snapshot(now);
  };

  it('keeps a running clock counting down, deadline fixed', () => {
    const clock = SlaClock.start(4 * HOUR, 0.75, T0);
    const stored = clock.snapshot(T0 + 10 * 60_000);
    const later = clockAt(stored, 0.75, T0 + HOUR);
    expect(later.remainingMs).toBe(3 * HOUR);
    expect(later.usedMs).toBe(HOUR);
    expect(later.deadline).toBe(stored.deadline);
    expect(later.state).toBe('running');
    expect(later).toEqual(live(clock, T0 + HOUR));
  });

  it('marks warning and breach at the instants they were crossed', () => {
    const clock = SlaClock.start(4 * HOUR, 0.75, T0);
    const stored = clock.snapshot(T0);
    const later = clockAt(stored, 0.75, T0 + 5 * HOUR);
    expect(later.state).toBe('breached');
    expect(later.remainingMs).toBe(-HOUR);
    expect(later.warnedAt).toBe(new Date(T0 + 3 * HOUR).toISOString());
    expect(later.breachedAt).toBe(new Date(T0 + 4 * HOUR).toISOString());
    expect(later).toEqual(live(clock, T0 + 5 * HOUR));
  });

  it('holds a paused clock: remaining unchanged, paused time grows, deadline moves', () => {
    const clock = SlaClock.start(4 * HOUR, 0.75, T0);
    clock.pause('awaiting_requester', T0 + HOUR);
    const stored = clock.snapshot(T0 + HOUR);
    const later = clockAt(stored, 0.75, T0 + 10 * HOUR);
    expect(later.state).toBe('paused');
    expect(later.remainingMs).toBe(3 * HOUR);
    expect(later.pausedMs).toBe(9 * HOUR);
    expect(later.pausedByReason).toEqual({ awaiting_requester: 9 * HOUR });
    expect(later.deadline).toBe(new Date(T0 + 13 * HOUR).toISOString());
    expect(later).toEqual(live(clock, T0 + 10 * HOUR));
  });

  it('counts a resumed clock from its resumption, keeping closed pauses', () => {
    const clock = SlaClock.start(4 * HOUR, 0.75, T0);
    clock.pause('legal_process', T0 + HOUR);
    clock.resume(T0 + 2 * HOUR);
    const stored = clock.snapshot(T0 + 2 * HOUR);
    expect(clockAt(stored, 0.75, T0 + 3 * HOUR)).toEqual(live(clock, T0 + 3 * HOUR));
    expect(clockAt(stored, 0.75, T0 + 3 * HOUR).remainingMs).toBe(2 * HOUR);
  });

  it('leaves a met clock as it was', () => {
    const clock = SlaClock.start(4 * HOUR, 0.75, T0);
    clock.meet(T0 + HOUR);
    const stored = clock.snapshot(T0 + HOUR);
    expect(clockAt(stored, 0.75, T0 + 100 * HOUR)).toEqual(stored);
  });

  it('never runs backwards when the reader is behind the snapshot', () => {
    const clock = SlaClock.start(4 * HOUR, 0.75, T0);
    const stored = clock.snapshot(T0 + HOUR);
    expect(clockAt(stored, 0.75, T0).remainingMs).toBe(3 * HOUR);
  });
});
