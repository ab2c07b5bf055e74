import type { EmbeddedPostgres } from '../../apps/launcher/embedded-postgres';
import type { TemporalDevServer } from '../../apps/launcher/temporal-dev-server';

export default async function globalTeardown(): Promise<void> {
  const infra = (globalThis as Record<string, unknown>).__cyberopsTestInfra as
    | { postgres: EmbeddedPostgres; temporal: TemporalDevServer }
    | undefined;
  if (!infra) return;
  await infra.temporal.stop();
  await infra.postgres.stop();
}
