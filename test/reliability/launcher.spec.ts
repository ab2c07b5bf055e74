import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mintToken } from '../../apps/api/auth/tokens';
import { freePort } from '../../apps/launcher/temporal-dev-server';
import { EmbeddedPostgres } from '../../apps/launcher/embedded-postgres';
import { isAlive as alive } from '../../apps/launcher/lock';
import type { DevSecrets } from '../../apps/launcher/secrets';

// `npm start` as a user runs it, from a data folder under a fresh 0700 directory (as root,
// PostgreSQL then cannot run in place): kill -9 each supervised process in turn and see the
// stack heal; one SIGINT stops everything within 10 s; a crash loop stops everything with the reason.
const ROOT = path.resolve(__dirname, '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Launcher {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function launch(env: NodeJS.ProcessEnv): Launcher {
  const child = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', 'apps/launcher/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function waitForOutput(l: Launcher, pattern: RegExp, ms: number, from = 0): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pattern.test(l.output().slice(from))) return;
    if (l.child.exitCode !== null) break;
    await sleep(200);
  }
  throw new Error(`launcher output never matched ${pattern}:\n${l.output().slice(-4000)}`);
}


describe('launcher: heals crashed processes, stops on one Ctrl-C, gives up on a crash loop', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyberops-launcher-')); // mode 0700, like mktemp -d
  const dataDir = path.join(dir, 'data');
  let ports: Record<string, string>;
  let running: Launcher | undefined;

  const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => {
    const clean = { ...process.env };
    for (const name of ['DATABASE_URL', 'MIGRATION_DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL', 'JWT_SECRET', 'WEBHOOK_SIGNING_SECRET', 'JWT_JWKS_URL', 'HOST', 'CYBEROPS_TEST_INFRA']) delete clean[name];
    return { ...clean, ...ports, DATA_DIR: dataDir, LOG_LEVEL: 'warn', ...extra };
  };
  const pids = (): Record<string, number> =>
    Object.fromEntries((JSON.parse(fs.readFileSync(path.join(dataDir, 'launcher.processes.json'), 'utf8')) as Array<{ name: string; pid: number }>).map((p) => [p.name, p.pid]));
  const api = (p: string, init?: RequestInit) => fetch(`http://127.0.0.1:${ports.PORT}${p}`, init);
  const ready = async () => (await api('/health/ready').catch(() => ({ status: 0 }))).status;
  const waitReady = async (ms: number) => {
    const end = Date.now() + ms;
    while (Date.now() < end) {
      if ((await ready()) === 200) return;
      await sleep(250);
    }
    throw new Error(`not ready again within ${ms} ms:\n${running?.output().slice(-3000)}`);
  };

  beforeAll(async () => {
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    ports = {
      PORT: String(await freePort()),
      EMBEDDED_PG_PORT: String(await freePort()),
      TEMPORAL_PORT: String(await freePort()),
      TEMPORAL_UI_PORT: String(await freePort()),
      DEV_MAILBOX_PORT: String(await freePort()),
    };
  });

  afterAll(async () => {
    if (running && running.child.exitCode === null) {
      running.child.kill('SIGINT');
      await running.exited;
    }
    // Also the cluster relocated for the postgres user (root under a 0700 folder).
    await new EmbeddedPostgres({ dataDir: path.join(dataDir, 'postgres'), port: Number(ports.EMBEDDED_PG_PORT), database: 'cyberops' }).destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('restarts the worker, the API and the Temporal dev server after kill -9, then stops everything on one SIGINT', async () => {
    running = launch(env());
    const l = running;
    await waitForOutput(l, /engine is ready/, 240_000);
    expect(await ready()).toBe(200);

    // Secrets: generated, private, never printed.
    const secretsFile = path.join(dataDir, 'secrets.json');
    expect(fs.statSync(secretsFile).mode & 0o777).toBe(0o600);
    const secrets = JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as DevSecrets;
    for (const value of Object.values(secrets)) {
      expect(value.length).toBeGreaterThanOrEqual(64);
      expect(l.output()).not.toContain(value);
    }
    expect(l.output()).toContain('npm run token -- --role member --country PH');

    const member = await mintToken({ sub: 'officer@nrp.ph', role: 'member', country: 'PH' }, secrets.jwtSecret);
    const submit = async (title: string) => {
      const response = await api('/api/v1/support-requests', {
        method: 'POST',
        headers: { authorization: `Bearer ${member}`, 'content-type': 'application/json' },
        body: JSON.stringify({ category: 'botnet', mode: 'remote', priority: 'P3', title, description: 'launcher healing test', indicators: [{ type: 'ipv4', value: '198.51.100.9' }] }),
      });
      expect({ title, status: response.status }).toEqual({ title, status: 201 });
      return ((await response.json()) as { id: string }).id;
    };
    const first = await submit('before any crash');

    // Worker: restarted, and it runs workflows again (a submission needs it to answer).
    let mark = l.output().length;
    process.kill(pids().worker, 'SIGKILL');
    await waitForOutput(l, /worker exited unexpectedly \(signal SIGKILL\); restarting in 1\.0 s/, 10_000, mark);
    await waitForOutput(l, /worker restarted \(pid \d+\)/, 30_000, mark);
    await submit('after the worker crashed');

    // API: restarted, readiness returns.
    mark = l.output().length;
    const oldApi = pids().api;
    process.kill(oldApi, 'SIGKILL');
    await waitForOutput(l, /api exited unexpectedly \(signal SIGKILL\)/, 10_000, mark);
    await waitForOutput(l, /api restarted/, 30_000, mark);
    await waitReady(90_000);
    expect(pids().api).not.toBe(oldApi);

    // Temporal dev server: restarted on its SQLite file; earlier workflows are still there.
    mark = l.output().length;
    process.kill(pids()['Temporal dev server'], 'SIGKILL');
    await waitForOutput(l, /Temporal dev server exited unexpectedly \(signal SIGKILL\)/, 10_000, mark);
    await waitForOutput(l, /Temporal dev server restarted/, 60_000, mark);
    await waitReady(60_000);
    await submit('after Temporal crashed');
    const detail = await api(`/api/v1/support-requests/${first}?consistency=live`, { headers: { authorization: `Bearer ${member}` } });
    expect(detail.status).toBe(200);
    expect(await detail.json()).toMatchObject({ id: first, status: 'submitted', live: true });

    // One SIGINT: everything down within 10 s, nothing left behind.
    const children = Object.values(pids());
    const postmaster = Number.parseInt(fs.readFileSync(path.join(dataDir, 'postgres', 'pgdata', 'postmaster.pid'), 'utf8'), 10);
    const t = Date.now();
    l.child.kill('SIGINT');
    const code = await l.exited;
    const tookMs = Date.now() - t;
    expect(code).toBe(0);
    expect(tookMs).toBeLessThan(10_000);
    for (const pid of [...children, postmaster]) expect({ pid, alive: alive(pid) }).toEqual({ pid, alive: false });
    expect(fs.existsSync(path.join(dataDir, 'launcher.pid'))).toBe(false);
    process.stdout.write(`launcher stopped in ${tookMs} ms after SIGINT\n`);
  }, 420_000);

  it('reuses its secrets and data on restart, and stops with the reason after a crash loop', async () => {
    const before = fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8');
    running = launch(env({ LAUNCHER_RESTART_LIMIT: '1' }));
    const l = running;
    await waitForOutput(l, /engine is ready/, 240_000);
    expect(fs.readFileSync(path.join(dataDir, 'secrets.json'), 'utf8')).toBe(before);
    expect(l.output()).not.toContain('generated the dev stack');

    const children = Object.values(pids());
    process.kill(pids().worker, 'SIGKILL');
    await waitForOutput(l, /worker restarted/, 30_000);
    children.push(pids().worker);
    process.kill(pids().worker, 'SIGKILL');
    const code = await l.exited;
    expect(code).toBe(1);
    expect(l.output()).toMatch(/worker crashed 2 times within 300\.0 s \(last: signal SIGKILL\); giving up/);
    expect(l.output()).toContain('stopped after an error');
    for (const pid of children) expect({ pid, alive: alive(pid) }).toEqual({ pid, alive: false });
  }, 300_000);
});
