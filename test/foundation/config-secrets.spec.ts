import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '../../apps/config/config';
import { CACHED_WORKFLOW_KB, maxCachedWorkflows } from '../../apps/worker/worker';
import { generateSecrets } from '../../apps/launcher/secrets';

// No secret is a constant: the API and the worker refuse to start without real ones.
const ROOT = path.resolve(__dirname, '..', '..');

function start(app: 'api' | 'worker', env: Record<string, string>) {
  const clean = { ...process.env };
  for (const name of ['JWT_SECRET', 'WEBHOOK_SIGNING_SECRET', 'JWT_JWKS_URL', 'CYBEROPS_TEST_INFRA']) delete clean[name];
  const result = spawnSync(process.execPath, ['-r', 'ts-node/register/transpile-only', `apps/${app}/main.ts`], {
    cwd: ROOT,
    env: { ...clean, DATABASE_URL: 'postgresql://127.0.0.1:1/none', TEMPORAL_ADDRESS: '127.0.0.1:1', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, lines: result.stderr.trim().split('\n') };
}

describe('secrets come from configuration, never from the code', () => {
  const good = generateSecrets();

  it.each(['api', 'worker'] as const)('start:%s without a JWT secret: one clear line, exit code 1', (app) => {
    const { status, lines } = start(app, { WEBHOOK_SIGNING_SECRET: good.webhookSecret });
    expect(status).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^Invalid configuration: JWT_SECRET must be set to a random secret of at least 32 bytes/)]);
  });

  it('start:worker with a webhook secret shorter than 32 bytes: one clear line, exit code 1', () => {
    const { status, lines } = start('worker', { JWT_SECRET: good.jwtSecret, WEBHOOK_SIGNING_SECRET: 'x'.repeat(31) });
    expect(status).toBe(1);
    expect(lines).toEqual([expect.stringMatching(/^Invalid configuration: WEBHOOK_SIGNING_SECRET must be set to a random secret of at least 32 bytes/)]);
  });

  it('accepts 32-byte secrets, waives JWT_SECRET only for JWKS, and binds loopback by default', () => {
    const base = { DATABASE_URL: 'postgresql://x', WEBHOOK_SIGNING_SECRET: good.webhookSecret };
    expect(loadConfig({ ...base, JWT_SECRET: 'k'.repeat(32) }).HOST).toBe('127.0.0.1');
    expect(() => loadConfig({ ...base, JWT_SECRET: 'k'.repeat(31) })).toThrow(/JWT_SECRET/);
    expect(loadConfig({ ...base, JWT_JWKS_URL: 'https://idp.example/jwks' }).JWT_SECRET).toBeUndefined();
    expect(() => loadConfig({ DATABASE_URL: 'postgresql://x', JWT_SECRET: good.jwtSecret })).toThrow(/WEBHOOK_SIGNING_SECRET/);
  });
});

describe('the worker cache is sized from a memory budget', () => {
  const secrets = generateSecrets();
  const base = { DATABASE_URL: 'postgresql://127.0.0.1:1/none', JWT_SECRET: secrets.jwtSecret, WEBHOOK_SIGNING_SECRET: secrets.webhookSecret };

  it('holds as many workflows as WORKER_CACHE_MB fits, unless WORKER_MAX_CACHED_WORKFLOWS says otherwise', () => {
    expect(maxCachedWorkflows(loadConfig(base))).toBe(Math.floor((200 * 1024) / CACHED_WORKFLOW_KB));
    expect(maxCachedWorkflows(loadConfig({ ...base, WORKER_CACHE_MB: '51' }))).toBe(Math.floor((51 * 1024) / CACHED_WORKFLOW_KB));
    expect(maxCachedWorkflows(loadConfig({ ...base, WORKER_CACHE_MB: '50', WORKER_MAX_CACHED_WORKFLOWS: '0' }))).toBe(0);
    expect(() => loadConfig({ ...base, WORKER_CACHE_MB: '0' })).toThrow('WORKER_CACHE_MB');
  });
});
