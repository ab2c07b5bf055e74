import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { COUNTRIES } from '../../prisma/seed-data/countries';
import { COORDINATOR_EURASIA, MEMBER_BR, MEMBER_PH, Stack, startStack, SUPERVISOR } from '../support/harness';

const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs `work` over `items` with at most `limit` in flight. */
async function pool<T>(items: T[], limit: number, work: (item: T, index: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      await work(items[i], i);
    }
  }));
}

describe('regional operation surge over HTTP with every member country', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let coordinator: string;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startStack({ env: { SMTP_URL: smtp.url } });
    coordinator = await stack.token(COORDINATOR_EURASIA);
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  it('validates creation: unknown countries, instants out of order or in the past', async () => {
    const bad = await stack.http('POST', '/api/v1/operations', {
      token: coordinator,
      body: { name: 'Bad', objective: 'x', categories: ['botnet'], countries: ['PH', 'QQ'], groups: ['NOPE'], readinessDeadline: inSeconds(-10), actionStart: inSeconds(60), actionEnd: inSeconds(30), debriefDeadline: inSeconds(90) },
    });
    // Well-formed but naming unknown countries and groups: 422, each field named.
    expect(bad.status).toBe(422);
    const fields = bad.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['countries', 'groups']));
    const order = await stack.http('POST', '/api/v1/operations', {
      token: coordinator,
      body: { name: 'Order', objective: 'x', categories: ['botnet'], countries: ['PH'], readinessDeadline: inSeconds(-10), actionStart: inSeconds(60), actionEnd: inSeconds(30), debriefDeadline: inSeconds(90) },
    });
    expect(order.body.details.map((d: { field: string }) => d.field)).toEqual(expect.arrayContaining(['readinessDeadline', 'instants']));
    const member = await stack.token(MEMBER_PH);
    expect((await stack.http('POST', '/api/v1/operations', { token: member, body: {} })).status).toBe(403);
  });

  it('launches all member countries, takes readiness and results from each through the API, and totals match', async () => {
    const created = await stack.http('POST', '/api/v1/operations', {
      token: coordinator,
      body: {
        name: 'Global surge',
        objective: 'Take down DDoS-for-hire infrastructure everywhere at once',
        categories: ['ddos_service', 'botnet'],
        regions: ['AFRICA', 'AMERICAS', 'EURASIA', 'MENA'],
        // Preparation lasts until the test has every answer (196 calls take long on a loaded
        // machine); the lead then pulls the action start in through the API.
        readinessDeadline: inSeconds(600),
        actionStart: inSeconds(600),
        actionEnd: inSeconds(900),
        debriefDeadline: inSeconds(1200),
        exercise: true,
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ phase: 'planning', countries: COUNTRIES.length, exercise: true });
    const id = created.body.id as string;

    const launched = await stack.http('POST', `/api/v1/operations/${id}/launch`, { token: coordinator });
    expect(launched.status).toBe(200);
    expect(launched.body.phase).toBe('preparation');
    expect((await stack.http('POST', `/api/v1/operations/${id}/launch`, { token: coordinator })).status).toBe(409);

    const tokens = new Map<string, string>();
    for (const c of COUNTRIES) tokens.set(c.iso, await stack.token({ sub: `nrp@${c.iso.toLowerCase()}`, role: 'member', country: c.iso }));

    // Children start asynchronously after launch; each country confirms readiness through the API.
    await pool([...COUNTRIES], 16, async (c) => {
      for (let attempt = 0; ; attempt++) {
        const res = await stack.http('POST', `/api/v1/operations/${id}/countries/${c.iso}/readiness`, {
          token: tokens.get(c.iso),
          body: { ready: true, pointOfContact: `Duty officer ${c.iso}`, teamSize: 4 },
        });
        if (res.status === 200) return;
        if (attempt > 50) throw new Error(`${c.iso} readiness: ${res.status} ${JSON.stringify(res.body)}`);
        await sleep(200);
      }
    });
    // Results before the action window are refused.
    const early = await stack.http('POST', `/api/v1/operations/${id}/countries/PH/results`, { token: tokens.get('PH'), body: { counts: { arrests: 1 } } });
    expect(early.status).toBe(409);

    const waitFor = async (pred: (s: any) => boolean, ms: number) => {
      const end = Date.now() + ms;
      let last: any;
      while (Date.now() < end) {
        last = (await stack.http('GET', `/api/v1/operations/${id}`, { token: coordinator })).body;
        if (pred(last)) return last;
        await sleep(500);
      }
      throw new Error(`condition not reached: ${JSON.stringify({ phase: last?.phase, totals: last?.totals })}`);
    };
    const ready = await waitFor((s) => s.totals.ready === COUNTRIES.length, 30_000);
    expect(ready.totals).toMatchObject({ invited: COUNTRIES.length, notReady: 0 });
    const extended = await stack.http('POST', `/api/v1/operations/${id}/extend`, { token: coordinator, body: { readinessDeadline: inSeconds(2), actionStart: inSeconds(2) } });
    expect(extended.status).toBe(200);
    await waitFor((s) => s.phase === 'action', 40_000);

    const expected = { arrests: 0, servers_seized: 0, domains_taken_down: 0 };
    await pool([...COUNTRIES], 16, async (c, i) => {
      const counts = { arrests: (i % 5) + 1, servers_seized: i % 3, domains_taken_down: i % 7 };
      expected.arrests += counts.arrests;
      expected.servers_seized += counts.servers_seized;
      expected.domains_taken_down += counts.domains_taken_down;
      const res = await stack.http('POST', `/api/v1/operations/${id}/countries/${c.iso}/results`, {
        token: tokens.get(c.iso),
        body: { counts, notes: `confidential notes of ${c.iso}` },
      });
      expect({ iso: c.iso, status: res.status }).toEqual({ iso: c.iso, status: 200 });
    });
    const totals = (await waitFor((s) => s.totals.reporting === COUNTRIES.length, 30_000)).totals;
    expect(totals.results).toMatchObject(expected);
    expect(Object.values(totals.byRegion as Record<string, { reporting: number }>).reduce((n, r) => n + r.reporting, 0)).toBe(COUNTRIES.length);

    // A member sees its own notes, never another country's, and cannot act for another country.
    const ph = await stack.http('GET', `/api/v1/operations/${id}/countries/PH`, { token: tokens.get('PH') });
    expect(ph.body.reports[0].notes).toBe('confidential notes of PH');
    expect((await stack.http('GET', `/api/v1/operations/${id}/countries/BR`, { token: tokens.get('PH') })).status).toBe(404);
    expect((await stack.http('POST', `/api/v1/operations/${id}/countries/BR/results`, { token: tokens.get('PH'), body: { counts: { arrests: 1 } } })).status).toBe(404);
    const detailForMember = await stack.http('GET', `/api/v1/operations/${id}`, { token: tokens.get('PH') });
    expect(JSON.stringify(detailForMember.body)).not.toContain('confidential notes of BR');

    // Every country's primary contact was invited, once.
    const invitations = smtp.messages.filter((m) => m.data.includes(`${id}/country/`) && /Invitation/.test(m.data));
    expect(new Set(invitations.map((m) => m.envelope.rcptTo[0])).size).toBe(COUNTRIES.length);
    expect(invitations).toHaveLength(COUNTRIES.length);

    // Listing: the member sees the operation; the read model caught up with the totals.
    const listed = await stack.http('GET', '/api/v1/operations?exercise=true', { token: tokens.get('PH') });
    expect(listed.body.items.map((o: { id: string }) => o.id)).toContain(id);

    const aborted = await stack.http('POST', `/api/v1/operations/${id}/abort`, { token: coordinator, body: { reason: 'end of test' } });
    expect(aborted.body.phase).toBe('aborted');
    const supervisor = await stack.token(SUPERVISOR);
    expect((await stack.http('GET', `/api/v1/operations/${id}`, { token: supervisor })).status).toBe(200);
  });

  it('hides operations from members of countries that do not take part', async () => {
    const created = await stack.http('POST', '/api/v1/operations', {
      token: coordinator,
      body: { name: 'ASEAN only', objective: 'x', categories: ['malware'], groups: ['ASEAN'], readinessDeadline: inSeconds(60), actionStart: inSeconds(70), actionEnd: inSeconds(80), debriefDeadline: inSeconds(90) },
    });
    const id = created.body.id as string;
    const br = await stack.token(MEMBER_BR);
    expect((await stack.http('GET', `/api/v1/operations/${id}`, { token: br })).status).toBe(404);
    expect((await stack.http('GET', '/api/v1/operations', { token: br })).body.items.map((o: { id: string }) => o.id)).not.toContain(id);
    await stack.http('POST', `/api/v1/operations/${id}/abort`, { token: coordinator, body: { reason: 'end of test' } });
  });
});
