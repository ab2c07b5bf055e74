import { randomUUID } from 'node:crypto';
import type { Principal } from '../../apps/api/auth/principal';
import { SmtpSink, startSmtpSink } from '../support/smtp-sink';
import { ANALYST, COORDINATOR_AMERICAS, MEMBER_BR, MEMBER_PH, Stack, startStack } from '../support/harness';

// Partner grants over HTTP on the real stack (API, worker, Temporal dev server, PostgreSQL): the
// access matrix (granted 200; not granted, other organisation, expired, revoked 404; actions
// the role may never do 403), the TLP ceiling, contributions feeding deconfliction, a partner's
// own intelligence graded by an analyst, and the originator's view of partner access.

// Organisations of this run: other files on the same database grant objects to theirs.
const RUN = randomUUID().slice(0, 8);
const ACME_ORG = `acme-${RUN}`;
const UNI_ORG = `uni-${RUN}`;
const LEAD: Principal = { sub: 'officer.manila@cyberops.test', role: 'coordinator', region: 'EURASIA' };
const ACME: Principal = { sub: `analyst@${ACME_ORG}.example`, role: 'partner', org: ACME_ORG };
const ACME_2: Principal = { sub: `intern@${ACME_ORG}.example`, role: 'partner', org: ACME_ORG };
const UNI: Principal = { sub: `researcher@${UNI_ORG}.example`, role: 'partner', org: UNI_ORG };
const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();
const HOUR = 3_600_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('partner grants and partner access (API over HTTP, real stack)', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  const run = RUN;
  const call = async (who: Principal, method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    stack.http(method, path, { token: await stack.token(who), body, headers });

  async function operation(name: string): Promise<string> {
    const res = await call(LEAD, 'POST', '/api/v1/operations', {
      name: `${name} ${run}`, objective: 'take down the C2', categories: ['botnet'], countries: ['PH'],
      readinessDeadline: inMs(HOUR), actionStart: inMs(2 * HOUR), actionEnd: inMs(3 * HOUR), debriefDeadline: inMs(4 * HOUR),
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }
  async function intel(tlp: string, domain: string): Promise<string> {
    const res = await call(ANALYST, 'POST', '/api/v1/intel', {
      title: `${tlp} title ${run}`, summary: `${tlp} secret summary`, categories: ['botnet'], indicators: [{ type: 'domain', value: domain }],
      priority: 'P2', tlp, source: { kind: 'cert', name: 'CERT-X', reliability: 'B' }, credibility: 2,
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }
  const grant = (who: Principal, body: Record<string, unknown>, headers?: Record<string, string>) =>
    call(who, 'POST', '/api/v1/partner-grants', { org: ACME_ORG, tlpCeiling: 'TLP:AMBER', purpose: 'takedown support', endsAt: inMs(HOUR), ...body }, headers);

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startStack({ env: { SMTP_URL: smtp.url }, checkResponses: true });
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  it('operation: granted 200, other organisation / not granted / revoked 404, never-allowed actions 403; every access audited', async () => {
    const op = await operation('Granted');
    const other = await operation('Not granted');
    // Who may grant: the coordinator steering it; not an analyst (403), nor a coordinator who cannot see it (404).
    expect((await grant(ANALYST, { objectType: 'operation', objectId: op })).status).toBe(403);
    expect((await grant(COORDINATOR_AMERICAS, { objectType: 'operation', objectId: op })).status).toBe(404);
    expect((await grant(MEMBER_PH, { objectType: 'operation', objectId: op })).status).toBe(403);
    expect((await grant(LEAD, { objectType: 'intel', objectId: op })).body.details).toEqual([expect.objectContaining({ field: 'objectId' })]);
    expect((await grant(LEAD, { objectType: 'operation', objectId: op, endsAt: inMs(-1000) })).status).toBe(422);
    const red = await grant(LEAD, { objectType: 'operation', objectId: op, tlpCeiling: 'TLP:RED' });
    expect(red.status).toBe(422);
    expect(red.body.details).toEqual([expect.objectContaining({ field: 'namedSubs' })]);

    const key = { 'Idempotency-Key': `grant-${run}` };
    const endsAt = inMs(HOUR);
    const made = await grant(LEAD, { objectType: 'operation', objectId: op, endsAt }, key);
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ org: ACME_ORG, objectType: 'operation', objectId: op, status: 'active', grantedBy: LEAD.sub, tlpCeiling: 'TLP:AMBER' });
    const again = await grant(LEAD, { objectType: 'operation', objectId: op, endsAt }, key);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(made.body.id);
    expect((await grant(LEAD, { objectType: 'operation', objectId: op, endsAt, purpose: 'another' }, key)).status).toBe(422);
    const id = made.body.id as string;

    const seen = await call(ACME, 'GET', `/api/v1/operations/${op}`);
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ id: op, name: `Granted ${run}`, phase: 'planning', grant: { id, tlpCeiling: 'TLP:AMBER' } });
    expect(seen.body.countries).toBeUndefined();
    const listed = await call(ACME, 'GET', '/api/v1/operations?limit=200');
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((o: { id: string }) => o.id)).toEqual([op]);
    expect(Object.keys(listed.body.items[0].totals)).toEqual(['results']);
    expect(listed.body.items[0].countries).toBeUndefined();
    expect((await call(ACME, 'GET', '/api/v1/partner-grants')).body.items.map((g: { id: string }) => g.id)).toContain(id);
    expect((await call(ACME, 'GET', `/api/v1/partner-grants/${id}`)).status).toBe(200);

    // 404: not granted, another organisation.
    expect((await call(ACME, 'GET', `/api/v1/operations/${other}`)).status).toBe(404);
    expect((await call(UNI, 'GET', `/api/v1/operations/${op}`)).status).toBe(404);
    expect((await call(UNI, 'GET', `/api/v1/partner-grants/${id}`)).status).toBe(404);
    expect((await call(UNI, 'GET', '/api/v1/operations')).body.items).toEqual([]);
    // 403: what a partner may never do, granted or not.
    expect((await call(ACME, 'GET', `/api/v1/operations/${op}/countries/PH`)).status).toBe(403);
    expect((await call(ACME, 'POST', `/api/v1/operations/${op}/abort`, { reason: 'r' })).status).toBe(403);
    expect((await call(ACME, 'POST', `/api/v1/partner-grants/${id}/revoke`, { reason: 'r' })).status).toBe(403);
    expect((await call(ACME, 'POST', '/api/v1/partner-grants', { org: ACME_ORG, objectType: 'operation', objectId: op, tlpCeiling: 'TLP:GREEN', purpose: 'p', endsAt: inMs(HOUR) })).status).toBe(403);
    expect((await call(ACME, 'GET', '/api/v1/support-requests')).status).toBe(403);

    // Revocation: only the granter (or a supervisor); access ends when it answers.
    expect((await call(COORDINATOR_AMERICAS, 'POST', `/api/v1/partner-grants/${id}/revoke`, { reason: 'r' })).status).toBe(404);
    const revoked = await call(LEAD, 'POST', `/api/v1/partner-grants/${id}/revoke`, { reason: 'takedown done' });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ status: 'revoked', revokedBy: LEAD.sub, revokeReason: 'takedown done' });
    expect((await call(ACME, 'GET', `/api/v1/operations/${op}`)).status).toBe(404);
    expect((await call(ACME, 'GET', `/api/v1/partner-grants/${id}`)).status).toBe(404);
    expect((await call(ACME, 'POST', `/api/v1/partner-grants/${id}/results`, { counts: { arrests: 1 } })).status).toBe(404);
    expect((await call(ACME, 'GET', '/api/v1/operations')).body.items).toEqual([]);
    expect((await call(LEAD, 'POST', `/api/v1/partner-grants/${id}/revoke`, { reason: 'again' })).status).toBe(409);

    const audited = await stack.prisma.auditEvent.findMany({ where: { actorSub: ACME.sub, objectId: op } });
    expect(audited.filter((e) => e.action === 'operation.read' && e.afterState === 'read').length).toBeGreaterThanOrEqual(2);
    expect(audited.some((e) => e.afterState === 'denied')).toBe(true);
    const trail = await stack.prisma.auditEvent.findMany({ where: { objectType: 'partner_grant', objectId: id }, orderBy: { id: 'asc' } });
    expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(['partner_grant.grant', 'partner_grant.revoke']));
  });

  it('expiry: access ends at the end date (read time), the granter is reminded through the outbox, the workflow records the expiry', async () => {
    const op = await operation('Expiring');
    const made = await grant(LEAD, { objectType: 'operation', objectId: op, endsAt: inMs(6_000) });
    expect(made.status).toBe(201);
    const { id, endsAt, remindAt } = made.body as { id: string; endsAt: string; remindAt: string };
    // A grant shorter than the reminder lead time is reminded halfway.
    expect(Date.parse(remindAt)).toBeLessThan(Date.parse(endsAt));
    expect((await call(ACME, 'GET', `/api/v1/operations/${op}`)).status).toBe(200);
    await sleep(Math.max(0, Date.parse(endsAt) - Date.now()));
    expect((await call(ACME, 'GET', `/api/v1/operations/${op}`)).status).toBe(404);
    let row = await stack.prisma.partnerGrant.findUniqueOrThrow({ where: { id } });
    for (let i = 0; i < 40 && row.status !== 'expired'; i++) {
      await sleep(250);
      row = await stack.prisma.partnerGrant.findUniqueOrThrow({ where: { id } });
    }
    expect(row.status).toBe('expired');
    expect(row.endedAt!.getTime()).toBeGreaterThanOrEqual(Date.parse(endsAt));
    expect(row.remindedAt).not.toBeNull();
    const reminder = await stack.prisma.notification.findMany({ where: { idempotencyKey: { startsWith: `partner-grant/${id}/` } } });
    expect(reminder).toEqual([expect.objectContaining({ address: LEAD.sub, dispatch: true })]);
    expect(reminder[0].subject).toContain(ACME_ORG);
    // The dispatcher delivers it beside the workflow (the expiry above never waited on it).
    for (let i = 0; i < 40 && !smtp.messages.some((m) => m.envelope.rcptTo.includes(LEAD.sub)); i++) await sleep(250);
    expect(smtp.messages.filter((m) => m.envelope.rcptTo.includes(LEAD.sub)).map((m) => m.data)).toEqual([expect.stringContaining(`Partner access of ${ACME_ORG}`)]);
    expect((await call(LEAD, 'GET', `/api/v1/partner-grants/${id}`)).body.status).toBe('expired');
    expect((await call(LEAD, 'POST', `/api/v1/partner-grants/${id}/revoke`, { reason: 'late' })).status).toBe(409);
  });

  it('intel: the ceiling never above the marking, content withheld below it, TLP:RED to named individuals only; the originator sees who accessed it', async () => {
    const amber = await intel('TLP:AMBER', `amber-${run}.example`);
    expect((await grant(ANALYST, { objectType: 'intel', objectId: amber, tlpCeiling: 'TLP:RED', namedSubs: [ACME.sub] })).status).toBe(422);
    expect((await grant(LEAD, { objectType: 'intel', objectId: amber })).status).toBe(403);
    const low = await grant(ANALYST, { objectType: 'intel', objectId: amber, tlpCeiling: 'TLP:GREEN' });
    expect(low.status).toBe(201);
    const withheld = await call(ACME, 'GET', `/api/v1/intel/${amber}`);
    expect(withheld.status).toBe(200);
    expect(withheld.body).toMatchObject({ id: amber, tlp: 'TLP:AMBER', contentWithheld: true });
    expect(JSON.stringify(withheld.body)).not.toMatch(/secret summary|title|amber-/);
    expect((await call(ACME, 'GET', `/api/v1/intel/${amber}/stix`)).status).toBe(404);

    const full = await grant(ANALYST, { objectType: 'intel', objectId: amber, org: UNI_ORG, tlpCeiling: 'TLP:AMBER' });
    expect(full.status).toBe(201);
    const read = await call(UNI, 'GET', `/api/v1/intel/${amber}`);
    expect(read.body).toMatchObject({ contentWithheld: false, summary: 'TLP:AMBER secret summary', indicators: [{ type: 'domain', value: `amber-${run}.example` }] });
    const stix = await call(UNI, 'GET', `/api/v1/intel/${amber}/stix`);
    expect(stix.status).toBe(200);
    expect(stix.body.type).toBe('bundle');
    const inbox = await call(UNI, 'GET', '/api/v1/intel');
    expect(inbox.body.items.map((i: { id: string }) => i.id)).toEqual([amber]);
    // Feedback on what was received (also an "already acted upon" sighting for deconfliction).
    const fed = await call(UNI, 'POST', `/api/v1/partner-grants/${full.body.id}/feedback`, { outcome: 'actioned', note: 'blocked at our resolvers' });
    expect(fed.status).toBe(200);
    expect(fed.body.contributions).toEqual([expect.objectContaining({ kind: 'feedback', outcome: 'actioned', by: UNI.sub })]);
    expect((await call(UNI, 'POST', `/api/v1/partner-grants/${full.body.id}/results`, { counts: { arrests: 1 } })).status).toBe(409);

    const redItem = await intel('TLP:RED', `red-${run}.example`);
    expect((await grant(ANALYST, { objectType: 'intel', objectId: redItem, tlpCeiling: 'TLP:RED' })).status).toBe(422);
    const named = await grant(ANALYST, { objectType: 'intel', objectId: redItem, tlpCeiling: 'TLP:RED', namedSubs: [ACME.sub] });
    expect(named.status).toBe(201);
    expect((await call(ACME, 'GET', `/api/v1/intel/${redItem}`)).body).toMatchObject({ contentWithheld: false, summary: 'TLP:RED secret summary' });
    expect((await call(ACME_2, 'GET', `/api/v1/intel/${redItem}`)).status).toBe(404);
    expect((await call(UNI, 'GET', `/api/v1/intel/${redItem}`)).status).toBe(404);

    const access = await call(ANALYST, 'GET', `/api/v1/intel/${amber}/partner-access`);
    expect(access.status).toBe(200);
    expect(access.body.grants.map((g: { org: string }) => g.org).sort()).toEqual([ACME_ORG, UNI_ORG].sort());
    const rows = access.body.accesses as Array<{ sub: string; org: string; action: string; via: string }>;
    expect(rows).toEqual(expect.arrayContaining([
      expect.objectContaining({ sub: ACME.sub, org: ACME_ORG, action: 'intel.read', via: 'api' }),
      expect.objectContaining({ sub: UNI.sub, org: UNI_ORG, action: 'intel.read', via: 'stix' }),
      expect.objectContaining({ sub: UNI.sub, org: UNI_ORG, action: 'partner_grant.feedback' }),
    ]));
    expect((await call(MEMBER_BR, 'GET', `/api/v1/intel/${amber}/partner-access`)).status).toBe(404);
    expect((await call(ACME, 'GET', `/api/v1/intel/${amber}/partner-access`)).status).toBe(403);
  });

  it('a partner contributes indicators to its granted operation; a member\'s later deconfliction check hits without content', async () => {
    const op = await operation('Takedown');
    const made = await grant(LEAD, { objectType: 'operation', objectId: op });
    const domain = `sinkholed-${run}.example`;
    const sent = await call(ACME, 'POST', `/api/v1/partner-grants/${made.body.id}/results`, {
      counts: { domains_taken_down: 3 }, notes: 'sinkholed by acme', indicators: [{ type: 'domain', value: domain.toUpperCase() }, { type: 'ipv4', value: '198.51.100.77' }],
    });
    expect(sent.status).toBe(200);
    expect(sent.body.contributions).toEqual([expect.objectContaining({ kind: 'results', counts: { domains_taken_down: 3 }, indicators: 2 })]);

    const check = await call(MEMBER_BR, 'POST', '/api/v1/deconfliction/check', { indicators: [{ type: 'domain', value: domain }] });
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ hit: true, results: [{ hit: true, indicator: { type: 'domain', value: domain } }] });
    // Whom to call: the officer who granted the partner access (from the staff directory).
    expect(check.body.results[0].contacts).toEqual([{ name: 'Investigative Support Officer, Manila', channel: 'email', address: LEAD.sub }]);
    const text = JSON.stringify(check.body);
    for (const secret of [op, 'acme', 'sinkholed by acme', made.body.id]) expect(text).not.toContain(secret);
    const staff = await call(LEAD, 'POST', '/api/v1/deconfliction/check', { indicators: [{ type: 'ipv4', value: '198.51.100.77' }] });
    expect(staff.body.results[0].objects).toEqual([{ objectType: 'operation_result', objectId: `${op}/partner/${ACME_ORG}`, country: null }]);
    const written = await stack.prisma.auditEvent.findFirst({ where: { actorSub: ACME.sub, action: 'partner_grant.results', objectType: 'operation', objectId: op } });
    expect(written).not.toBeNull();
  });

  it('a partner\'s own intelligence awaits an analyst\'s grading before dissemination', async () => {
    const body = {
      title: `Partner sighting ${run}`, summary: 'seen in our telemetry', categories: ['malware'], indicators: [{ type: 'sha256', value: 'a'.repeat(63) + '1' }],
      priority: 'P3', tlp: 'TLP:AMBER', source: { kind: 'private_sector', name: 'ACME telemetry', reliability: 'C' }, credibility: 3,
    };
    expect((await call(ACME, 'POST', '/api/v1/intel', { ...body, source: { ...body.source, kind: 'law_enforcement' } })).status).toBe(422);
    expect((await call(ACME, 'POST', '/api/v1/intel', { ...body, tlp: 'TLP:RED' })).status).toBe(422);
    const submitted = await call(ACME, 'POST', '/api/v1/intel', body);
    expect(submitted.status).toBe(201);
    expect(submitted.body.status).toBe('awaiting_grading');
    const id = submitted.body.id as string;
    expect((await call(ACME, 'GET', `/api/v1/intel/${id}`)).body).toMatchObject({ id, submittedByYou: true, title: body.title, status: 'awaiting_grading' });
    expect((await call(UNI, 'GET', `/api/v1/intel/${id}`)).status).toBe(404);
    expect((await call(ANALYST, 'POST', `/api/v1/intel/${id}/disseminate`, { countries: ['PH'] })).status).toBe(409);
    expect((await grant(ANALYST, { objectType: 'intel', objectId: id })).status).toBe(409);
    expect((await call(ACME, 'POST', `/api/v1/intel/${id}/grade`, { reliability: 'B', credibility: 2 })).status).toBe(403);
    const graded = await call(ANALYST, 'POST', `/api/v1/intel/${id}/grade`, { reliability: 'B', credibility: 2 });
    expect(graded.status).toBe(200);
    expect(graded.body).toMatchObject({ status: 'received', grading: 'B2', originator: { role: 'partner' } });
    expect((await call(ANALYST, 'POST', `/api/v1/intel/${id}/grade`, { reliability: 'A', credibility: 1 })).status).toBe(409);
    expect((await call(ANALYST, 'POST', `/api/v1/intel/${id}/disseminate`, { countries: ['PH'] })).status).toBe(201);
    const row = await stack.prisma.intelItem.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ originatorOrg: ACME_ORG, gradedBy: ANALYST.sub });
  });
});
