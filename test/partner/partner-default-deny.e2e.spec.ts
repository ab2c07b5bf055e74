import { randomUUID } from 'node:crypto';
import type { Principal } from '../../apps/api/auth/principal';
import { Stack, startStack } from '../support/harness';

// DESIGN.md: a partner (role `partner`, claim `org`) sees only what a grant gives it. Each
// documented path and method is called with the token of a partner that holds no grant (one even
// carrying a country claim): the few routes that name the role answer empty lists, 404 or a
// validation error, never data; every other route answers 403. Public routes are left out.
// The routes a partner reaches, and what a partner without a grant gets from each:
const PARTNER_ROUTES: Record<string, number> = {
  'get /api/v1/operations': 200,
  'get /api/v1/operations/{id}': 404,
  'get /api/v1/intel': 200,
  'post /api/v1/intel': 400,
  'get /api/v1/intel/{id}': 404,
  'get /api/v1/intel/{id}/stix': 404,
  'get /api/v1/partner-grants': 200,
  'get /api/v1/partner-grants/{id}': 404,
  'post /api/v1/partner-grants/{id}/results': 400,
  'post /api/v1/partner-grants/{id}/feedback': 400,
};
/** Well-formed ids of objects that do not exist (or are not granted), by collection. */
const idFor = (template: string) =>
  template.startsWith('/api/v1/operations') ? 'OP-0000000000' : template.startsWith('/api/v1/intel') ? 'IN-0000000000' : template.startsWith('/api/v1/partner-grants') ? 'PG-0000000000' : 'SR-000000000000';
describe('partner role: nothing by default', () => {
  let stack: Stack;
  // An organisation of its own: other files on this database grant objects to theirs.
  const org = `nogrant-${randomUUID().slice(0, 8)}`;
  const PARTNER: Principal = { sub: `analyst@${org}.example`, role: 'partner', org };
  const SAMPLE: Record<string, string> = { id: 'SR-000000000000', iso: 'PH', region: 'EURASIA', year: '2027', priority: 'P1' };

  beforeAll(async () => {
    stack = await startStack({ worker: false, checkResponses: true });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 403 on every route that does not name the role (audited), and nothing but empty lists and 404 on those that do', async () => {
    const doc = await stack.http('GET', '/docs/openapi.json');
    const token = await stack.token(PARTNER);
    const withCountry = await stack.token({ ...PARTNER, country: 'PH' } as Principal);
    const seen: string[] = [];
    for (const [template, item] of Object.entries(doc.body.paths as Record<string, Record<string, { security?: unknown[] }>>)) {
      if (!template.startsWith('/api/v1/') && !template.startsWith('/taxii2/')) continue;
      const url = template.replace(/\{(\w+)\}/g, (_m, name: string) => (name === 'id' ? idFor(template) : SAMPLE[name] ?? 'x'));
      // Routes behind the token check (public ones, like the console's sign-in settings, serve no one's data).
      const secured = Object.keys(item).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m) && item[m].security?.length);
      for (const method of secured) {
        for (const t of [token, withCountry]) {
          const res = await stack.http(method.toUpperCase(), url, { token: t, body: method === 'get' ? undefined : {} });
          const expected = PARTNER_ROUTES[`${method} ${template}`] ?? 403;
          expect({ route: `${method} ${url}`, status: res.status }).toEqual({ route: `${method} ${url}`, status: expected });
          if (expected === 200) expect(res.body.items).toEqual([]);
        }
        seen.push(`${method} ${template}`);
      }
    }
    expect(seen.length).toBeGreaterThan(30);
    expect(seen).toEqual(expect.arrayContaining(['get /api/v1/countries', 'get /api/v1/support-requests', 'get /api/v1/operations/{id}', 'get /api/v1/regions/{region}/trends']));
    expect(seen).toEqual(expect.arrayContaining(Object.keys(PARTNER_ROUTES)));
    const denials = await stack.prisma.auditEvent.count({ where: { actorSub: PARTNER.sub, actorRole: 'partner', afterState: 'denied' } });
    expect(denials).toBeGreaterThanOrEqual(seen.length - Object.keys(PARTNER_ROUTES).length);
  });

  it('refuses a partner token without an org claim (401)', async () => {
    const token = await stack.token({ sub: 'someone@nowhere.example', role: 'partner' } as Principal);
    const res = await stack.http('GET', '/api/v1/countries', { token });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/org claim/);
  });
});
