// One launcher per data directory, and the processes a killed launcher (kill -9, OOM) left
// behind: recorded, then stopped on the next start so their ports and files are free again.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { LauncherError, say } from './errors';

/** Alive and not a zombie (an orphan's zombie lingers where pid 1 does not reap). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const state = processInfo(pid);
  return state === null ? true : !state.stat.startsWith('Z');
}

/** `ps` view of a process; null when ps cannot tell (the process is then assumed alive). */
export function processInfo(pid: number): { stat: string; command: string } | null {
  const result = spawnSync('ps', ['-o', 'stat=,command=', '-p', String(pid)], { encoding: 'utf8' });
  if (result.error) return null;
  const match = /^\s*(\S+)\s+(.*)$/s.exec(result.stdout.trim());
  return match ? { stat: match[1], command: match[2] } : { stat: 'Z', command: '' };
}

/** Takes the lock; true when it took over from a launcher that died without cleaning up. */
export function acquireLock(pidFile: string): boolean {
  let tookOver = false;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      fs.writeFileSync(pidFile, `${process.pid}\n`, { flag: 'wx' });
      return tookOver;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(fs.readFileSync(pidFile, 'utf8').trim(), 10);
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
      throw new LauncherError(`another instance is running (pid ${owner}); stop it first`);
    }
    // Stale (the previous launcher was killed): take it over.
    fs.rmSync(pidFile, { force: true });
    tookOver = true;
  }
  throw new LauncherError(`could not take the lock ${pidFile}`);
}

export function releaseLock(pidFile: string): void {
  try {
    if (fs.readFileSync(pidFile, 'utf8').trim() === String(process.pid)) fs.rmSync(pidFile, { force: true });
  } catch {
    // already gone
  }
}

export interface Recorded {
  name: string;
  pid: number;
  /** A fragment of its command line, so a recycled pid is never signalled. */
  marker: string;
}

/** The live processes of this launcher, rewritten whenever one starts or restarts. */
export class ProcessRecord {
  private readonly entries = new Map<string, Recorded>();

  constructor(private readonly file: string) {}

  set(entry: Recorded): void {
    this.entries.set(entry.name, entry);
    fs.writeFileSync(this.file, `${JSON.stringify([...this.entries.values()], null, 2)}\n`);
  }

  clear(): void {
    fs.rmSync(this.file, { force: true });
  }
}

export async function stopLeftovers(file: string): Promise<void> {
  let recorded: Recorded[] = [];
  try {
    recorded = JSON.parse(fs.readFileSync(file, 'utf8')) as Recorded[];
  } catch {
    return;
  }
  // Reverse start order: API, worker, then the Temporal dev server.
  for (const { name, pid, marker } of recorded.reverse()) {
    const cmd = isAlive(pid) ? processInfo(pid)?.command : null;
    if (!cmd || !cmd.includes(marker)) continue;
    say(`stopping the ${name} (pid ${pid}) left running by a previous launcher`);
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + 5_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  fs.rmSync(file, { force: true });
}
