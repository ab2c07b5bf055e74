import { spawn } from 'node:child_process';
import fs from 'node:fs';

/** How to (re)start one process of the topology; plain data, so it can be written to the state file. */
export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  env: Record<string, string>;
  cwd: string;
  logFile: string;
}

/** A process of the topology, started detached with its output appended to its log file. */
export class ManagedProcess {
  pid?: number;
  private exit?: Promise<number | null>;

  constructor(readonly spec: ProcessSpec) {}

  start(): this {
    const log = fs.openSync(this.spec.logFile, 'a');
    fs.writeSync(log, `\n--- start ${new Date().toISOString()}\n`);
    const child = spawn(this.spec.command, this.spec.args, {
      cwd: this.spec.cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...this.spec.env },
      stdio: ['ignore', log, log],
      detached: true,
    });
    fs.closeSync(log);
    this.pid = child.pid;
    this.exit = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
    // The test run must not wait on these; teardown stops them by pid.
    child.unref();
    return this;
  }

  get running(): boolean {
    return this.pid !== undefined && isAlive(this.pid);
  }

  /** SIGKILL: no shutdown hook runs, in-flight tasks are lost on this process. */
  async kill(): Promise<void> {
    await this.signal('SIGKILL', 5_000);
  }

  /** SIGTERM, then SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<void> {
    await this.signal('SIGTERM', graceMs);
  }

  async restart(): Promise<void> {
    await this.stop();
    this.start();
  }

  /** Resolves with the exit code if the process ends within `ms`, else null. */
  async exitedWithin(ms: number): Promise<number | null | 'running'> {
    if (!this.exit) return null;
    return Promise.race([this.exit, new Promise<'running'>((r) => setTimeout(() => r('running'), ms).unref())]);
  }

  tail(lines = 40): string {
    try {
      return fs.readFileSync(this.spec.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  private async signal(signal: NodeJS.Signals, graceMs: number): Promise<void> {
    const pid = this.pid;
    if (pid === undefined || !isAlive(pid)) return;
    process.kill(pid, signal);
    const deadline = Date.now() + graceMs;
    while (isAlive(pid)) {
      if (Date.now() > deadline) {
        process.kill(pid, 'SIGKILL');
        await waitGone(pid, 5_000);
        break;
      }
      await sleep(50);
    }
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A zombie (exited, not yet reaped by us) still answers kill(0): look at its state.
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** Stops a process known only by its pid (teardown of what another module started); graceMs 0 = SIGKILL at once. */
export async function stopPid(pid: number, graceMs = 15_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, graceMs > 0 ? 'SIGTERM' : 'SIGKILL');
  if (!(await waitGone(pid, graceMs)) && isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    await waitGone(pid, 5_000);
  }
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(50);
  }
  return !isAlive(pid);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Polls `probe` until it returns a value other than undefined. */
export async function waitUntil<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if ((error as { fatal?: boolean }).fatal) throw error;
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`${what}: not reached in ${timeoutMs} ms${lastError ? ` (${String(lastError)})` : ''}`);
    await sleep(everyMs);
  }
}
