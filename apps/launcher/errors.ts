/** An operator mistake or a stop with a reason: printed as one line (no stack), exit 1. */
export class LauncherError extends Error {
  override name = 'LauncherError';
}

export const say = (line: string) => process.stdout.write(`[launcher] ${line}\n`);
export const complain = (line: string) => process.stderr.write(`[launcher] ${line}\n`);

export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
