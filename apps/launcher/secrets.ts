import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** What `npm start` generates once and keeps in `<DATA_DIR>/secrets.json` (mode 0600). */
export interface DevSecrets {
  /** HS256 key of the dev identity provider (tokens minted by the launcher and `npm run token`). */
  jwtSecret: string;
  /** HMAC key of outgoing webhooks. */
  webhookSecret: string;
  /** Embedded PostgreSQL superuser: migrations and seed (the schema owner). */
  pgOwnerPassword: string;
  /** Embedded PostgreSQL `cyberops_app` role: what the API and worker connect as. */
  pgAppPassword: string;
}

export const SECRETS_FILE = 'secrets.json';

const random = () => randomBytes(32).toString('hex');

export function generateSecrets(): DevSecrets {
  return { jwtSecret: random(), webhookSecret: random(), pgOwnerPassword: random(), pgAppPassword: random() };
}

/**
 * Reads the data folder's secrets, generating whatever is missing (first start, or a key
 * added by a newer version). The file is private to its owner whatever the umask says.
 */
export function loadOrCreateSecrets(dataDir: string): { secrets: DevSecrets; file: string; created: boolean } {
  const file = path.join(dataDir, SECRETS_FILE);
  let stored: Partial<DevSecrets> = {};
  let exists = false;
  try {
    stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DevSecrets>;
    exists = true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${file} is unreadable: ${(error as Error).message}`);
  }
  const fresh = generateSecrets();
  const secrets: DevSecrets = { ...fresh, ...stored };
  const complete = (Object.keys(fresh) as Array<keyof DevSecrets>).every((k) => typeof stored[k] === 'string' && stored[k]);
  fs.mkdirSync(dataDir, { recursive: true });
  if (!complete) {
    const partial = `${file}.${process.pid}`;
    fs.writeFileSync(partial, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
    fs.renameSync(partial, file);
  }
  fs.chmodSync(file, 0o600);
  return { secrets, file, created: !exists };
}

/** Where the token CLI finds the dev stack's JWT secret when JWT_SECRET is not set. */
export function readDevJwtSecret(dataDir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dataDir, SECRETS_FILE), 'utf8')) as Partial<DevSecrets>).jwtSecret;
  } catch {
    return undefined;
  }
}
