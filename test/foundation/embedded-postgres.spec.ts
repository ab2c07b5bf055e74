import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../../apps/launcher/embedded-postgres';
import { generateSecrets } from '../../apps/launcher/secrets';
import { freePort } from '../../apps/launcher/temporal-dev-server';

// Containers and fresh cloud machines run as root from folders the `postgres` user cannot
// enter (/root/x, mktemp -d): the embedded cluster must start there all the same.
describe('embedded PostgreSQL under a 0700 folder', () => {
  it('initialises, starts, answers, restarts with its data and is removed without a trace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyberops-pg-')); // 0700, like mktemp -d
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700);
    const dataDir = path.join(dir, 'clone', '.data', 'postgres');
    const { pgOwnerPassword: password } = generateSecrets();
    const pg = new EmbeddedPostgres({ dataDir, port: await freePort(), database: 'probe', password });
    try {
      await pg.initialise();
      await pg.start();
      const query = async (sql: string) => {
        const client = new Client({ connectionString: pg.connectionString });
        await client.connect();
        try {
          return (await client.query(sql)).rows;
        } finally {
          await client.end();
        }
      };
      await query('CREATE TABLE kept (v text); INSERT INTO kept VALUES (\'survives a restart\')');
      if (process.getuid?.() === 0) {
        // As root the cluster lives where `postgres` can reach it, owned by it, linked from the data folder.
        expect(pg.clusterDir.startsWith(dir)).toBe(false);
        expect(fs.lstatSync(path.join(dataDir, 'pgdata')).isSymbolicLink()).toBe(true);
        expect(fs.readlinkSync(path.join(dataDir, 'pgdata'))).toBe(pg.clusterDir);
        expect(fs.statSync(pg.clusterDir).mode & 0o777).toBe(0o700);
      }
      await pg.stop();
      expect(await pg.isRunning()).toBe(false);
      // A new handle on the same data folder finds the same cluster.
      const again = new EmbeddedPostgres({ dataDir, port: await freePort(), database: 'probe', password });
      await again.start();
      expect(again.clusterDir).toBe(pg.clusterDir);
      const client = new Client({ connectionString: again.connectionString });
      await client.connect();
      expect((await client.query('SELECT v FROM kept')).rows).toEqual([{ v: 'survives a restart' }]);
      await client.end();
      await again.destroy();
      expect(fs.existsSync(pg.clusterDir)).toBe(false);
      expect(fs.existsSync(dataDir)).toBe(false);
    } finally {
      await pg.destroy().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
