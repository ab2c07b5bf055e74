// Durations are written as Temporal writes them ("30s", "4h", "3d"); parsed here without I/O
// so workflows, the API validators and activities agree on one meaning.

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const DURATION = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/;

export function isDuration(text: unknown): text is string {
  return typeof text === 'string' && DURATION.test(text.trim()) && parseDurationMs(text) > 0;
}

export function parseDurationMs(text: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not a duration like "30s", "4h" or "3d"`);
  return Math.round(Number(match[1]) * UNIT_MS[match[2]]);
}

export function formatDurationMs(ms: number): string {
  for (const unit of ['w', 'd', 'h', 'm', 's'] as const) {
    if (ms >= UNIT_MS[unit] && ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}
