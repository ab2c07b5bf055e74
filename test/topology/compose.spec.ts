import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { getMetadataStorage } from 'class-validator';
import { parse } from 'yaml';
import { AppConfig, loadConfig } from '../../apps/config/config';
import { PROJECT_ROOT } from '../../apps/launcher/migrate';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/common/search-attributes';
import { loadInfra, NAMESPACE_SCRIPT, SCHEMA_SCRIPT, TEMPORAL_CONFIG_FILE, TEMPORAL_DYNAMIC_CONFIG_FILE } from './support/infra';

// docker-compose.yml checked against the code and against what this suite runs, since no
// Docker engine runs it here.

const COMPOSE_FILE = path.join(PROJECT_ROOT, 'docker-compose.yml');
const SECRETS = ['POSTGRES_PASSWORD', 'CYBEROPS_DB_PASSWORD', 'CYBEROPS_APP_DB_PASSWORD', 'JWT_SECRET', 'WEBHOOK_SIGNING_SECRET'];
const secretEnv = Object.fromEntries(SECRETS.map((name) => [name, randomBytes(32).toString('hex')]));

type Service = {
  image?: string;
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  volumes?: string[];
  command?: string[];
  deploy?: { replicas?: number | string };
};

/** Compose's variable interpolation: ${X}, ${X:-default}, ${X-default}, ${X:?error}, ${X?error}, $$. */
function interpolate(text: string, env: Record<string, string>): string {
  return text.replace(/\$\$|\$\{([A-Z0-9_]+)(?:(:?)([-?])([^}]*))?\}/g, (whole, name: string | undefined, colon: string, op: string, arg: string) => {
    if (!name) return '$';
    const value = env[name];
    const missing = value === undefined || (colon === ':' && value === '');
    if (op === '?' && missing) throw new Error(`${name}: ${arg}`);
    if (op === '-' && missing) return arg;
    return value ?? '';
  });
}

function loadCompose(env: Record<string, string>): { services: Record<string, Service> } {
  return parse(interpolate(fs.readFileSync(COMPOSE_FILE, 'utf8'), env), { merge: true });
}

/** Every name the application reads: AppConfig's validated properties and direct process.env reads. */
function namesTheCodeReads(): Set<string> {
  const names = new Set(getMetadataStorage().getTargetValidationMetadatas(AppConfig, '', true, false).map((m) => m.propertyName));
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
  for (const file of [...walk(path.join(PROJECT_ROOT, 'apps')), ...walk(path.join(PROJECT_ROOT, 'prisma'))]) {
    for (const match of fs.readFileSync(file, 'utf8').matchAll(/process\.env\.([A-Z0-9_]+)/g)) names.add(match[1]);
  }
  return names;
}

/** Maps a container path to the repository file a bind mount puts there. */
function hostPath(service: Service, containerPath: string): string | undefined {
  for (const volume of service.volumes ?? []) {
    const [source, target] = volume.split(':');
    if (!source.startsWith('.')) continue;
    if (containerPath === target || containerPath.startsWith(`${target}/`)) return path.join(PROJECT_ROOT, source, containerPath.slice(target.length));
  }
  return undefined;
}

