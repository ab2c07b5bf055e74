import { verifyAuditChain } from '../../apps/cli/audit-verify';
import { testInfra, testPostgres } from '../setup/test-infra';
import { adminHttp, ADMIN, COORDINATOR_EURASIA, MEMBER_PH, Stack, startStack, SUPERVISOR } from '../support/harness';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { withPolicy } from '../support/fixtures';

// Fault suite 3: PostgreSQL stopped for 30 s while submissions, updates and alerts flow. The API
// answers 503 with Retry-After for whatever needs the database (never 500); SLA timers that fire
// meanwhile have their activities retried; when it returns nothing is lost and nothing doubled.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const OUTAGE_MS = 30_000;

describe('fault: PostgreSQL down for 30 s', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let restorePolicy: () => Promise<void>;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startStack({ env: { SMTP_URL: smtp.url } });
    // Triage warning at 6 s and breach at 12 s: both fall inside the outage.
    restorePolicy = await withPolicy(adminHttp(stack), 'P2', { triage: '12s', firstResponse: '1h', resolution: '1d', acknowledge: '1h', warnAt: 0.5 });
  });

  afterAll(async () => {
    await testPostgres().start().catch(() => undefined); // whatever happened, the next files need it
    await restorePolicy?.();
    await stack?.stop();
    await smtp?.close();
  });

  it('answers 503 with Retry-After during the outage; alerts raised meanwhile, submissions and updates all land afterwards', async () => {
    const [member, coordinator, supervisor, admin] = await Promise.all([MEMBER_PH, COORDINATOR_EURASIA, SUPERVISOR, ADMIN].map((p) => stack.token(p)));
    const submit = (title: string) =>
      stack.http('POST', '/api/v1/support-requests', {
        token: member,
        body: { category: 'malware', mode: 'remote', priority: 'P2', title, description: 'PostgreSQL outage test', indicators: [{ type: 'domain', value: `${title.replace(/\W/g, '-').toLowerCase()}.example.net` }] },
      });
    const ids: string[] = [];
    for (const title of ['outage one', 'outage two', 'outage three']) {
      const created = await submit(title);
      expect(created.status).toBe(201);
      ids.push(created.body.id);
    }
    const triaged = await stack.http('POST', `/api/v1/support-requests/${ids[0]}/triage`, { token: coordinator, body: { decision: 'accept' } });
    expect(triaged.status).toBe(200);

    const postgres = testPostgres();
    await postgres.stop();
    const stoppedAt = Date.now();
    const seen: Array<{ call: string; status: number; retryAfter: string | null }> = [];
    try {
      // Traffic keeps coming for the whole outage: direct reads and writes, submissions, updates.
      while (Date.now() - stoppedAt < OUTAGE_MS) {
        const calls: Array<[string, Promise<{ status: number; headers: Headers }>]> = [
          ['GET countries', stack.http('GET', '/api/v1/countries', { token: member })],
          ['PUT sla-policy', stack.http('PUT', '/api/v1/sla-policies/P4', { token: admin, body: { triage: '3d', firstResponse: '7d', resolution: '30d', acknowledge: '3d', warnAt: 0.75 } })],
          ['POST support-request', submit(`during outage ${seen.length}`)],
          ['POST triage', stack.http('POST', `/api/v1/support-requests/${ids[1]}/triage`, { token: coordinator, body: { decision: 'accept' } })],
          ['GET alerts', stack.http('GET', '/api/v1/alerts', { token: supervisor })],
        ];
        for (const [call, pending] of calls) {
          const response = await pending;
          seen.push({ call, status: response.status, retryAfter: response.headers.get('retry-after') });
        }
        await sleep(1_000);
      }
    } finally {
      await postgres.start();
    }
    expect(seen.length).toBeGreaterThanOrEqual(5 * 10);
    for (const s of seen) expect(s).toEqual({ call: s.call, status: 503, retryAfter: '5' });

    // Back: the callers retry, and it all lands.
    const waitFor = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> => {
      const end = Date.now() + ms;
      while (Date.now() < end) {
        const value = await probe().catch(() => undefined);
        if (value !== undefined) return value;
        await sleep(500);
      }
      throw new Error(`${what} not reached within ${ms} ms`);
    };
    await waitFor('readiness', async () => ((await stack.http('GET', '/health/ready')).status === 200 ? true : undefined));
    const late = await submit('after the outage');
    expect(late.status).toBe(201);
    const retried = await stack.http('POST', `/api/v1/support-requests/${ids[1]}/triage`, { token: coordinator, body: { decision: 'accept' } });
    expect(retried.status).toBe(200);

    // The triage clocks of the two untriaged requests warned and breached during the outage:
    // their activities retried until the database came back; each alert exists exactly once.
    const alerts = await waitFor('alerts', async () => {
      const rows = await stack.prisma.alert.findMany({ where: { objectId: { in: ids }, clock: 'triage' } });
      return rows.filter((a) => a.objectId === ids[2]).length >= 2 ? rows : undefined;
    });
    const byRequest = (id: string) => alerts.filter((a) => a.objectId === id).map((a) => a.kind).sort();
    expect(byRequest(ids[2])).toEqual(['sla_breach', 'sla_warning']);
    expect(byRequest(ids[0])).toEqual([]); // triaged in time
    const listed = await stack.http('GET', `/api/v1/alerts`, { token: supervisor });
    expect(listed.status).toBe(200);

    // Read model and workflows agree for every request, and the audit trail holds every transition once.
    for (const id of [...ids, late.body.id as string]) {
      const live = await stack.http('GET', `/api/v1/support-requests/${id}?consistency=live`, { token: coordinator });
      expect(live.body.live).toBe(true);
      const row = await waitFor(`projection of ${id}`, async () => {
        const r = await stack.prisma.supportRequest.findUnique({ where: { id } });
        return r && r.status === live.body.status ? r : undefined;
      });
      expect(row.status).toBe(live.body.status);
    }
    expect((await stack.http('GET', `/api/v1/support-requests/${ids[1]}`, { token: coordinator })).body.status).toBe('triaged');
    const triageAudits = await stack.prisma.auditEvent.findMany({ where: { objectId: { in: [ids[0], ids[1]] }, action: 'support_request.triage.accept' } });
    expect(triageAudits.map((a) => a.objectId).sort()).toEqual([ids[0], ids[1]].sort());
    expect((await verifyAuditChain(testInfra().databaseUrl)).broken).toBeUndefined();
    process.stdout.write(`PostgreSQL outage: ${seen.length} calls during ${OUTAGE_MS / 1000} s, all 503 with Retry-After\n`);
  }, 240_000);
});
