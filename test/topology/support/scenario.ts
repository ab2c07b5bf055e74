import { COUNTRIES } from '../../../prisma/seed-data/countries';
import type { Principal } from '../../../apps/api/auth/principal';
import type { Fleet } from './fleet';
import { sleep, waitUntil } from './processes';
import { type AdminHttp, withPolicy as setPolicy } from '../../support/fixtures';

// Shared steps of the topology tests and the benchmark, always through the APIs over HTTP.

export const ADMIN: Principal = { sub: 'admin@cyberops.test', role: 'admin' };
export const SUPERVISOR: Principal = { sub: 'head@cyberops.test', role: 'supervisor' };
export const COORDINATOR: Principal = { sub: 'dco.global@cyberops.test', role: 'coordinator' };
export const MEMBER_PH: Principal = { sub: 'officer@nrp.ph', role: 'member', country: 'PH' };

export const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();

/** Fleet API 0 as an admin, for the shared fixtures (test/support/fixtures.ts). */
export const fleetAdmin = (fleet: Fleet): AdminHttp => async (method, route, body) => fleet.http(0, method, route, { token: await fleet.token(ADMIN), body });

/** Sets an SLA policy through the API; returns a function that puts the previous one back. */
export const withPolicy = (fleet: Fleet, priority: string, policy: Record<string, unknown>) => setPolicy(fleetAdmin(fleet), priority, policy);

export function submission(title: string, priority = 'P1') {
  return {
    category: 'botnet',
    mode: 'remote',
    priority,
    title,
    description: 'Botnet C2 hosted in the region, victims across the continent',
    indicators: [{ type: 'domain', value: `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}.example.net` }],
  };
}

/** Runs `work` over `items` with at most `limit` in flight. */
export async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        await work(items[i], i);
      }
    }),
  );
}

export const memberOf = (iso: string): Principal => ({ sub: `nrp@${iso.toLowerCase()}`, role: 'member', country: iso });

/** Creates an operation with every member country through API `api`; returns its id. */
export async function createGlobalOperation(fleet: Fleet, api: number, name: string, instants: { readinessIn: number; actionIn: number; actionEndIn: number; debriefIn: number }): Promise<string> {
  const coordinator = await fleet.token(COORDINATOR);
  const created = await fleet.http(api, 'POST', '/api/v1/operations', {
    token: coordinator,
    body: {
      name,
      objective: 'Take down DDoS-for-hire infrastructure everywhere at once',
      categories: ['ddos_service', 'botnet'],
      regions: ['AFRICA', 'AMERICAS', 'EURASIA', 'MENA'],
      readinessDeadline: inSeconds(instants.readinessIn),
      actionStart: inSeconds(instants.actionIn),
      actionEnd: inSeconds(instants.actionEndIn),
      debriefDeadline: inSeconds(instants.debriefIn),
      exercise: true,
    },
  });
  if (created.status !== 201) throw new Error(`POST /operations: ${created.status} ${JSON.stringify(created.body)}`);
  return created.body.id as string;
}

/** Every member country confirms readiness, each request to the next API in turn; retries while its child is starting. */
export async function confirmReadiness(fleet: Fleet, id: string, concurrency = 16): Promise<void> {
  await pool([...COUNTRIES], concurrency, async (c, i) => {
    const token = await fleet.token(memberOf(c.iso));
    for (let attempt = 0; ; attempt++) {
      const res = await fleet.http(i, 'POST', `/api/v1/operations/${id}/countries/${c.iso}/readiness`, {
        token,
        body: { ready: true, pointOfContact: `Duty officer ${c.iso}`, teamSize: 4 },
      });
      if (res.status === 200) return;
      // 404 until the country's workflow has started; 503 while a dependency is away.
      if (attempt > 300 || ![404, 409, 503].includes(res.status)) throw new Error(`${c.iso} readiness: ${res.status} ${JSON.stringify(res.body)}`);
      await sleep(200);
    }
  });
}

/** Polls GET /operations/:id through API `api` until `pred` holds. */
export async function waitOperation(fleet: Fleet, api: number, id: string, pred: (o: any) => boolean, timeoutMs: number): Promise<any> {
  const coordinator = await fleet.token(COORDINATOR);
  let last: any;
  try {
    return await waitUntil(
      `operation ${id}`,
      async () => {
        const res = await fleet.http(api, 'GET', `/api/v1/operations/${id}`, { token: coordinator });
        last = res.body;
        return res.status === 200 && pred(res.body) ? res.body : undefined;
      },
      timeoutMs,
      300,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last: ${JSON.stringify({ phase: last?.phase, totals: last?.totals })}`);
  }
}

export { COUNTRIES };
