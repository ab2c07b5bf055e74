import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { verifyAuditChain } from '../../apps/cli/audit-verify';
import { testInfra } from '../setup/test-infra';

const ROOT = path.resolve(__dirname, '..', '..');

async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}

const insert = (client: Client, objectId: string, rows = 1) =>
  client.query(
    `INSERT INTO "AuditEvent" ("actorSub","actorRole","action","objectType","objectId","afterState")
     SELECT 'audit-test','admin','test','audit-test',$1, 'state-' || n FROM generate_series(1, $2::int) n`,
    [objectId, rows],
  );

/** `npm run audit:verify` as an operator runs it, against the application's connection string. */
function runVerify(): { status: number | null; out: string } {
  const result = spawnSync('npm', ['run', '--silent', 'audit:verify'], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: testInfra().databaseUrl },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, out: `${result.stdout}${result.stderr}` };
}

describe('audit trail: least privilege and hash chain', () => {
  let app: Client;
  let owner: Client;

  beforeAll(async () => {
    app = await connect(testInfra().databaseUrl);
    owner = await connect(testInfra().ownerDatabaseUrl);
  });

  afterAll(async () => {
    await app.end();
    await owner.end();
  });

  it('lets the application role append and read, and nothing else on the trail', async () => {
    expect((await app.query('SELECT current_user AS u')).rows[0].u).toBe('cyberops_app');
    await insert(app, 'privileges');
    expect((await app.query(`SELECT count(*)::int AS n FROM "AuditEvent" WHERE "objectId" = 'privileges'`)).rows[0].n).toBe(1);
    await expect(app.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER ALL`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_hash_chain"`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`DROP TRIGGER "AuditEvent_append_only" ON "AuditEvent"`)).rejects.toThrow(/must be owner/);
    await expect(app.query(`UPDATE "AuditEvent" SET "action" = 'rewritten' WHERE "objectId" = 'privileges'`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`DELETE FROM "AuditEvent" WHERE "objectId" = 'privileges'`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`SET session_replication_role = replica`)).rejects.toThrow(/permission denied/);
    await expect(app.query(`CREATE OR REPLACE FUNCTION "audit_event_digest"(e "AuditEvent") RETURNS TEXT LANGUAGE sql AS $$ SELECT 'x' $$`)).rejects.toThrow(/must be owner|permission denied/);
  });

  it('chains every row to the previous one, also under concurrent and multi-row appends', async () => {
    const writers = await Promise.all(Array.from({ length: 8 }, () => connect(testInfra().databaseUrl)));
    try {
      // Each writer holds its transaction open a moment after appending, so they interleave.
      await Promise.all(
        writers.map(async (w, i) => {
          for (let k = 0; k < 5; k += 1) {
            await w.query('BEGIN');
            await insert(w, `concurrent-${i}`, 1 + (k % 3));
            await new Promise((r) => setTimeout(r, 5));
            await w.query('COMMIT');
          }
        }),
      );
    } finally {
      await Promise.all(writers.map((w) => w.end()));
    }
    const rows = (await app.query<{ prevHash: string; hash: string }>(`SELECT "prevHash", "hash" FROM "AuditEvent" ORDER BY "id"`)).rows;
    expect(rows.length).toBeGreaterThan(8 * 5);
    for (let i = 1; i < rows.length; i += 1) expect(rows[i].prevHash).toBe(rows[i - 1].hash);
    const result = await verifyAuditChain(testInfra().databaseUrl);
    expect(result.broken).toBeUndefined();
    expect(result.rows).toBe(rows.length);
  });

  it('audit:verify names the row whose content was changed, and the row after one that was removed', async () => {
    await insert(app, 'tamper', 3);
    const ids = (await owner.query<{ id: string }>(`SELECT "id"::text AS id FROM "AuditEvent" WHERE "objectId" = 'tamper' ORDER BY "id"`)).rows.map((r) => r.id);
    expect(runVerify().status).toBe(0);

    // Content: the owner (only it can) switches the guard off and rewrites the middle row.
    await owner.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`);
    try {
      await owner.query(`UPDATE "AuditEvent" SET "afterState" = 'forged' WHERE "id" = $1`, [ids[1]]);
      const broken = runVerify();
      expect(broken.status).toBe(1);
      expect(broken.out).toContain(`AuditEvent id ${ids[1]}: its content does not match`);
      await owner.query(`UPDATE "AuditEvent" SET "afterState" = 'state-2' WHERE "id" = $1`, [ids[1]]);
      expect(runVerify().status).toBe(0);

      // Removal: the next row's link no longer matches.
      const saved = (await owner.query(`SELECT * FROM "AuditEvent" WHERE "id" = $1`, [ids[1]])).rows[0];
      await owner.query(`DELETE FROM "AuditEvent" WHERE "id" = $1`, [ids[1]]);
      const gap = runVerify();
      expect(gap.status).toBe(1);
      expect(gap.out).toContain(`AuditEvent id ${ids[2]}: its link does not match row ${ids[0]}`);
      // Put the row back exactly as it was (chain trigger off, so its id and hashes are kept).
      await owner.query(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_hash_chain"`);
      const columns = Object.keys(saved);
      await owner.query(
        `INSERT INTO "AuditEvent" (${columns.map((c) => `"${c}"`).join(',')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(',')})`,
        columns.map((c) => saved[c]),
      );
    } finally {
      await owner.query(`ALTER TABLE "AuditEvent" ENABLE TRIGGER ALL`);
    }
    expect(runVerify()).toEqual({ status: 0, out: expect.stringContaining('audit trail intact') });
  });
});
