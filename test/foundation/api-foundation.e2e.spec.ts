import { SignJWT } from 'jose';
import { ADMIN, MEMBER_PH, Stack, startStack } from '../support/harness';
import { testPostgres } from '../setup/test-infra';

describe('API foundation over HTTP', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await startStack({ worker: false });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('auth matrix', () => {
    it('answers 401 without a token, with a bad signature, and when expired', async () => {
      expect((await stack.http('GET', '/api/v1/countries')).status).toBe(401);
      const forged = await new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('intruder')
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode('not-the-server-secret-at-all'));
      const bad = await stack.http('GET', '/api/v1/countries', { token: forged });
      expect(bad.status).toBe(401);
      expect(bad.body).toMatchObject({ statusCode: 401, error: 'Unauthorized', details: [] });
      const expired = await new SignJWT({ role: 'admin' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('late')
        .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
        .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
        .sign(new TextEncoder().encode(stack.config.JWT_SECRET));
      const late = await stack.http('GET', '/api/v1/countries', { token: expired });
      expect(late.status).toBe(401);
      expect(late.body.message).toBe('token expired');
      const noneAlg = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x","role":"admin"}').toString('base64url')}.`;
      expect((await stack.http('GET', '/api/v1/countries', { token: noneAlg })).status).toBe(401);
    });

    it('answers 403 to a role that may not act', async () => {
      const member = await stack.token(MEMBER_PH);
      const res = await stack.http('PUT', '/api/v1/sla-policies/P2', { token: member, body: { triage: '1h', firstResponse: '4h', resolution: '3d', acknowledge: '2h' } });
      expect(res.status).toBe(403);
    });

    it('keeps health and docs public', async () => {
      expect((await stack.http('GET', '/health')).status).toBe(200);
      expect((await stack.http('GET', '/docs/openapi.json')).body.paths['/api/v1/support-requests']).toBeDefined();
    });
  });

  describe('directory', () => {
    it('lists countries by region and group, and scopes contacts to a member', async () => {
      const member = await stack.token(MEMBER_PH);
      const asean = await stack.http('GET', '/api/v1/countries?group=ASEAN', { token: member });
      expect(asean.body.items).toHaveLength(10);
      const mena = await stack.http('GET', '/api/v1/countries?region=MENA', { token: member });
      expect(mena.body.items.every((c: { region: string }) => c.region === 'MENA')).toBe(true);
      const contacts = await stack.http('GET', '/api/v1/contacts', { token: member });
      const owners = new Set(contacts.body.items.map((c: { countryIso: string | null; role: string }) => c.countryIso ?? c.role));
      expect([...owners].sort()).toEqual(['PH', 'regional_officer']);
    });
  });

  describe('validation', () => {
    it('names every wrong field with 400 and writes nothing', async () => {
      const admin = await stack.token(ADMIN);
      const before = await stack.prisma.slaPolicy.findUniqueOrThrow({ where: { priority: 'P4' } });
      const auditBefore = await stack.prisma.auditEvent.count();
      const res = await stack.http('PUT', '/api/v1/sla-policies/P4', {
        token: admin,
        body: { triage: 'soon', firstResponse: 4, resolution: '3d', acknowledge: '2h', warnAt: 'high', colour: 'red' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
      const fields = res.body.details.map((d: { field: string }) => d.field).sort();
      expect([...new Set(fields)]).toEqual(['colour', 'firstResponse', 'triage', 'warnAt']);
      expect(await stack.prisma.slaPolicy.findUniqueOrThrow({ where: { priority: 'P4' } })).toEqual(before);
      expect(await stack.prisma.auditEvent.count()).toBe(auditBefore);
      const badPriority = await stack.http('PUT', '/api/v1/sla-policies/P7', { token: admin, body: { triage: '1h', firstResponse: '4h', resolution: '3d', acknowledge: '2h' } });
      expect(badPriority.status).toBe(400);
      expect(badPriority.body.details[0].field).toBe('priority');
      const notJson = await stack.http('PUT', '/api/v1/sla-policies/P4', { token: admin, body: '{"triage":', headers: { 'content-type': 'application/json' } });
      expect(notJson.status).toBe(400);
    });

    it('lets an admin change a policy, versioned and audited', async () => {
      const admin = await stack.token(ADMIN);
      // The database is shared by the test files: other files may have changed P4 before this one.
      const before = (await stack.http('GET', '/api/v1/sla-policies', { token: admin })).body.items.find((p: { priority: string }) => p.priority === 'P4').version as number;
      const res = await stack.http('PUT', '/api/v1/sla-policies/P4', { token: admin, body: { triage: '2d', firstResponse: '5d', resolution: '20d', acknowledge: '1d', warnAt: 0.8 } });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ priority: 'P4', triage: '2d', warnAt: 0.8, version: before + 1 });
      const audit = await stack.prisma.auditEvent.findFirst({ where: { objectType: 'sla_policy', objectId: 'P4' }, orderBy: { id: 'desc' } });
      expect(audit).toMatchObject({ actorSub: ADMIN.sub, action: 'sla_policy.update', beforeState: `v${before}`, afterState: `v${before + 1}` });
    });
  });

  describe('readiness', () => {
    it('goes 503 when PostgreSQL stops and back to 200 when it returns', async () => {
      const waitFor = async (status: number) => {
        const end = Date.now() + 20_000;
        let last = 0;
        while (Date.now() < end) {
          last = (await stack.http('GET', '/health/ready')).status;
          if (last === status) return last;
          await new Promise((r) => setTimeout(r, 250));
        }
        return last;
      };
      expect(await waitFor(200)).toBe(200);
      const postgres = testPostgres();
      await postgres.stop();
      try {
        const down = await stack.http('GET', '/health/ready');
        expect(down.status).toBe(503);
        expect(down.body.error ?? down.body.details).toBeDefined();
        expect(JSON.stringify(down.body)).toContain('database');
      } finally {
        await postgres.start();
      }
      expect(await waitFor(200)).toBe(200);
    });
  });
});
