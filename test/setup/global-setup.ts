import fs from 'node:fs';
import path from 'node:path';
import { EmbeddedPostgres } from '../../apps/launcher/embedded-postgres';
import { migrateAndSeed, provisionAppRole } from '../../apps/launcher/migrate';
import { generateSecrets } from '../../apps/launcher/secrets';
import { freePort, TemporalDevServer } from '../../apps/launcher/temporal-dev-server';
import { TEST_DATA_ROOT, TEST_DATABASE, TestInfra } from './test-infra';

// Starts a real PostgreSQL (fresh cluster) and a real Temporal dev server (in memory) once
// for the whole run; tests reach them through CYBEROPS_TEST_INFRA. Every secret is random
// for this run, and the app connects as the least-privilege role, as in production.
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  removeFinishedRuns();
  const runDir = path.join(TEST_DATA_ROOT, `run-${process.pid}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  fs.mkdirSync(runDir, { recursive: true });
  const secrets = generateSecrets();
  const pgPort = await freePort();
  const pgDataDir = path.join(runDir, 'postgres');
  const postgres = new EmbeddedPostgres({ dataDir: pgDataDir, port: pgPort, database: TEST_DATABASE, password: secrets.pgOwnerPassword });
  const temporal = new TemporalDevServer({
    port: await freePort(),
    namespace: 'default',
    logFile: path.join(runDir, 'temporal.log'),
  });
  await postgres.initialise();
  await Promise.all([postgres.start(), temporal.start()]);
  await migrateAndSeed(postgres.connectionString);
  const appUrl = await provisionAppRole(postgres.connectionString, secrets.pgAppPassword);
  const infra: TestInfra = {
    databaseUrl: appUrl,
    ownerDatabaseUrl: postgres.connectionString,
    temporalAddress: temporal.address,
    pgDataDir,
    pgPort,
    pgPassword: secrets.pgOwnerPassword,
    jwtSecret: secrets.jwtSecret,
    webhookSecret: secrets.webhookSecret,
  };
  process.env.CYBEROPS_TEST_INFRA = JSON.stringify(infra);
  (globalThis as Record<string, unknown>).__cyberopsTestInfra = { postgres, temporal };
  process.stdout.write(`\ntest infrastructure: PostgreSQL :${pgPort}, Temporal ${temporal.address} (${Date.now() - started} ms)\n`);
}

/** Folders of earlier runs whose process is gone (a run killed before its teardown). */
function removeFinishedRuns(): void {
  if (!fs.existsSync(TEST_DATA_ROOT)) return;
  for (const entry of fs.readdirSync(TEST_DATA_ROOT)) {
    const pid = Number(/^run-(\d+)$/.exec(entry)?.[1]);
    if (!pid) {
      fs.rmSync(path.join(TEST_DATA_ROOT, entry), { recursive: true, force: true });
      continue;
    }
    try {
      process.kill(pid, 0);
    } catch {
      fs.rmSync(path.join(TEST_DATA_ROOT, entry), { recursive: true, force: true });
    }
  }
}
