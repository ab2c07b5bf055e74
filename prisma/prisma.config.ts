import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

type Connected = Awaited<ReturnType<PrismaPg['connect']>> & { client?: { query(sql: string): Promise<unknown> } };

/**
 * Prisma's Wasm schema engine through the pg adapter, so migrate needs no engine download.
 * The adapter splits scripts on every ';', which breaks function bodies; PostgreSQL runs a
 * multi-statement simple query as one implicit transaction, so send each migration whole.
 */
function wholeScriptAdapter(connectionString: string): PrismaPg {
  const factory = new PrismaPg({ connectionString, allowExitOnIdle: true, idleTimeoutMillis: 100 });
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = (await connect()) as Connected;
    adapter.executeScript = async (script: string) => {
      await adapter.client!.query(script);
    };
    return adapter;
  };
  return factory;
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join(__dirname, 'schema.prisma'),
  migrations: { path: path.join(__dirname, 'migrations') },
  async adapter() {
    // Migrations run as the schema owner; DATABASE_URL is the application's least-privilege role.
    const connectionString = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
    if (!connectionString) throw new Error('MIGRATION_DATABASE_URL (or DATABASE_URL) is not set');
    return wholeScriptAdapter(connectionString);
  },
} as Parameters<typeof defineConfig>[0]);
