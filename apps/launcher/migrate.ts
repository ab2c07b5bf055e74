import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client } from 'pg';
import { createPrismaClient } from '../../prisma/client';
import { seedDatabase, SeedSummary } from '../../prisma/seed';

/** Source root whether running from TypeScript sources or from dist/. */
export const PROJECT_ROOT = path.basename(path.resolve(__dirname, '..', '..')) === 'dist'
  ? path.resolve(__dirname, '..', '..', '..')
  : path.resolve(__dirname, '..', '..');

/** The least-privilege role the API and worker connect as (granted by migration 20261128010000). */
export const APP_DATABASE_ROLE = 'cyberops_app';

/** `prisma migrate deploy` with the project's config (Wasm engine, no download), as the schema owner. */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const prismaCli = require.resolve('prisma/build/index.js');
  const config = path.join(PROJECT_ROOT, 'prisma', 'prisma.config.ts');
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', path.join(PROJECT_ROOT, 'prisma', 'unref-timers.js'), prismaCli, 'migrate', 'deploy', '--config', config], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, MIGRATION_DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout.on('data', (d: Buffer) => output.push(d));
    child.stderr.on('data', (d: Buffer) => output.push(d));
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`prisma migrate deploy failed:\n${Buffer.concat(output).toString()}`);
}

export async function migrateAndSeed(databaseUrl: string): Promise<SeedSummary> {
  await migrateDatabase(databaseUrl);
  const prisma = createPrismaClient(databaseUrl, 2);
  try {
    return await seedDatabase(prisma);
  } finally {
    await prisma.$disconnect();
  }
}

/**
 * Embedded stacks: lets the application role log in with the given (generated) password and
 * returns its connection string. `ownerUrl` must be a superuser or CREATEROLE owner.
 */
export async function provisionAppRole(ownerUrl: string, password: string): Promise<string> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(`ALTER ROLE ${APP_DATABASE_ROLE} WITH LOGIN PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = APP_DATABASE_ROLE;
  url.password = encodeURIComponent(password);
  return url.toString();
}

if (require.main === module) {
  // Compose's one-shot `migrate` service: the owner's URL, never the application's.
  const url = process.env.MIGRATION_DATABASE_URL || process.env.DATABASE_URL;
  if (!url) {
    console.error('MIGRATION_DATABASE_URL (the schema owner) is required');
    process.exit(2);
  }
  migrateAndSeed(url).then(
    (summary) => console.log(`migrated and seeded: ${JSON.stringify(summary)}`),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
