import { ADMIN, COORDINATOR_EURASIA, MEMBER_PH, Stack, startStack } from '../support/harness';

// GET /support-requests/:id serves the projection (no workflow query); clocks are brought to the
// read instant; `?consistency=live` still asks the workflow; list and detail never disagree.
describe('support-request detail from the read model (real API, worker, Temporal, PostgreSQL)', () => {
  let stack: Stack;
  let member: string;
  let coordinator: string;

  const submit = async (priority = 'P3') => {
    const res = await stack.http('POST', '/api/v1/support-requests', {
      token: member,
      body: { category: 'malware', mode: 'remote', priority, title: 'Stealer panel', description: 'Logs sold on a forum.', indicators: [] },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const detail = (id: string, query = '') => stack.http('GET', `/api/v1/support-requests/${id}${query}`, { token: coordinator });
  const listed = async (id: string) => {
    const res = await stack.http('GET', '/api/v1/support-requests?limit=100', { token: coordinator });
    return (res.body.items as Array<{ id: string; status: string }>).find((i) => i.id === id);
  };

  beforeAll(async () => {
    stack = await startStack();
    [member, coordinator] = await Promise.all([MEMBER_PH, COORDINATOR_EURASIA].map((p) => stack.token(p)));
  });
  afterAll(async () => stack?.stop());

  it('answers the projection with its freshness by default, and the workflow on ?consistency=live', async () => {
    const id = await submit();
    const projected = await detail(id);
    expect(projected.status).toBe(200);
    expect(projected.body).toMatchObject({ id, status: 'submitted', live: false, version: expect.any(Number) });
    expect(Date.parse(projected.body.projectedAt)).not.toBeNaN();
    expect(Date.parse(projected.body.updatedAt)).not.toBeNaN();
    expect(projected.body.idempotency).toBeUndefined();

    const live = await detail(id, '?consistency=live');
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ id, status: 'submitted', live: true, version: projected.body.version });

    const bad = await detail(id, '?consistency=eventually');
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('consistency');
  });

  it('agrees with the list and with the update answer right after each change', async () => {
    const id = await submit();
    const steps: Array<[string, object]> = [
      ['triage', { decision: 'accept' }],
      ['assign', { assignee: 'officer.manila@cyberops.test' }],
      ['request-info', { question: 'Which forum?' }],
    ];
    for (const [change, body] of steps) {
      const answer = await stack.http('POST', `/api/v1/support-requests/${id}/${change}`, { token: coordinator, body });
      expect(answer.status).toBe(200);
      const [read, row] = await Promise.all([detail(id), listed(id)]);
      expect({ change, detail: read.body.status, list: row?.status, version: read.body.version }).toEqual({
        change,
        detail: answer.body.status,
        list: answer.body.status,
        version: answer.body.version,
      });
    }
  });

  it('documents the consistency parameter (with its values) in OpenAPI', async () => {
    const doc = (await stack.http('GET', '/docs/openapi.json')).body;
    const params = doc.paths['/api/v1/support-requests/{id}'].get.parameters as Array<{ name: string; in: string; schema: { enum?: string[] } }>;
    expect(params.find((p) => p.name === 'consistency' && p.in === 'query')?.schema.enum).toEqual(['projected', 'live']);
  });

  it('applies a PUT SLA policy to the very next submission (the directory cache is dropped)', async () => {
    const admin = await stack.token(ADMIN);
    await submit('P4'); // the P4 policy is cached now
    const original = (await stack.http('GET', '/api/v1/sla-policies', { token: admin })).body.items.find((p: { priority: string }) => p.priority === 'P4');
    const { priority: _p, version: _v, updatedAt: _u, updatedBy: _b, ...body } = original as Record<string, unknown>;
    const put = await stack.http('PUT', '/api/v1/sla-policies/P4', { token: admin, body: { ...body, triage: '17h' } });
    expect(put.status).toBe(200);
    try {
      const id = await submit('P4');
      const read = await detail(id);
      expect(read.body.policy.version).toBe(put.body.version);
      expect(read.body.sla.triage.budgetMs).toBe(17 * 3_600_000);
    } finally {
      await stack.http('PUT', '/api/v1/sla-policies/P4', { token: admin, body });
    }
  });

  // Last: it stops the worker, so any answer below cannot have come from a workflow task.
  it('moves a running clock and holds a paused one between reads, with no worker at all', async () => {
    const running = await submit();
    const paused = await submit();
    await stack.http('POST', `/api/v1/support-requests/${paused}/triage`, { token: coordinator, body: { decision: 'accept' } });
    await stack.http('POST', `/api/v1/support-requests/${paused}/assign`, { token: coordinator, body: { assignee: 'officer.manila@cyberops.test' } });
    const asked = await stack.http('POST', `/api/v1/support-requests/${paused}/request-info`, { token: coordinator, body: { question: 'Which forum?' } });
    expect(asked.body.sla.resolution.state).toBe('paused');
    await stack.stopWorker();

    const first = await detail(running);
    const firstPaused = await detail(paused);
    await new Promise((r) => setTimeout(r, 400));
    const second = await detail(running);
    const secondPaused = await detail(paused);
    expect(second.body.live).toBe(false);

    const triage = [first.body.sla.triage, second.body.sla.triage];
    expect(triage[1].state).toBe('running');
    expect(triage[0].remainingMs - triage[1].remainingMs).toBeGreaterThanOrEqual(350);
    expect(triage[1].deadline).toBe(triage[0].deadline);

    const resolution = [firstPaused.body.sla.resolution, secondPaused.body.sla.resolution];
    expect(resolution[1].state).toBe('paused');
    expect(resolution[1].remainingMs).toBe(resolution[0].remainingMs);
    expect(resolution[1].pausedMs - resolution[0].pausedMs).toBeGreaterThanOrEqual(350);
    expect(Date.parse(resolution[1].deadline)).toBeGreaterThan(Date.parse(resolution[0].deadline));
    expect(secondPaused.body.version).toBe(firstPaused.body.version);
  });
});
