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

/**
 * Walks the ladder until `stop()` turns true (acknowledged or resolved) or the loops run out.
 * `notify` is called once per level and loop; it is where the activity sends the page. A level
 * it skips is climbed at once, without waiting its delay.
 */
export async function walkLadder(
  plan: LadderPlan,
  stop: () => boolean,
  notify: (level: LadderLevel, index: number, loop: number) => Promise<NotifyResult>,
): Promise<LadderOutcome> {
  for (let loop = 0; loop < plan.loops; loop++) {
    for (let index = 0; index < plan.levels.length; index++) {
      if (stop()) return 'stopped';
      const level = plan.levels[index];
      if ((await notify(level, index, loop)) === 'skip') continue;
      if (await condition(stop, level.delayMs)) return 'stopped';
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
 */
export async function runPager(alert: PagedAlert, plan: LadderPlan, ackExpiryMs: number, hooks: PagerHooks): Promise<void> {
  for (let round = 0; !alert.resolved; round++) {
    const outcome = await walkLadder(
      plan,
      () => alert.acknowledged || alert.resolved,
      (level, index, loop) => hooks.notify(level, index, loop, round),
    );
    if (outcome === 'exhausted') await condition(() => alert.acknowledged || alert.resolved);
    if (alert.resolved) return;
    // Acknowledged: hold until it expires or the alert is resolved.
    let seen = -1;
    while (!alert.resolved && seen !== alert.ackCount) {
      seen = alert.ackCount;
      await condition(() => alert.resolved || alert.ackCount !== seen, ackExpiryMs);
    }
    if (alert.resolved) return;
    alert.acknowledged = false;
    await hooks.rearm(round + 1);
  }
}
