import { NativeConnection, Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { loadConfig } from '../config/config';
import { ensureSearchAttributes } from './search-attributes';
import { promoteIfDue } from './deployment';
import { createWorker, createWorkerPrisma } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  Runtime.install({
    telemetryOptions: {
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) },
      // The SDK's own metrics (task latencies, slots, sticky cache) at http://<address>/metrics.
      ...(config.WORKER_METRICS_ADDRESS ? { metrics: { prometheus: { bindAddress: config.WORKER_METRICS_ADDRESS } } } : {}),
    },
  });
  const connection = await NativeConnection.connect({ address: config.TEMPORAL_ADDRESS });
  await ensureSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  const prisma = createWorkerPrisma(config);
  const { worker, close } = await createWorker({ config, connection, prisma });
  // Worker.run() handles SIGINT/SIGTERM: stops polling, lets in-flight tasks finish, then resolves.
  const running = worker.run();
  // The server knows this build once the worker polls; then it may become the current version.
  promoteIfDue(connection, config).catch((error: Error) => console.error(`worker versioning: ${error.message}`));
  await running;
  await close();
  await prisma.$disconnect();
  await connection.close();
}

main().catch((error: Error) => {
  if (error.name === 'ConfigError') console.error(error.message);
  else console.error(error);
  process.exit(1);
});
