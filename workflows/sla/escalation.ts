import { condition } from '@temporalio/workflow';

// The escalation ladder: notify a level, wait its delay for an acknowledgement, climb;
// after the top, start again from the bottom, a bounded number of loops.

export interface LadderLevel {
  /** What the level stands for, e.g. 'assigned_officer', 'regional_coordinator', 'supervisor'. */
  name: string;
  /** How long to wait at this level before climbing. */
  delayMs: number;
}

export interface LadderPlan {
  levels: LadderLevel[];
  loops: number;
}

export type LadderOutcome = 'stopped' | 'exhausted';

/** What `notify` may answer: 'skip' when nobody stands at that level (a short contact chain). */
export type NotifyResult = void | 'skip';

/** Where a ladder stands: the level of `loop` and `index`, notified at `notifiedAt` (null: not yet). */
export interface LadderProgress {
  loop: number;
  index: number;
  notifiedAt: number | null;
}

export const ladderStart = (): LadderProgress => ({ loop: 0, index: 0, notifiedAt: null });

/**
 * Walks the ladder until `stop()` turns true (acknowledged or resolved) or the loops run out.
 * `notify` is called once per level and loop; it is where the activity sends the page. A level
 * it skips is climbed at once, without waiting its delay.
 * `progress` is kept up to date, so a workflow that continues as new resumes where it was
 * (a level already notified is not paged again; its wait goes on for what is left of it).
 */
export async function walkLadder(
  plan: LadderPlan,
  stop: () => boolean,
  notify: (level: LadderLevel, index: number, loop: number) => Promise<NotifyResult>,
  progress: LadderProgress = ladderStart(),
): Promise<LadderOutcome> {
  for (; progress.loop < plan.loops; progress.loop++, progress.index = 0) {
    for (; progress.index < plan.levels.length; progress.index++) {
      if (stop()) return 'stopped';
      const level = plan.levels[progress.index];
      if (progress.notifiedAt === null) {
        if ((await notify(level, progress.index, progress.loop)) === 'skip') continue;
        progress.notifiedAt = Date.now();
      }
      if (await condition(stop, Math.max(1, level.delayMs - (Date.now() - progress.notifiedAt)))) return 'stopped';
      progress.notifiedAt = null;
    }
  }
  return stop() ? 'stopped' : 'exhausted';
}

/** Pager-like alert state kept by a workflow: acknowledged for a while, or resolved for good. */
export interface PagedAlert {
  id: string;
  acknowledged: boolean;
  resolved: boolean;
  /** Bumped on each acknowledgement so a later one restarts the expiry wait. */
  ackCount: number;
  /** When the last acknowledgement came (its expiry counts from there). */
  ackedAt?: number | null;
  /** Re-arm round and ladder position: carried across continue-as-new. */
  round?: number;
  progress?: LadderProgress;
}

export interface PagerHooks {
  notify: (level: LadderLevel, index: number, loop: number, round: number) => Promise<void>;
  /** Called when an acknowledgement expired while the condition still holds. */
  rearm: (round: number) => Promise<void>;
}

/**
 * Runs one alert to its end: the ladder until acknowledged or resolved; an acknowledgement
 * lasts `ackExpiryMs`, after which the alert re-arms and the ladder starts again, like an
 * on-call pager. Returns when the alert is resolved (the condition it reports is gone).
 * An exhausted ladder waits quietly for an acknowledgement or the resolution.
 * Resumes from the alert's round and progress when they are set (after continue-as-new).
 */
export async function runPager(alert: PagedAlert, plan: LadderPlan, ackExpiryMs: number, hooks: PagerHooks): Promise<void> {
  for (alert.round ??= 0; !alert.resolved; alert.round++) {
    const round = alert.round;
    alert.progress ??= ladderStart();
    const outcome = await walkLadder(
      plan,
      () => alert.acknowledged || alert.resolved,
      (level, index, loop) => hooks.notify(level, index, loop, round),
      alert.progress,
    );
    if (outcome === 'exhausted') await condition(() => alert.acknowledged || alert.resolved);
    if (alert.resolved) return;
    // Acknowledged: hold until it expires or the alert is resolved.
    let seen = -1;
    while (!alert.resolved && seen !== alert.ackCount) {
      seen = alert.ackCount;
      const since = alert.ackedAt ?? Date.now();
      await condition(() => alert.resolved || alert.ackCount !== seen, Math.max(1, ackExpiryMs - (Date.now() - since)));
    }
    if (alert.resolved) return;
    alert.acknowledged = false;
    alert.ackedAt = null;
    alert.progress = ladderStart();
    await hooks.rearm(round + 1);
  }
}
