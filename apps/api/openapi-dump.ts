import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/config';
import { createApiApp, openApiDocument } from './bootstrap';

/**
 * Writes the API's OpenAPI document to a file without a database or Temporal: nothing connects
 * until a request arrives. The console's types are generated from it at build time.
 */
async function main(): Promise<void> {
  const target = path.resolve(process.argv[2] ?? 'openapi.json');
  // Throwaway secrets: the configuration requires them, and this app never serves a request.
  const secret = () => randomBytes(32).toString('hex');
  const app = await createApiApp(
    loadConfig({ DATABASE_URL: 'postgresql://unused/openapi-dump', JWT_SECRET: secret(), WEBHOOK_SIGNING_SECRET: secret(), LOG_LEVEL: 'silent' }),
  );
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, `${JSON.stringify(openApiDocument(app), null, 2)}\n`);
  await app.close();
}

main().catch((error: Error) => {
  console.error(error);
  process.exit(1);
});
