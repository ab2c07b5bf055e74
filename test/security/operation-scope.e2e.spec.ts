import { randomUUID } from 'node:crypto';
import type { Principal } from '../../apps/api/auth/principal';
import { COORDINATOR_AMERICAS, COORDINATOR_EURASIA, Stack, startStack, SUPERVISOR } from '../support/harness';

// DESIGN.md: operations are steered by their lead, global coordinators and supervisors; a regional
// coordinator reads the operations touching its region (403 when it tries to steer them), 404 others.
describe('operation scoping for coordinators', () => {
  let stack: Stack;
  const run = randomUUID().slice(0, 8);
  const GLOBAL_COORDINATOR: Principal = { sub: 'isd.global@cyberops.test', role: 'coordinator' };
  const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  async function plan(lead: Principal, countries: string[]): Promise<string> {
    const res = await stack.http('POST', '/api/v1/operations', {
      token: await stack.token(lead),
      body: { name: `Scope ${run}`, objective: 'o', categories: ['malware'], countries, readinessDeadline: inHours(1), actionStart: inHours(2), actionEnd: inHours(3), debriefDeadline: inHours(4) },
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }
  const call = async (who: Principal, method: string, path: string, body?: unknown) =>
    (await stack.http(method, path, { token: await stack.token(who), body })).status;

  it('lets an AMERICAS coordinator read but not steer a EURASIA-led operation that includes Brazil', async () => {
    const id = await plan(COORDINATOR_EURASIA, ['PH', 'BR']);
    expect(await call(COORDINATOR_AMERICAS, 'GET', `/api/v1/operations/${id}`)).toBe(200);
    expect(await call(COORDINATOR_AMERICAS, 'POST', `/api/v1/operations/${id}/abort`, { reason: 'not mine' })).toBe(403);
    expect(await call(COORDINATOR_AMERICAS, 'POST', `/api/v1/operations/${id}/launch`)).toBe(403);
    const list = await stack.http('GET', '/api/v1/operations?limit=200', { token: await stack.token(COORDINATOR_AMERICAS) });
    expect(list.body.items.some((o: { id: string }) => o.id === id)).toBe(true);
    // The lead steers its own operation.
    expect(await call(COORDINATOR_EURASIA, 'POST', `/api/v1/operations/${id}/launch`)).toBe(200);
  });

  it('hides a EURASIA-only operation from an AMERICAS coordinator (404 to read and to abort)', async () => {
    const id = await plan(COORDINATOR_EURASIA, ['PH', 'SG']);
    expect(await call(COORDINATOR_AMERICAS, 'GET', `/api/v1/operations/${id}`)).toBe(404);
    expect(await call(COORDINATOR_AMERICAS, 'POST', `/api/v1/operations/${id}/abort`, { reason: 'x' })).toBe(404);
    const op = await stack.http('GET', `/api/v1/operations/${id}`, { token: await stack.token(COORDINATOR_EURASIA) });
    expect(op.body.phase).toBe('planning');
  });

  it('lets global coordinators and supervisors steer any operation', async () => {
    const id = await plan(COORDINATOR_EURASIA, ['PH']);
    expect(await call(GLOBAL_COORDINATOR, 'POST', `/api/v1/operations/${id}/extend`, { debriefDeadline: inHours(6) })).toBe(200);
    expect(await call(SUPERVISOR, 'POST', `/api/v1/operations/${id}/abort`, { reason: 'called off by the head of unit' })).toBe(200);
    const audit = await stack.prisma.auditEvent.findMany({ where: { objectType: 'operation', objectId: id, afterState: { not: 'denied' } } });
    expect(audit.map((a) => a.actorSub)).toEqual(expect.arrayContaining([SUPERVISOR.sub]));
  });
});
