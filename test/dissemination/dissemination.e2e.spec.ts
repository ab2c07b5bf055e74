import type { Principal } from '../../apps/api/auth/principal';
import { ADMIN, ANALYST, Stack, startStack, SUPERVISOR } from '../support/harness';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';

// A dissemination to 20 countries over HTTP with the real worker, Temporal, PostgreSQL and SMTP:
// some acknowledge at once, some only once the backup contact was reached, some never (the
// supervisor is alerted); feedback is recorded; a later support request learns that an indicator
// was already acted upon; recall stops access.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const AT_ONCE = ['AR', 'AU', 'CA', 'DE', 'EG', 'FR', 'IN', 'JP'];
const AFTER_BACKUP = ['KE', 'MA', 'MX', 'NG', 'SA', 'SG'];
const NEVER = ['TR', 'US', 'ZA', 'GB', 'IT', 'ES'];
const RECIPIENTS = [...AT_ONCE, ...AFTER_BACKUP, ...NEVER];
const member = (iso: string): Principal => ({ sub: `officer@nrp.${iso.toLowerCase()}`, role: 'member', country: iso });

describe('dissemination to 20 countries end to end', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let analyst: string;
  let originalPolicy: Record<string, unknown>;
  const tokens = new Map<string, string>();

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startStack({ env: { SMTP_URL: smtp.url }, checkResponses: true });
    analyst = await stack.token(ANALYST);
    for (const iso of [...RECIPIENTS, 'BR']) tokens.set(iso, await stack.token(member(iso)));
    const admin = await stack.token(ADMIN);
    originalPolicy = (await stack.http('GET', '/api/v1/sla-policies', { token: admin })).body.items.find((p: { priority: string }) => p.priority === 'P2');
    // Durations are data: a 4-second acknowledgement deadline per contact level.
    const put = await stack.http('PUT', '/api/v1/sla-policies/P2', { token: admin, body: { triage: '4h', firstResponse: '1d', resolution: '7d', acknowledge: '4s' } });
    expect(put.status).toBe(200);
  });
  afterAll(async () => {
    if (stack && originalPolicy) {
      const { triage, firstResponse, resolution, acknowledge } = originalPolicy as Record<string, string>;
      await stack.http('PUT', '/api/v1/sla-policies/P2', { token: await stack.token(ADMIN), body: { triage, firstResponse, resolution, acknowledge } });
    }
    // Put ZA's seeded chain back for other files.
    await stack?.prisma.contact.deleteMany({ where: { countryIso: 'ZA' } });
    const { seedDatabase } = await import('../../prisma/seed');
    if (stack) await seedDatabase(stack.prisma);
    await stack?.stop();
    await smtp?.close();
  });

  const detail = async () => (await stack.http('GET', `/api/v1/disseminations/${dsId}`, { token: analyst })).body;
  const rowOf = (d: any, iso: string) => d.recipients.find((r: { iso: string }) => r.iso === iso);
  async function until(what: string, ok: (d: any) => boolean, ms = 30_000): Promise<any> {
    const end = Date.now() + ms;
    let last = await detail();
    while (!ok(last)) {
      if (Date.now() > end) throw new Error(`timed out: ${what}; totals ${JSON.stringify(last.totals)}`);
      await sleep(200);
      last = await detail();
    }
    return last;
  }

  let intelId: string;
  let dsId: string;
  const ackCalls: Array<Promise<{ status: number; body: any }>> = [];
  const actionedIp = '203.0.113.77';

  it('takes the item in and sends it to 20 countries; every first delivery is recorded; an admin edits a chain meanwhile', async () => {
    const submitted = await stack.http('POST', '/api/v1/intel', {
      token: analyst,
      body: {
        title: 'DDoS-for-hire panel and its payment wallet',
        summary: 'Booter service selling attacks; front-end and wallet below.',
        categories: ['ddos_service'],
        indicators: [
          { type: 'ipv4', value: '203[.]0[.]113[.]77' },
          { type: 'url', value: 'hxxps://Booter[.]Example/Panel/Login' },
          { type: 'wallet', value: '0x52908400098527886E0F7030069857D2E4169EE7' },
        ],
        priority: 'P2',
        tlp: 'TLP:AMBER',
        source: { kind: 'private_sector', name: 'Vendor X', reliability: 'B' },
        credibility: 2,
      },
    });
    expect(submitted.status).toBe(201);
    expect(submitted.body.status).toBe('received');
    intelId = submitted.body.id;
    const stored = await stack.http('GET', `/api/v1/intel/${intelId}`, { token: analyst });
    expect(stored.body.indicators).toEqual([
      { type: 'ipv4', value: actionedIp },
      { type: 'url', value: 'https://booter.example/Panel/Login' },
      { type: 'wallet', value: '0x52908400098527886e0f7030069857d2e4169ee7' },
    ]);
    expect(stored.body.grading).toBe('B2');

    const sent = await stack.http('POST', `/api/v1/intel/${intelId}/disseminate`, { token: analyst, body: { countries: RECIPIENTS } });
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ intelId, status: 'active', recipients: 20 });
    dsId = sent.body.id;
    // ZA's chain becomes two contacts with a new night desk: the running dissemination uses it.
    const admin = await stack.token(ADMIN);
    const bad = await stack.http('PUT', '/api/v1/contacts/countries/ZA', { token: admin, body: { contacts: [{ name: 'x', channel: 'email', address: 'https://not-an-email.example' }] } });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].field).toBe('contacts.0.address');
    expect((await stack.http('PUT', '/api/v1/contacts/countries/ZA', { token: tokens.get('ZA'), body: { contacts: [] } })).status).toBe(403);
    const chain = await stack.http('PUT', '/api/v1/contacts/countries/ZA', {
      token: admin,
      body: { contacts: [{ name: 'South Africa NRP', channel: 'email', address: 'primary@nrp.za.cyberops.test' }, { name: 'South Africa night desk', channel: 'email', address: 'night-desk@nrp.za.cyberops.test' }] },
    });
    expect(chain.status).toBe(200);
    expect(chain.body.contacts.map((c: { rank: number; address: string }) => [c.rank, c.address])).toEqual([[1, 'primary@nrp.za.cyberops.test'], [2, 'night-desk@nrp.za.cyberops.test']]);
    expect((await stack.http('GET', '/api/v1/contacts/countries/ZA', { token: tokens.get('ZA') })).body.contacts).toHaveLength(2);
    expect((await stack.http('GET', '/api/v1/contacts/countries/ZA', { token: tokens.get('US') })).status).toBe(404);
    expect(await stack.prisma.auditEvent.count({ where: { action: 'contacts.update', objectId: 'ZA' } })).toBe(1);
    // Some countries acknowledge as soon as the item reaches them.
    const pending = new Set(AT_ONCE);
    const delivered = await until('all delivered', (d) => {
      for (const r of d.recipients) {
        if (pending.has(r.iso) && r.deliveredAt) {
          pending.delete(r.iso);
          ackCalls.push(stack.http('POST', `/api/v1/disseminations/${dsId}/recipients/${r.iso}/ack`, { token: tokens.get(r.iso), body: {} }));
        }
      }
      return d.totals.delivered === 20 && pending.size === 0;
    });
    expect(delivered.recipients).toHaveLength(20);
    for (const r of delivered.recipients) expect(r.attempts[0]).toMatchObject({ kind: 'intel', levelName: 'country_contact_1', channel: 'email', ok: true });
    // The primary contact of each recipient got the item, once ('delivered' is queued: the outbox sends it just after).
    const primaries = () => smtp.messages.filter((m) => m.data.includes(dsId) && m.envelope.rcptTo[0].startsWith('primary@') && !m.data.includes('Feedback requested'));
    for (let i = 0; primaries().length < 20 && i < 100; i++) await sleep(100);
    expect(new Set(primaries().map((m) => m.envelope.rcptTo[0])).size).toBe(20);
    expect(primaries()).toHaveLength(20);
  });

  it('takes acknowledgements from members of each country only', async () => {
    const acks = await Promise.all(ackCalls);
    expect(acks.map((a) => [a.status, a.body.status])).toEqual(AT_ONCE.map(() => [200, 'acknowledged']));
    const br = tokens.get('BR')!;
    expect((await stack.http('POST', `/api/v1/disseminations/${dsId}/recipients/AR/ack`, { token: br, body: {} })).status).toBe(404);
    expect((await stack.http('POST', `/api/v1/disseminations/${dsId}/recipients/AR/ack`, { token: analyst, body: {} })).status).toBe(403);
    expect((await stack.http('GET', `/api/v1/disseminations/${dsId}`, { token: br })).status).toBe(404);
    // A repeated acknowledgement changes nothing.
    const again = await stack.http('POST', `/api/v1/disseminations/${dsId}/recipients/AR/ack`, { token: tokens.get('AR'), body: {} });
    expect(again.body.status).toBe('acknowledged');
    // A member sees its own row only, with no totals of others.
    const own = await stack.http('GET', `/api/v1/disseminations/${dsId}`, { token: tokens.get('AR') });
    expect(own.body.recipients.map((r: { iso: string }) => r.iso)).toEqual(['AR']);
    expect(own.body.totals).toBeUndefined();
  });

  it('climbs to the backup contact on the acknowledge deadline; those countries then acknowledge', async () => {
    const climbed = await until('backup reached', (d) => AFTER_BACKUP.every((iso) => rowOf(d, iso).level >= 1));
    for (const iso of AFTER_BACKUP) {
      const row = rowOf(climbed, iso);
      expect(row.status).toBe('overdue');
      expect(row.attempts[1]).toMatchObject({ levelName: 'country_contact_2', address: `backup@nrp.${iso.toLowerCase()}.cyberops.test`, ok: true });
      // Each level waited the deadline (4 s) before the next.
      expect(Date.parse(row.attempts[1].at) - Date.parse(row.attempts[0].at)).toBeGreaterThanOrEqual(3_900);
      const ack = await stack.http('POST', `/api/v1/disseminations/${dsId}/recipients/${iso}/ack`, { token: tokens.get(iso), body: {} });
      expect(ack.body.status).toBe('acknowledged');
    }
    for (const iso of AT_ONCE) expect(rowOf(climbed, iso).level).toBe(0);
  });

  it('alerts the supervisor (ack_overdue) for countries that never acknowledge, after the whole chain and the regional officer', async () => {
    const overdue = await until('supervisor level', (d) => NEVER.every((iso) => rowOf(d, iso).levelName === 'supervisor'), 40_000);
    expect(overdue.totals).toMatchObject({ recipients: 20, delivered: 20, acknowledged: AT_ONCE.length + AFTER_BACKUP.length, overdue: NEVER.length });
    for (const iso of NEVER.filter((c) => c !== 'ZA')) {
      expect(rowOf(overdue, iso).attempts.map((a: { levelName: string }) => a.levelName)).toEqual(['country_contact_1', 'country_contact_2', 'country_contact_3', 'regional_officer']);
    }
    // ZA's edited chain: the night desk at rank 2, no rank 3 (skipped without waiting).
    expect(rowOf(overdue, 'ZA').attempts.map((a: { levelName: string; address: string }) => [a.levelName, a.address])).toEqual([
      ['country_contact_1', 'primary@nrp.za.cyberops.test'],
      ['country_contact_2', 'night-desk@nrp.za.cyberops.test'],
      ['regional_officer', 'dco-africa@cyberops.test'],
    ]);
    const supervisor = await stack.token(SUPERVISOR);
    const alerts = await stack.http('GET', `/api/v1/alerts?objectType=dissemination&limit=200`, { token: supervisor });
    const mine = alerts.body.items.filter((a: { objectId: string }) => a.objectId === dsId);
    expect(mine.map((a: { country: string }) => a.country).sort()).toEqual([...NEVER].sort());
    expect(mine.every((a: { kind: string }) => a.kind === 'ack_overdue')).toBe(true);
    const paged = () => smtp.messages.filter((m) => m.envelope.rcptTo[0] === 'supervisor@cyberops.test' && m.data.includes('ack_overdue') && m.data.includes(dsId));
    for (let i = 0; paged().length < NEVER.length && i < 100; i++) await sleep(100);
    expect(paged()).toHaveLength(NEVER.length);
  });

  it('records feedback; a later support request and the deconfliction check learn "already acted upon"', async () => {
    const outcomes: Record<string, string> = { AR: 'actioned', AU: 'no_action', CA: 'already_known', DE: 'no_action' };
    for (const [iso, outcome] of Object.entries(outcomes)) {
      const fb = await stack.http('POST', `/api/v1/disseminations/${dsId}/recipients/${iso}/feedback`, { token: tokens.get(iso), body: { outcome, note: `${iso}: ${outcome}` } });
      expect(fb.status).toBe(200);
      expect(fb.body.feedback).toEqual({ outcome, note: `${iso}: ${outcome}` });
    }
    expect((await stack.http('POST', `/api/v1/disseminations/${dsId}/recipients/AR/feedback`, { token: tokens.get('AR'), body: { outcome: 'no_action', note: 'again' } })).status).toBe(409);
    expect((await stack.http('POST', `/api/v1/disseminations/${dsId}/recipients/AR/feedback`, { token: tokens.get('AR'), body: { outcome: 'maybe', note: 'x' } })).status).toBe(400);
    // A country that never acknowledged can still answer with feedback (which acknowledges).
    await stack.http('POST', `/api/v1/disseminations/${dsId}/recipients/TR/feedback`, { token: tokens.get('TR'), body: { outcome: 'actioned', note: 'late but done' } });
    const after = await until('feedback totals', (d) => d.totals.feedback === 5);
    expect(rowOf(after, 'TR')).toMatchObject({ status: 'feedback', feedback: { outcome: 'actioned' } });
    expect(after.totals.overdue).toBe(NEVER.length - 1);
    // What the regional trends read: each recipient's deadline (first delivery + the 4 s acknowledge SLA) and its feedback.
    const projected = await stack.prisma.disseminationRecipient.findMany({ where: { disseminationId: dsId, iso: { in: ['AR', 'TR'] } }, orderBy: { iso: 'asc' } });
    for (const row of projected) expect(row.ackDueAt!.getTime() - row.deliveredAt!.getTime()).toBe(4000);
    expect(projected.map((r) => r.feedbackOutcome)).toEqual(['actioned', 'actioned']);
    expect(projected[1].acknowledgedAt!.getTime()).toBeGreaterThan(projected[1].ackDueAt!.getTime());
    expect(projected[1].feedbackAt).toEqual(projected[1].acknowledgedAt);

    const request = await stack.http('POST', '/api/v1/support-requests', {
      token: tokens.get('BR'),
      body: { category: 'ddos_service', mode: 'remote', priority: 'P3', title: 'Attacks on our banks', description: 'Booter traffic', indicators: [{ type: 'ipv4', value: actionedIp }] },
    });
    expect(request.status).toBe(201);
    expect(request.body.deconfliction.alreadyActedUpon).toBe(true);
    const contacts = request.body.deconfliction.actedUpon.map((a: { contact: { address: string } }) => a.contact.address).sort();
    expect(contacts).toEqual(['primary@nrp.ar.cyberops.test', 'primary@nrp.ca.cyberops.test', 'primary@nrp.tr.cyberops.test']);
    // The member learns who acted, never what the item said.
    expect(JSON.stringify(request.body.deconfliction)).not.toContain('Booter service');

    const check = await stack.http('POST', '/api/v1/deconfliction/check', { token: tokens.get('BR'), body: { indicators: [{ type: 'ipv4', value: actionedIp }, { type: 'ipv4', value: '198.51.100.200' }] } });
    expect(check.body.results.map((r: { alreadyActedUpon: boolean }) => r.alreadyActedUpon)).toEqual([true, false]);
  });

  it('recall: recipients are told, their reads answer 410, others 404', async () => {
    expect((await stack.http('GET', `/api/v1/intel/${intelId}`, { token: tokens.get('FR') })).status).toBe(200);
    const recalled = await stack.http('POST', `/api/v1/disseminations/${dsId}/recall`, { token: analyst, body: { reason: 'vendor retracted the attribution' } });
    expect(recalled.status).toBe(200);
    expect((await stack.http('GET', `/api/v1/intel/${intelId}`, { token: tokens.get('FR') })).status).toBe(410);
    expect((await stack.http('GET', `/api/v1/intel/${intelId}/stix`, { token: tokens.get('AR') })).status).toBe(410);
    expect((await stack.http('GET', `/api/v1/intel/${intelId}`, { token: tokens.get('BR') })).status).toBe(404);
    expect((await stack.http('POST', `/api/v1/disseminations/${dsId}/recipients/US/ack`, { token: tokens.get('US'), body: {} })).status).toBe(410);
    // Every contact that received the item hears of the recall (primaries of all 20, and the climbed ones).
    const expected = [...RECIPIENTS.map((iso) => `primary@nrp.${iso.toLowerCase()}.cyberops.test`), ...AFTER_BACKUP.map((iso) => `backup@nrp.${iso.toLowerCase()}.cyberops.test`)];
    const told = new Set<string>();
    for (const end = Date.now() + 20_000; Date.now() < end && !expected.every((a) => told.has(a)); await sleep(200)) {
      for (const m of smtp.messages) if (m.data.includes('RECALL') && m.data.includes(dsId)) told.add(m.envelope.rcptTo[0]);
    }
    for (const iso of RECIPIENTS) expect(told.has(`primary@nrp.${iso.toLowerCase()}.cyberops.test`)).toBe(true);
    for (const iso of AFTER_BACKUP) expect(told.has(`backup@nrp.${iso.toLowerCase()}.cyberops.test`)).toBe(true);
    const final = await until('recalled', (d) => d.status === 'recalled');
    expect(final.recall.reason).toBe('vendor retracted the attribution');
  });
  it('waits for the originator to approve a widened AMBER+STRICT audience; the decision is taken once', async () => {
    const br = tokens.get('BR')!;
    const item = await stack.http('POST', '/api/v1/intel', {
      token: br,
      body: { title: 'Loader staging host', summary: 'Seen by BR only so far.', categories: ['botnet'], indicators: [{ type: 'ipv4', value: '198.51.100.177' }], priority: 'P2', tlp: 'TLP:AMBER+STRICT', source: { kind: 'law_enforcement', reliability: 'A' }, credibility: 2 },
    });
    expect(item.status).toBe(201);
    const sent = await stack.http('POST', `/api/v1/intel/${item.body.id}/disseminate`, { token: analyst, body: { countries: ['AR'] } });
    expect(sent.body).toMatchObject({ status: 'pending_approval', approvalRequired: true, recipients: 1 });
    // Only the originator decides: the analyst who sent it may not.
    expect((await stack.http('POST', `/api/v1/disseminations/${sent.body.id}/approval`, { token: analyst, body: { decision: 'approve' } })).status).toBe(403);
    const approved = await stack.http('POST', `/api/v1/disseminations/${sent.body.id}/approval`, { token: br, body: { decision: 'approve', note: 'AR may act on it' } });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ id: sent.body.id, status: 'active', approval: { required: true, decision: 'approved', by: member('BR').sub, note: 'AR may act on it' } });
    expect((await stack.http('POST', `/api/v1/disseminations/${sent.body.id}/approval`, { token: br, body: { decision: 'refuse' } })).status).toBe(409);
  });
});
