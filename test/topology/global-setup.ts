import fs from 'node:fs';
import path from 'node:path';
import { isAlive } from './support/processes';
import { startInfra, TOPOLOGY_ROOT } from './support/infra';

// Once per `npm run test:topology`: PostgreSQL, Temporal's schemas, the Temporal server, the
// namespace and the app's migrations. Each test file then starts its own API and worker processes.
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  removeFinishedRuns();
  const runDir = path.join(TOPOLOGY_ROOT, `run-${process.pid}`);
  fs.rmSync(runDir, { recursive: true, force: true });
  const infra = await startInfra({ runDir, log: (line) => process.stdout.write(`  topology: ${line}\n`) });
  process.stdout.write(`topology infrastructure ready in ${Date.now() - started} ms (logs in ${path.relative(process.cwd(), infra.runDir)})\n`);
}

/** Folders of earlier runs whose jest process is gone. */
function removeFinishedRuns(): void {
  if (!fs.existsSync(TOPOLOGY_ROOT)) return;
  for (const entry of fs.readdirSync(TOPOLOGY_ROOT)) {
    const pid = Number(/^run-(\d+)$/.exec(entry)?.[1]);
    if (!pid || !isAlive(pid)) fs.rmSync(path.join(TOPOLOGY_ROOT, entry), { recursive: true, force: true });
  }
}
