import fs from 'node:fs';
import path from 'node:path';
import { loadInfra, stopInfra } from './support/infra';

export default async function globalTeardown(): Promise<void> {
  const infra = loadInfra();
  await stopInfra(infra);
  // The logs stay for reading until the next run; the database goes now.
  fs.rmSync(path.join(infra.runDir, 'postgres'), { recursive: true, force: true });
}
