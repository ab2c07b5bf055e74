import { spawn } from 'node:child_process';
import path from 'node:path';
import { createPrismaClient } from '../../prisma/client';
import { seedDatabase, SeedSummary } from '../../prisma/seed';

/** Source root whether running from TypeScript sources or from dist/. */
export const PROJECT_ROOT = path.basename(path.resolve(__dirname, '..', '..')) === 'dist'
  ? path.resolve(__dirname, '..', '..', '..')
  : path.resolve(__dirname, '..', '..');

/** `prisma migrate deploy` with the project's config (Wasm engine, no download). */
export async function migrateDatabase(databaseUrl: string): Promise<void> {
  const prismaCli = require.resolve('prisma/build/index.js');
  const config = path.join(PROJECT_ROOT, 'prisma', 'prisma.config.ts');
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', path.join(PROJECT_ROOT, 'prisma', 'unref-timers.js'), prismaCli, 'migrate', 'deploy', '--config', config], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
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

if (require.main === module) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    console.error('DATABASE_URL is required');
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
