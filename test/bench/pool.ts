import { performance } from 'node:perf_hooks';

/** Runs fn(0..n-1) with at most `concurrency` in flight; returns elapsed milliseconds. */
export async function pool(n: number, concurrency: number, fn: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, n) }, async () => {
    while (next < n) {
      const i = next++;
      await fn(i);
    }
  });
  await Promise.all(runners);
  return performance.now() - started;
}
