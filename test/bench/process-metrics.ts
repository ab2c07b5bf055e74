import fs from 'node:fs';

// Memory of the product's processes, read from outside as an operator would (Linux).

/** Resident memory of a process, in bytes. */
export function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return kb ? Number(kb[1]) * 1024 : 0;
}

/** Workflows in a worker's sticky cache, from its Prometheus endpoint (WORKER_METRICS_ADDRESS). */
export async function stickyCacheSize(metricsUrl: string): Promise<number> {
  const text = await (await fetch(metricsUrl)).text();
  return [...text.matchAll(/^temporal_sticky_cache_size(?:\{[^}]*\})? (\S+)$/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}