describe('docker-compose.yml matches the code and the topology this suite runs', () => {
  const compose = loadCompose(secretEnv);
  const { services } = compose;
  const text = fs.readFileSync(COMPOSE_FILE, 'utf8');

  it('takes every secret from the environment, with no default', () => {
    for (const name of SECRETS) {
      expect(text).toMatch(new RegExp(`\\$\\{${name}:\\?[^}]+\\}`));
      expect(text).not.toMatch(new RegExp(`\\$\\{${name}:?-`));
      const { [name]: _left, ...withoutIt } = secretEnv;
      expect(() => loadCompose(withoutIt)).toThrow(name);
    }
  });

  it('gives the API and the worker a configuration the code accepts, and only names the code reads', () => {
    const known = namesTheCodeReads();
    for (const name of ['api', 'worker']) {
      const env = Object.fromEntries(Object.entries(services[name].environment ?? {}).map(([k, v]) => [k, String(v)]));
      expect({ service: name, unknown: Object.keys(env).filter((k) => !known.has(k)) }).toEqual({ service: name, unknown: [] });
      expect(() => loadConfig(env)).not.toThrow();
      expect(services[name].deploy?.replicas).toBeDefined(); // scalable
    }
    expect(services.worker.environment?.WORKER_METRICS_ADDRESS).toMatch(/^0\.0\.0\.0:\d+$/);
  });

  it('runs the Temporal version, config file and setup scripts that the topology tests run', () => {
    const version = /^temporalio\/server:(\d+\.\d+\.\d+)$/.exec(services.temporal.image ?? '')?.[1];
    expect(version).toBeDefined();
    expect(services['temporal-schema'].image).toBe(`temporalio/admin-tools:${version}`);
    expect(services['temporal-namespace'].image).toBe(`temporalio/admin-tools:${version}`);
    const infra = loadInfra();
    expect(infra.temporal.binDir).toContain(path.join('.tools', 'temporal-server', version!, 'bin'));
    const built = spawnSync(path.join(infra.temporal.binDir, 'server'), ['--version'], { encoding: 'utf8' });
    expect(built.stdout).toContain(version);

    const env = services.temporal.environment ?? {};
    expect(hostPath(services.temporal, String(env.TEMPORAL_SERVER_CONFIG_FILE_PATH))).toBe(TEMPORAL_CONFIG_FILE);
    expect(hostPath(services.temporal, String(env.DYNAMIC_CONFIG_FILE_PATH))).toBe(TEMPORAL_DYNAMIC_CONFIG_FILE);
    expect(infra.temporal.spec.env.TEMPORAL_SERVER_CONFIG_FILE_PATH).toBe(TEMPORAL_CONFIG_FILE);
    // Every variable compose gives the server is one the config file (or the server binary) reads.
    const template = fs.readFileSync(TEMPORAL_CONFIG_FILE, 'utf8');
    const read = new Set([...template.matchAll(/env "([A-Z0-9_]+)"/g)].map((m) => m[1]));
    for (const m of template.matchAll(/list ((?:"[A-Z0-9_]+" ?)+)/g)) for (const n of m[1].matchAll(/"([A-Z0-9_]+)"/g)) read.add(n[1]);
    const serverFlags = ['TEMPORAL_SERVER_CONFIG_FILE_PATH', 'TEMPORAL_ALLOW_NO_AUTH'];
    expect(Object.keys(env).filter((k) => !read.has(k) && !serverFlags.includes(k))).toEqual([]);

    expect(hostPath(services['temporal-schema'], services['temporal-schema'].command!.at(-1)!)).toBe(SCHEMA_SCRIPT);
    expect(hostPath(services['temporal-namespace'], services['temporal-namespace'].command!.at(-1)!)).toBe(NAMESPACE_SCRIPT);
    const listed = /^SEARCH_ATTRIBUTES="([^"]+)"/m.exec(fs.readFileSync(NAMESPACE_SCRIPT, 'utf8'))?.[1].split(' ');
    expect(listed).toEqual(ALL_SEARCH_ATTRIBUTES.map((a) => a.name));
  });

  it('pins every image, keeps Temporal and its UI off the host, and publishes nothing else beyond loopback but the gateway', () => {
    for (const [name, service] of Object.entries(services)) {
      if (!service.image || name === 'api' || name === 'worker' || name === 'migrate') continue;
      expect({ name, image: service.image }).toEqual({ name, image: expect.stringMatching(/:[^:]*\d[^:]*$/) });
      expect(service.image).not.toMatch(/:latest$/);
    }
    expect(services.temporal.ports).toBeUndefined();
    expect(services['temporal-ui'].ports).toBeUndefined();
    expect(services.api.ports).toBeUndefined();
    for (const [name, service] of Object.entries(services)) {
      if (name === 'gateway') continue;
      for (const port of service.ports ?? []) expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
    }
    expect(text).not.toMatch(/auto-setup/);
  });

  it('is valid for `docker compose config` where a Docker CLI with compose is installed', () => {
    const version = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
    if (version.status !== 0) {
      process.stdout.write('docker compose is not available here: validated by the parser above only\n');
      return;
    }
    const checked = spawnSync('docker', ['compose', '-f', COMPOSE_FILE, 'config', '--quiet'], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...secretEnv },
      encoding: 'utf8',
    });
    expect(checked.stderr).toBe('');
    expect(checked.status).toBe(0);
  });
});
