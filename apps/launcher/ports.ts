import { LauncherError } from './errors';
import { isPortFree } from './temporal-dev-server';

export function portFromEnv(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new LauncherError(`${name}=${raw} is not a valid port (1-65535)`);
  }
  return port;
}

export interface WantedPort {
  port: number;
  host: string;
  what: string;
  /** What to change, named in the error. */
  variable: string;
}

/** Every port free and none configured twice, before anything starts. */
export async function checkPorts(wanted: WantedPort[]): Promise<void> {
  const seen = new Map<number, string>();
  for (const w of wanted) {
    const clash = seen.get(w.port);
    if (clash) throw new LauncherError(`port ${w.port} is configured for both the ${clash} and the ${w.what}; change ${w.variable}`);
    seen.set(w.port, w.what);
  }
  for (const w of wanted) {
    if (!(await isPortFree(w.port, w.host))) {
      throw new LauncherError(`port ${w.port} (${w.what}) is already in use; stop what uses it or change ${w.variable}`);
    }
  }
}
