// A pausable SLA clock. Pure and deterministic: every method takes `now` (workflow time).

export const PAUSE_REASONS = ['awaiting_requester', 'awaiting_partner', 'legal_process'] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];
export type ClockState = 'running' | 'paused' | 'met' | 'breached';
export type Threshold = 'warning' | 'breach';

export interface PauseInterval {
  reason: PauseReason;
  from: string;
  to: string | null;
}

export interface ClockSnapshot {
  budgetMs: number;
  startedAt: string;
  deadline: string;
  usedMs: number;
  remainingMs: number;
  state: ClockState;
  pausedMs: number;
  pausedByReason: Partial<Record<PauseReason, number>>;
  pauses: PauseInterval[];
  warnedAt: string | null;
  breachedAt: string | null;
  metAt: string | null;
}

/** Serializable form, so the clock survives continue-as-new and is easy to test. */
export interface ClockData {
  budgetMs: number;
  warnAt: number;
  startedAt: number;
  usedBeforeMs: number;
  runningSince: number | null;
  pauses: Array<{ reason: PauseReason; from: number; to: number | null }>;
  warnedAt: number | null;
  breachedAt: number | null;
  metAt: number | null;
}

const iso = (ms: number) => new Date(ms).toISOString();

export class SlaClock {
  constructor(readonly data: ClockData) {}

  static start(budgetMs: number, warnAt: number, now: number): SlaClock {
    return new SlaClock({
      budgetMs,
      warnAt,
      startedAt: now,
      usedBeforeMs: 0,
      runningSince: now,
      pauses: [],
      warnedAt: null,
      breachedAt: null,
      metAt: null,
    });
  }

  get running(): boolean {
    return this.data.runningSince !== null;
  }

  get stopped(): boolean {
    return this.data.metAt !== null;
  }

  usedMs(now: number): number {
    const d = this.data;
    return d.usedBeforeMs + (d.runningSince !== null ? now - d.runningSince : 0);
  }

  pause(reason: PauseReason, now: number): void {
    const d = this.data;
    if (d.runningSince === null) return;
    d.usedBeforeMs += now - d.runningSince;
    d.runningSince = null;
    d.pauses.push({ reason, from: now, to: null });
  }

  resume(now: number): void {
    const d = this.data;
    if (d.runningSince !== null || d.metAt !== null) return;
    const open = d.pauses.find((p) => p.to === null);
    if (open) open.to = now;
    d.runningSince = now;
  }

  /** The clock's goal was reached (or the object ended): it stops for good. */
  meet(now: number): void {
    const d = this.data;
    if (d.metAt !== null) return;
    if (d.runningSince !== null) d.usedBeforeMs += now - d.runningSince;
    const open = d.pauses.find((p) => p.to === null);
    if (open) open.to = now;
    d.runningSince = null;
    d.metAt = now;
    this.judgeAt(now);
  }

  /**
   * Thresholds are judged by the instant the goal was reached (when the API received the
   * change), not by when the workflow applied it: a threshold reported by a timer that fired in
   * between is withdrawn, and one crossed but not yet reported is recorded at its crossing.
   */
  private judgeAt(at: number): void {
    const d = this.data;
    const used = d.usedBeforeMs;
    const warnMs = Math.ceil(d.budgetMs * d.warnAt);
    if (d.breachedAt !== null && used < d.budgetMs) d.breachedAt = null;
    if (d.warnedAt !== null && used < warnMs) d.warnedAt = null;
    if (d.warnedAt === null && used >= warnMs) d.warnedAt = at - (used - warnMs);
    if (d.breachedAt === null && used >= d.budgetMs) d.breachedAt = at - (used - d.budgetMs);
  }

  /** A met clock runs again (reopened request), keeping the time already used. */
  restart(now: number): void {
    const d = this.data;
    if (d.metAt === null) return;
    d.metAt = null;
    d.runningSince = now;
  }

