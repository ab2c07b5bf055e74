import fs from 'node:fs';
import path from 'node:path';
import { TEST_DATA_ROOT } from './test-infra';
import type { EmbeddedPostgres } from '../../apps/launcher/embedded-postgres';
import type { TemporalDevServer } from '../../apps/launcher/temporal-dev-server';

export default async function globalTeardown(): Promise<void> {
  const infra = (globalThis as Record<string, unknown>).__cyberopsTestInfra as
    | { postgres: EmbeddedPostgres; temporal: TemporalDevServer }
    | undefined;
  if (!infra) return;
  await infra.temporal.stop();
  await infra.postgres.destroy(); // also a cluster relocated for the postgres user (root under a 0700 folder)
  fs.rmSync(path.join(TEST_DATA_ROOT, `run-${process.pid}`), { recursive: true, force: true });
}
