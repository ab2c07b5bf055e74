// The launcher's resource stack: every service it runs has the same four verbs (start, stop,
// kill, and an exit notice), is stopped in reverse start order, and, when supervised, is
// restarted with backoff after a crash until the crash-loop limit is reached.
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import { complain, say, seconds } from './errors';

export interface Service {
  readonly name: string;
  start(): Promise<void>;
  /** Graceful, then forced once `graceMs` is spent; returns at once if already down. */
  stop(graceMs: number): Promise<void>;
  /** SIGKILL now, synchronously (forced exit). */
  kill(): void;
  readonly pid?: number;
  /** Set for processes the launcher supervises: called on each exit it did not ask for. */
  onExit?(listener: (reason: string) => void): void;
}

/** Backoff 1 s, 2 s, 4 s … up to 30 s; more than `limit` crashes within `windowMs` is a crash loop. */
export class RestartPolicy {
  private crashes: number[] = [];

  constructor(
    readonly limit: number,
    readonly windowMs: number,
    private readonly baseDelayMs = 1_000,
    private readonly maxDelayMs = 30_000,
  ) {}

  /** Records a crash now; the delay before the next start, or null to give up. */
  next(now = Date.now()): { delayMs: number; attempt: number } | null {
    this.crashes = [...this.crashes.filter((t) => now - t < this.windowMs), now];
    const attempt = this.crashes.length;
    if (attempt > this.limit) return null;
    return { delayMs: Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (attempt - 1)), attempt };
  }
}

/**
 * Services in start order; each layer's services stop together (API and worker), layers in
 * reverse. Every stop shares one deadline, so a stop never takes longer than promised.
 */
export class ResourceStack {
  private readonly layers: Service[][] = [];
  private stopping = false;
  private readonly restarting = new Set<string>();

  constructor(private readonly policy: () => RestartPolicy) {}

  get isStopping(): boolean {
    return this.stopping;
  }

  /** Starts a layer; supervised services are restarted on crash, `giveUp` is called on a crash loop. */
  async start(layer: Service[], giveUp: (reason: string) => void, onRestart?: (service: Service) => void): Promise<void> {
    this.layers.push(layer);
    for (const service of layer) {
      const policy = this.policy();
      const onCrash = (reason: string) => {
        if (this.stopping || this.restarting.has(service.name)) return;
        const next = policy.next();
        if (!next) {
          giveUp(`${service.name} crashed ${policy.limit + 1} times within ${seconds(policy.windowMs)} (last: ${reason}); giving up`);
          return;
        }
        complain(
          `${service.name} exited unexpectedly (${reason}); restarting in ${seconds(next.delayMs)} ` +
            `(crash ${next.attempt}; more than ${policy.limit} within ${seconds(policy.windowMs)} stops everything)`,
        );
        this.restarting.add(service.name);
        setTimeout(() => {
          if (this.stopping) return;
          const t = Date.now();
          service.start().then(
            () => {
              this.restarting.delete(service.name);
              say(`${service.name} restarted (pid ${service.pid ?? '?'}) in ${seconds(Date.now() - t)}`);
              onRestart?.(service);
            },
            (error: Error) => {
              // A failed start is one more crash: same policy, same backoff.
              this.restarting.delete(service.name);
              onCrash(`restart failed: ${error.message}`);
            },
          );
        }, next.delayMs);
      };
      service.onExit?.(onCrash);
    }
    // An exit during the first start is that start's failure, reported by its promise.
    for (const s of layer) this.restarting.add(s.name);
    try {
      await Promise.all(layer.map((s) => s.start()));
    } finally {
      for (const s of layer) this.restarting.delete(s.name);
    }
  }

  /** Stops everything, in reverse order, within `budgetMs` in all. */
  async stopAll(budgetMs: number): Promise<void> {
    this.stopping = true;
    const deadline = Date.now() + budgetMs;
    for (const layer of [...this.layers].reverse()) {
      const grace = Math.max(500, Math.floor((deadline - Date.now()) / 2));
      await Promise.all(
        layer.map((s) =>
          s.stop(grace).catch((error: Error) => complain(`stopping ${s.name} failed: ${error.message}`)),
        ),
      );
    }
  }

  killAll(): void {
    this.stopping = true;
    for (const layer of this.layers) for (const s of layer) s.kill();
  }
}

/** A Node.js child process (worker, API) with its output prefixed by its name. */
export class NodeChild implements Service {
  private child?: ChildProcess;
  private exitListener?: (reason: string) => void;
  private expectExit = false;

  constructor(
    readonly name: string,
    private readonly command: { script: string; execArgv: string[] },
    private readonly env: NodeJS.ProcessEnv,
    private readonly cwd: string,
    private readonly onPid?: (pid: number) => void,
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  onExit(listener: (reason: string) => void): void {
    this.exitListener = listener;
  }

  async start(): Promise<void> {
    if (!fs.existsSync(this.command.script)) throw new Error(`${this.command.script} is missing; run npm run build`);
    this.expectExit = false;
    const child = spawn(process.execPath, [...this.command.execArgv, this.command.script], {
      cwd: this.cwd,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Own process group: a terminal Ctrl-C reaches only the launcher, which stops children in order.
      detached: true,
    });
    this.child = child;
    for (const [stream, out] of [
      [child.stdout!, process.stdout],
      [child.stderr!, process.stderr],
    ] as const) {
      readline.createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`[${this.name}] ${line}\n`));
    }
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    if (child.pid) this.onPid?.(child.pid);
    child.once('exit', (code, signal) => {
      if (this.expectExit || child !== this.child) return;
      this.exitListener?.(signal ? `signal ${signal}` : `code ${code}`);
    });
  }

  async stop(graceMs: number): Promise<void> {
    const child = this.child;
    this.expectExit = true;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    say(`stopping ${this.name} (pid ${child.pid})`);
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        complain(`${this.name} did not stop within ${seconds(graceMs)}; killing it`);
        child.kill('SIGKILL');
      }, graceMs);
      child.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  kill(): void {
    this.expectExit = true;
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
}
