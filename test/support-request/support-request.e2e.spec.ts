import { randomBytes } from 'node:crypto';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { COORDINATOR_AMERICAS, COORDINATOR_EURASIA, MEMBER_BR, MEMBER_PH, Stack, startStack, SUPERVISOR } from '../support/harness';

// PH is in EURASIA: the EURASIA coordinator works its requests; BR (AMERICAS) must see nothing.
describe('support request lifecycle over HTTP (real API, worker, Temporal, PostgreSQL)', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  let member: string;
  let otherMember: string;
  let coordinator: string;
  let otherCoordinator: string;
  let supervisor: string;

  const submission = (overrides: Record<string, unknown> = {}) => ({
    category: 'botnet',
    mode: 'remote',
    priority: 'P3',
    title: 'Emotet-like loader C2 hosted in PH',
    description: 'Traffic from victims reaches a C2 panel; need help to identify the hosting provider.',
    indicators: [
      { type: 'ipv4', value: '203.0.113.7' },
      { type: 'domain', value: 'C2-Panel.Example.COM.' },
      { type: 'sha256', value: 'A'.repeat(64) },
    ],
    ...overrides,
  });

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startStack({ env: { SMTP_URL: smtp.url } });
    [member, otherMember, coordinator, otherCoordinator, supervisor] = await Promise.all(
      [MEMBER_PH, MEMBER_BR, COORDINATOR_EURASIA, COORDINATOR_AMERICAS, SUPERVISOR].map((p) => stack.token(p)),
    );
  });

  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  it('goes submitted → triaged → in_progress ⇄ awaiting_requester → resolved → closed', async () => {
    const submitted = await stack.http('POST', '/api/v1/support-requests', { token: member, body: submission() });
    expect(submitted.status).toBe(201);
    expect(submitted.body).toMatchObject({ status: 'submitted', deconfliction: { hit: false } });
    const id: string = submitted.body.id;

    const step = async (change: string, token: string, body: object, status: string) => {
      const res = await stack.http('POST', `/api/v1/support-requests/${id}/${change}`, { token, body });
      expect({ change, code: res.status, status: res.body.status }).toEqual({ change, code: 200, status });
      return res.body;
    };
    await step('triage', coordinator, { decision: 'accept' }, 'triaged');
    await step('assign', coordinator, { assignee: 'officer.manila@cyberops.test' }, 'in_progress');
    await step('actions', coordinator, { kind: 'tele_meeting', note: 'Call with PH unit' }, 'in_progress');
    const waiting = await step('request-info', coordinator, { question: 'Which ASN announces the C2 range?' }, 'awaiting_requester');
    expect(waiting.sla.resolution.state).toBe('paused');
    await step('provide-info', member, { answer: 'AS64500' }, 'in_progress');
    const paused = await step('pause-clock', coordinator, { reason: 'legal_process' }, 'in_progress');
    expect(paused.sla.resolution.state).toBe('paused');
    const twice = await stack.http('POST', `/api/v1/support-requests/${id}/pause-clock`, { token: coordinator, body: { reason: 'awaiting_partner' } });
    expect(twice.status).toBe(409);
    const resumed = await step('resume-clock', coordinator, {}, 'in_progress');
    expect(resumed.sla.resolution.state).toBe('running');
    expect(Object.keys(resumed.sla.resolution.pausedByReason).sort()).toEqual(['awaiting_requester', 'legal_process']);
    await step('resolve', coordinator, { summary: 'Provider identified, takedown coordinated.' }, 'resolved');
    await step('close', member, {}, 'closed');

    const detail = await stack.http('GET', `/api/v1/support-requests/${id}`, { token: member });
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id, status: 'closed', country: 'PH', assignee: 'officer.manila@cyberops.test' });
    expect(detail.body.actions).toHaveLength(1);
    expect(detail.body.indicators).toContainEqual({ type: 'domain', value: 'c2-panel.example.com' });
    expect(detail.body.sla.triage.state).toBe('met');
    expect(detail.body.sla.firstResponse.state).toBe('met');
    expect(detail.body.sla.resolution.pausedByReason.awaiting_requester).toBeGreaterThanOrEqual(0);
    expect(detail.body.sla.resolution.pauses).toHaveLength(2);

    const history = await stack.http('GET', `/api/v1/support-requests/${id}/history`, { token: coordinator });
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual([
      'support_request.submit',
      'support_request.triage.accept',
      'support_request.assign',
      'support_request.action.add',
      'support_request.info.request',
      'support_request.info.provide',
      'support_request.clock.pause',
      'support_request.clock.resume',
      'support_request.resolve',
      'support_request.close',
    ]);
    expect(history.body.items[1].actor).toEqual({ sub: COORDINATOR_EURASIA.sub, role: 'coordinator', country: null });
    // The read model keeps the triage and resolution instants the regional trends aggregate.
    const row = await stack.prisma.supportRequest.findUniqueOrThrow({ where: { id } });
    expect(row.triagedAt?.toISOString()).toBe(detail.body.sla.triage.metAt);
    expect(row.resolvedAt?.getTime()).toBeGreaterThan(row.triagedAt!.getTime());

    const listed = await stack.http('GET', '/api/v1/support-requests?status=closed', { token: member });
    expect(listed.body.items.map((r: { id: string }) => r.id)).toContain(id);

    // Each status change went to PH's primary contact once: 6 changes after submission (an action keeps the status).
    // Delivery is asynchronous (the outbox): wait for this request's six, whatever else the sink holds.
    const keysOf = () => smtp.messages.map((m) => /X-Idempotency-Key: (.*)/i.exec(m.data)?.[1]?.trim()).filter((k) => k?.includes(id));
    for (const until = Date.now() + 20_000; keysOf().length < 6 && Date.now() < until; ) await new Promise((r) => setTimeout(r, 200));
    const keys = keysOf();
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toHaveLength(6);
  });

  it('answers 404 on every path to another country, and to a coordinator of another region', async () => {
    const { body } = await stack.http('POST', '/api/v1/support-requests', { token: member, body: submission({ title: 'Scoped request' }) });
    const id = body.id as string;
    for (const token of [otherMember, otherCoordinator]) {
      expect((await stack.http('GET', `/api/v1/support-requests/${id}`, { token })).status).toBe(404);
      expect((await stack.http('GET', `/api/v1/support-requests/${id}/history`, { token })).status).toBe(404);
      for (const [change, payload] of [
        ['triage', { decision: 'accept' }],
        ['provide-info', { answer: 'x' }],
        ['cancel', { reason: 'x' }],
        ['close', {}],
        ['reopen', { reason: 'x' }],
      ] as const) {
        const res = await stack.http('POST', `/api/v1/support-requests/${id}/${change}`, { token, body: payload });
        expect({ change, status: res.status }).toEqual({ change, status: 404 });
      }
      const list = await stack.http('GET', '/api/v1/support-requests?country=PH', { token });
      expect(list.body.items.map((r: { id: string }) => r.id)).not.toContain(id);
    }
    // Supervisors see everything; a member may not triage its own request (403).
    expect((await stack.http('GET', `/api/v1/support-requests/${id}`, { token: supervisor })).status).toBe(200);
    expect((await stack.http('POST', `/api/v1/support-requests/${id}/triage`, { token: member, body: { decision: 'accept' } })).status).toBe(403);
  });

  it('refuses a change the state does not allow with 409 and records nothing', async () => {
    const { body } = await stack.http('POST', '/api/v1/support-requests', { token: member, body: submission({ title: 'Refusals' }) });
    const id = body.id as string;
    const resolve = await stack.http('POST', `/api/v1/support-requests/${id}/resolve`, { token: coordinator, body: { summary: 'too early' } });
    expect(resolve.status).toBe(409);
    expect(resolve.body.message).toMatch(/cannot resolve a request that is submitted/);
    const provide = await stack.http('POST', `/api/v1/support-requests/${id}/provide-info`, { token: member, body: { answer: 'nobody asked' } });
    expect(provide.status).toBe(409);
    const history = await stack.http('GET', `/api/v1/support-requests/${id}/history`, { token: member });
    expect(history.body.items).toHaveLength(1);
    const cancelled = await stack.http('POST', `/api/v1/support-requests/${id}/cancel`, { token: member, body: { reason: 'solved locally' } });
    expect(cancelled.body.status).toBe('cancelled');
    const late = await stack.http('POST', `/api/v1/support-requests/${id}/triage`, { token: coordinator, body: { decision: 'accept' } });
    expect(late.status).toBe(409);
  });

  it('returns the same request for a repeated Idempotency-Key: 201 then 200, one row', async () => {
    const headers = { 'Idempotency-Key': `retry-${Date.now()}` };
    const body = submission({ title: 'Idempotent submit' });
    const first = await stack.http('POST', '/api/v1/support-requests', { token: member, body, headers });
    const second = await stack.http('POST', '/api/v1/support-requests', { token: member, body, headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(second.body.id).toBe(first.body.id);
    expect(await stack.prisma.supportRequest.count({ where: { idempotencyKey: headers['Idempotency-Key'] } })).toBe(1);
    const changed = await stack.http('POST', '/api/v1/support-requests', { token: member, body: { ...body, title: 'Other' }, headers });
    expect(changed.status).toBe(422);
  });

  it('reports deconfliction hits: the requester sees only hit and whom to call', async () => {
    // A wallet of this run only: other suites on the same database feed the index too.
    const shared = { type: 'wallet', value: `0x${randomBytes(20).toString('hex').toUpperCase()}` };
    const br = await stack.http('POST', '/api/v1/support-requests', {
      token: otherMember,
      body: submission({ title: 'BR remittance service', category: 'remittance_service', indicators: [shared] }),
    });
    expect(br.body.deconfliction.hit).toBe(false);
    const ph = await stack.http('POST', '/api/v1/support-requests', {
      token: member,
      body: submission({ title: 'PH remittance', indicators: [{ ...shared, value: shared.value.toLowerCase() }] }),
    });
    expect(ph.status).toBe(201);
    expect(ph.body.deconfliction.hit).toBe(true);
    expect(ph.body.deconfliction.hits[0]).toEqual({
      indicator: { type: 'wallet', value: shared.value.toLowerCase() },
      contact: expect.objectContaining({ address: 'primary@nrp.br.cyberops.test' }),
    });
    expect(JSON.stringify(ph.body)).not.toContain(br.body.id);
    const staff = await stack.http('GET', `/api/v1/support-requests/${ph.body.id}`, { token: supervisor });
    expect(staff.body.deconfliction.hits[0]).toMatchObject({ objectId: br.body.id, country: 'BR' });
    const check = await stack.http('POST', '/api/v1/deconfliction/check', { token: member, body: { indicators: [shared] } });
    expect(check.body).toMatchObject({ hit: true });
    expect(JSON.stringify(check.body)).not.toContain(br.body.id);
  });

  it('rejects bad input with 400 naming each field, and writes nothing', async () => {
    const before = await stack.prisma.supportRequest.count();
    const res = await stack.http('POST', '/api/v1/support-requests', {
      token: member,
      body: submission({ priority: 'P9', indicators: [{ type: 'ipv4', value: '999.1.1.1' }], surprise: true }),
    });
    expect(res.status).toBe(400);
    const fields = res.body.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['priority', 'indicators.0.value', 'surprise']));
    expect(await stack.prisma.supportRequest.count()).toBe(before);
  });
});
