// npm run audit:verify: recomputes the audit trail's hash chain and names the first broken link.
// Reads DATABASE_URL (the application role can read the trail), else the `npm start` stack's database.
import path from 'node:path';
import { Client } from 'pg';
import { APP_DATABASE_ROLE } from '../launcher/migrate';
import { SECRETS_FILE, type DevSecrets } from '../launcher/secrets';

const GENESIS = '0'.repeat(64);
const BATCH = 5_000;

export interface VerifyResult {
  rows: number;
  head: string;
  /** The first row whose link or content does not match, with why. */
  broken?: { id: string; problem: string };
}

export async function verifyAuditChain(databaseUrl: string): Promise<VerifyResult> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    let previous = GENESIS;
    let previousId: string | null = null;
    let lastId = '0';
    let rows = 0;
    for (;;) {
      // The digest is the database's own function: one definition of a row's canonical form.
      const batch = await client.query<{ id: string; prevHash: string | null; hash: string | null; expected: string }>(
        `SELECT e."id"::text AS id, e."prevHash", e."hash", "audit_event_digest"(e) AS expected
           FROM "AuditEvent" e WHERE e."id" > $1::bigint ORDER BY e."id" LIMIT ${BATCH}`,
        [lastId],
      );
      for (const row of batch.rows) {
        if (row.prevHash !== previous) {
          const after = previousId === null ? 'the start of the trail' : `row ${previousId}`;
          return { rows, head: previous, broken: { id: row.id, problem: `its link does not match ${after} (a row was removed, inserted or rewritten before it)` } };
        }
        if (row.hash !== row.expected) {
          return { rows, head: previous, broken: { id: row.id, problem: 'its content does not match its hash (changed after it was written)' } };
        }
        previous = row.hash;
        previousId = row.id;
        rows += 1;
      }
      if (batch.rows.length < BATCH) return { rows, head: previous };
      lastId = batch.rows[batch.rows.length - 1].id;
    }
  } finally {
    await client.end();
  }
}

/** The dev stack's application URL, from the secrets `npm start` generated. */
async function devStackUrl(): Promise<string | undefined> {
  const fs = await import('node:fs');
  const dataDir = path.resolve(process.env.DATA_DIR || '.data');
  try {
    const secrets = JSON.parse(fs.readFileSync(path.join(dataDir, SECRETS_FILE), 'utf8')) as DevSecrets;
    const port = process.env.EMBEDDED_PG_PORT || '5433';
    return `postgresql://${APP_DATABASE_ROLE}:${encodeURIComponent(secrets.pgAppPassword)}@127.0.0.1:${port}/cyberops`;
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL || (await devStackUrl());
  if (!url) throw new Error('set DATABASE_URL (or run npm start once so the dev stack exists)');
  const result = await verifyAuditChain(url);
  if (result.broken) {
    process.stderr.write(`audit trail BROKEN at AuditEvent id ${result.broken.id}: ${result.broken.problem}; ${result.rows} rows before it verified\n`);
    process.exit(1);
  }
  process.stdout.write(`audit trail intact: ${result.rows} rows, head ${result.head}\n`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    process.stderr.write(`audit:verify failed: ${error.message}\n`);
    process.exit(2);
  });
}
