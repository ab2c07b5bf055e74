import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { loadConfig } from '../config/config';
import { createPrismaClient } from '../../prisma/client';
import { ensureSearchAttributes } from './search-attributes';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  Runtime.install({ telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } } });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  const prisma = createPrismaClient(config.DATABASE_URL, config.WORKER_MAX_CONCURRENT_ACTIVITIES);
  const { worker, close } = await createWorker({ config, connection, prisma });
  // Worker.run() handles SIGINT/SIGTERM: stops polling, lets in-flight tasks finish, then resolves.
  await worker.run();
  await close();
  await prisma.$disconnect();
  await connection.close();
}

main().catch((error: Error) => {
  if (error.name === 'ConfigError') console.error(error.message);
  else console.error(error);
  process.exit(1);
});
