import type { Principal } from '../../apps/api/auth/principal';
import { Stack, startStack } from '../support/harness';

// DESIGN.md: a partner (role `partner`, claim `org`) sees only what a grant gives it. Until a route
// names the role, every route refuses it: each documented path and method is called with a
// partner token (one even carrying a country claim) and must answer 403, never data.
// Public routes (no token needed) are left out.
describe('partner role: nothing by default', () => {
  let stack: Stack;
  const PARTNER: Principal = { sub: 'analyst@acme-sec.example', role: 'partner', org: 'acme-sec' };
  const SAMPLE: Record<string, string> = { id: 'SR-000000000000', iso: 'PH', region: 'EURASIA', year: '2027', priority: 'P1' };

  beforeAll(async () => {
    stack = await startStack({ worker: false });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 403 on every documented route, audited', async () => {
    const doc = await stack.http('GET', '/docs/openapi.json');
    const token = await stack.token(PARTNER);
    const withCountry = await stack.token({ ...PARTNER, country: 'PH' } as Principal);
    const seen: string[] = [];
    for (const [template, item] of Object.entries(doc.body.paths as Record<string, Record<string, { security?: unknown[] }>>)) {
      if (!template.startsWith('/api/v1/') && !template.startsWith('/taxii2/')) continue;
      const url = template.replace(/\{(\w+)\}/g, (_m, name: string) => SAMPLE[name] ?? 'x');
      // Routes behind the token check (public ones, like the console's sign-in settings, serve no one's data).
      const secured = Object.keys(item).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m) && item[m].security?.length);
      for (const method of secured) {
        for (const t of [token, withCountry]) {
          const res = await stack.http(method.toUpperCase(), url, { token: t, body: method === 'get' ? undefined : {} });
          expect({ route: `${method} ${url}`, status: res.status }).toEqual({ route: `${method} ${url}`, status: 403 });
        }
        seen.push(`${method} ${template}`);
      }
    }
    expect(seen.length).toBeGreaterThan(30);
    expect(seen).toEqual(expect.arrayContaining(['get /api/v1/countries', 'get /api/v1/support-requests', 'get /api/v1/operations/{id}', 'get /api/v1/regions/{region}/trends']));
    const denials = await stack.prisma.auditEvent.count({ where: { actorSub: PARTNER.sub, actorRole: 'partner', afterState: 'denied' } });
    expect(denials).toBeGreaterThanOrEqual(seen.length);
  });

  it('refuses a partner token without an org claim (401)', async () => {
    const token = await stack.token({ sub: 'someone@nowhere.example', role: 'partner' } as Principal);
    const res = await stack.http('GET', '/api/v1/countries', { token });
    expect(res.status).toBe(401);
    expect(res.body.message).toMatch(/org claim/);
  });
});
