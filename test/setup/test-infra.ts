import path from 'node:path';
import { EmbeddedPostgres } from '../../apps/launcher/embedded-postgres';

// Where the test stacks live; each run gets its own folder so two runs never share a cluster.
export const TEST_DATA_ROOT = path.resolve(__dirname, '..', '..', '.data', 'test');
export const TEST_DATABASE = 'cyberops_test';

/** What global setup started, with secrets generated for this run only. */
export interface TestInfra {
  /** The application's least-privilege role (what the API and worker use). */
  databaseUrl: string;
  /** The schema owner (superuser of the test cluster): migrations, fixtures, tampering. */
  ownerDatabaseUrl: string;
  temporalAddress: string;
  pgDataDir: string;
  pgPort: number;
  pgPassword: string;
  jwtSecret: string;
  webhookSecret: string;
}

export function testInfra(): TestInfra {
  const raw = process.env.CYBEROPS_TEST_INFRA;
  if (!raw) throw new Error('test infrastructure is not running: run the tests with `npm test`');
  return JSON.parse(raw) as TestInfra;
}

/** A handle on the run's PostgreSQL cluster, to stop and start it in fault tests. */
export function testPostgres(): EmbeddedPostgres {
  const infra = testInfra();
  return new EmbeddedPostgres({ dataDir: infra.pgDataDir, port: infra.pgPort, database: TEST_DATABASE, password: infra.pgPassword });
}
