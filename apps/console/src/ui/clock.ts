import type { ClockView } from '../api/models';

// Pure clock arithmetic for the SLA bars (unit-tested in test/console/).

export type ClockTone = 'ok' | 'warning' | 'breached' | 'paused' | 'met';

/** Time left: counted down from the deadline while running, as the API last said otherwise. */
export function remaining(clock: ClockView, now: number): number {
  return clock.state === 'running' ? new Date(clock.deadline).getTime() - now : clock.remainingMs;
}

/** Which colour a clock shows: amber from the warning threshold, red at breach, grey when paused. */
export function clockTone(clock: ClockView, warnAt: number, now: number): ClockTone {
  if (clock.state === 'met') return 'met';
  if (clock.state === 'paused') return 'paused';
  const left = remaining(clock, now);
  if (clock.state === 'breached' || left <= 0) return 'breached';
  return 1 - left / clock.budgetMs >= warnAt ? 'warning' : 'ok';
}

/** "2 h 05 min", "-3 min 10 s": time left (negative past the deadline). */
export function duration(ms: number): string {
  const sign = ms < 0 ? '-' : '';
  let s = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(s / 86400);
  s -= d * 86400;
  const h = Math.floor(s / 3600);
  s -= h * 3600;
  const m = Math.floor(s / 60);
  s -= m * 60;
  if (d > 0) return `${sign}${d} d ${h} h`;
  if (h > 0) return `${sign}${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${sign}${m} min ${String(s).padStart(2, '0')} s`;
  return `${sign}${s} s`;
}