  /** When the next threshold will be crossed if nothing changes; null while paused or stopped. */
  nextDueAt(): number | null {
    const d = this.data;
    if (d.runningSince === null) return null;
    const at = (fraction: number) => d.runningSince! + Math.max(0, Math.ceil(d.budgetMs * fraction) - d.usedBeforeMs);
    if (d.warnedAt === null) return at(d.warnAt);
    if (d.breachedAt === null) return at(1);
    return null;
  }

  /** Thresholds crossed by `now` that were not reported yet; marks them reported. */
  takeDue(now: number): Threshold[] {
    const d = this.data;
    if (d.runningSince === null) return [];
    const used = this.usedMs(now);
    const warnMs = Math.ceil(d.budgetMs * d.warnAt);
    const due: Threshold[] = [];
    // Recorded at the instant the threshold was crossed, not when the timer was handled.
    if (d.warnedAt === null && used >= warnMs) {
      d.warnedAt = now - (used - warnMs);
      due.push('warning');
    }
    if (d.breachedAt === null && used >= d.budgetMs) {
      d.breachedAt = now - (used - d.budgetMs);
      due.push('breach');
    }
    return due;
  }

  state(): ClockState {
    const d = this.data;
    if (d.breachedAt !== null) return 'breached';
    if (d.metAt !== null) return 'met';
    return d.runningSince !== null ? 'running' : 'paused';
  }

  snapshot(now: number): ClockSnapshot {
    const d = this.data;
    const used = this.usedMs(now);
    const pausedByReason: Partial<Record<PauseReason, number>> = {};
    let pausedMs = 0;
    for (const p of d.pauses) {
      const ms = (p.to ?? (d.metAt ?? now)) - p.from;
      pausedMs += ms;
      pausedByReason[p.reason] = (pausedByReason[p.reason] ?? 0) + ms;
    }
    const remainingMs = d.budgetMs - used;
    const reference = d.metAt ?? now;
    return {
      budgetMs: d.budgetMs,
      startedAt: iso(d.startedAt),
      // While paused the deadline moves; shown as where it would fall if the clock resumed now.
      deadline: iso(reference + remainingMs),
      usedMs: used,
      remainingMs,
      state: this.state(),
      pausedMs,
      pausedByReason,
      pauses: d.pauses.map((p) => ({ reason: p.reason, from: iso(p.from), to: p.to === null ? null : iso(p.to) })),
      warnedAt: d.warnedAt === null ? null : iso(d.warnedAt),
      breachedAt: d.breachedAt === null ? null : iso(d.breachedAt),
      metAt: d.metAt === null ? null : iso(d.metAt),
    };
  }
}

/**
 * The clock as it stands at `now`, from a snapshot taken earlier (the read model's copy), with the
 * same arithmetic as the workflow: a running clock keeps counting, a paused one moves its deadline,
 * and thresholds crossed since are marked at the instant they were crossed.
 */
export function clockAt(snap: ClockSnapshot, warnAt: number, now: number): ClockSnapshot {
  if (snap.metAt !== null) return snap;
  const ms = (v: string | null) => (v === null ? null : Date.parse(v));
  // Both running and paused snapshots put the deadline at (time taken + remaining).
  const takenAt = Date.parse(snap.deadline) - snap.remainingMs;
  const paused = snap.pauses.some((p) => p.to === null);
  const clock = new SlaClock({
    budgetMs: snap.budgetMs,
    warnAt,
    startedAt: Date.parse(snap.startedAt),
    usedBeforeMs: snap.usedMs,
    runningSince: paused ? null : takenAt,
    pauses: snap.pauses.map((p) => ({ reason: p.reason, from: Date.parse(p.from), to: ms(p.to) })),
    warnedAt: ms(snap.warnedAt),
    breachedAt: ms(snap.breachedAt),
    metAt: null,
  });
  const at = Math.max(now, takenAt);
  for (let due = clock.nextDueAt(); due !== null && due <= at; due = clock.nextDueAt()) clock.takeDue(due);
  return clock.snapshot(at);
}
