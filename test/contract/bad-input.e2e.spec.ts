import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HTTP_URL_PATTERN, INDICATOR_RULES } from '../../apps/api/common/indicators';
import { BODY, ITEMS, MAX_REPORTS_PER_COUNTRY, TEXT } from '../../apps/api/common/limits';
import { OFFICER_EMAIL } from '../../apps/api/staff/staff.dto';
import { ADMIN, COORDINATOR_EURASIA, MEMBER_PH, Stack, startStack } from '../support/harness';

// A client's mistake is a 4xx naming it, in the one error shape, never a 500 (issue 7).
describe('bad input over HTTP: 4xx in the error shape, never 500', () => {
  let stack: Stack;
  let member: string;
  let admin: string;
  let coordinator: string;

  const errorShape = (status: number, field: string) => ({
    statusCode: status,
    error: expect.any(String),
    message: expect.any(String),
    details: expect.arrayContaining([{ field, problem: expect.any(String) }]),
  });
  const submission = (overrides: Record<string, unknown> = {}) => ({
    category: 'botnet',
    mode: 'remote',
    priority: 'P3',
    title: 'Loader C2',
    description: 'C2 panel reached by victims.',
    indicators: [{ type: 'ipv4', value: '203.0.113.7' }],
    ...overrides,
  });
  const policy = { triage: '1h', firstResponse: '4h', resolution: '3d', acknowledge: '2h' };

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    [member, admin, coordinator] = await Promise.all([MEMBER_PH, ADMIN, COORDINATOR_EURASIA].map((p) => stack.token(p)));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('answers 413 to a 3 MB JSON body', async () => {
    const huge = JSON.stringify(submission({ description: 'x'.repeat(3 * 1024 * 1024) }));
    const res = await stack.http('POST', '/api/v1/support-requests', { token: member, body: huge });
    expect(res.status).toBe(413);
    expect(res.body).toEqual(errorShape(413, 'body'));
    expect(res.body.details[0].problem).toContain(String(BODY.maxBytes));
  });

  it('answers 415 to JSON in another charset and to a body that is not JSON', async () => {
    const latin1 = await stack.http('PUT', '/api/v1/sla-policies/P4', {
      token: admin,
      body: JSON.stringify(policy),
      headers: { 'content-type': 'application/json; charset=latin1' },
    });
    expect(latin1.status).toBe(415);
    expect(latin1.body).toEqual(errorShape(415, 'body'));
    expect(latin1.body.message).toContain('latin1');
    const text = await stack.http('POST', '/api/v1/support-requests', { token: member, body: 'title=x', headers: { 'content-type': 'text/plain' } });
    expect(text.status).toBe(415);
    expect(text.body).toEqual(errorShape(415, 'body'));
  });

  it('answers 400 to 40,000 nested arrays and to malformed JSON', async () => {
    const deep = `${'['.repeat(40_000)}${']'.repeat(40_000)}`;
    const res = await stack.http('POST', '/api/v1/support-requests', { token: member, body: deep });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorShape(400, 'body'));
    expect(res.body.message).toContain('nested');
    // Just past the limit is refused as well; the deepest real body is far below it.
    const nested = (depth: number): unknown => (depth === 1 ? 'x' : [nested(depth - 1)]);
    const past = await stack.http('POST', '/api/v1/deconfliction/check', { token: member, body: { indicators: nested(BODY.maxDepth + 1) } });
    expect(past.status).toBe(400);
    expect(past.body.message).toContain('nested');
    const broken = await stack.http('POST', '/api/v1/support-requests', { token: member, body: '{"title": ' });
    expect(broken.status).toBe(400);
    expect(broken.body).toEqual(errorShape(400, 'body'));
  });

  it('answers 400 to null in an optional field, and leaves the policy unchanged', async () => {
    const before = await stack.prisma.slaPolicy.findUniqueOrThrow({ where: { priority: 'P1' } });
    const res = await stack.http('PUT', '/api/v1/sla-policies/P1', { token: admin, body: { ...policy, autoCloseAfter: null } });
    expect(res.status).toBe(400);
    expect(res.body).toEqual(errorShape(400, 'autoCloseAfter'));
    const nulls = await stack.http('PUT', '/api/v1/sla-policies/P1', { token: admin, body: { ...policy, warnAt: null, escalationLoops: null } });
    expect(nulls.status).toBe(400);
    expect([...new Set(nulls.body.details.map((d: { field: string }) => d.field))].sort()).toEqual(['escalationLoops', 'warnAt']);
    const after = await stack.prisma.slaPolicy.findUniqueOrThrow({ where: { priority: 'P1' } });
    expect(after.version).toBe(before.version);
  });

  it('limits every text field and the items per request, naming the field', async () => {
    const cases: Array<[string, string, object, string]> = [
      ['POST', '/api/v1/support-requests', submission({ title: 'x'.repeat(TEXT.title + 1) }), 'title'],
      ['POST', '/api/v1/support-requests', submission({ description: 'x'.repeat(TEXT.narrative + 1) }), 'description'],
      // PostgreSQL cannot store NUL: refused at the edge instead of failing a projection forever.
      ['POST', '/api/v1/support-requests', submission({ title: 'Loader\u0000C2' }), 'title'],
      ['POST', '/api/v1/support-requests', submission({ indicators: Array.from({ length: ITEMS.indicators + 1 }, (_, i) => ({ type: 'ipv4', value: `10.0.${i >> 8}.${i & 255}` })) }), 'indicators'],
      ['POST', '/api/v1/support-requests', submission({ relatedRefs: Array.from({ length: ITEMS.relatedRefs + 1 }, (_, i) => `REF-${i}`) }), 'relatedRefs'],
      // A member can no longer fill its country workflow with 20,000-character results.
      ['POST', '/api/v1/operations/OP-0123456789/countries/PH/results', { counts: { arrests: 1 }, notes: 'x'.repeat(20_000) }, 'notes'],
      ['POST', '/api/v1/operations/OP-0123456789/countries/PH/results', { counts: { arrests: 1_000_000_000 } }, 'counts'],
      ['POST', '/api/v1/operations/OP-0123456789/countries/PH/final-report', { summary: 'x'.repeat(TEXT.narrative + 1) }, 'summary'],
      ['POST', '/api/v1/support-requests/SR-0123456789AB/actions', { kind: 'advice', note: 'x'.repeat(TEXT.note + 1) }, 'note'],
      ['POST', '/api/v1/support-requests/SR-0123456789AB/cancel', { reason: 'x'.repeat(TEXT.note + 1) }, 'reason'],
      ['POST', '/api/v1/support-requests/SR-0123456789AB/assign', { assignee: `${'x'.repeat(OFFICER_EMAIL.maxLength)}@cyberops.test` }, 'assignee'],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await stack.http(method, path, { token: member, body });
      expect({ path, field, status: res.status }).toEqual({ path, field, status: 400 });
      expect(res.body).toEqual(errorShape(400, field));
    }
    const countries = await stack.http('POST', '/api/v1/operations', {
      token: coordinator,
      body: { name: 'Too many', objective: 'x', categories: ['botnet'], countries: Array.from({ length: ITEMS.countries + 1 }, () => 'PH'), readinessDeadline: '2030-01-01T00:00:00Z', actionStart: '2030-01-02T00:00:00Z', actionEnd: '2030-01-03T00:00:00Z', debriefDeadline: '2030-01-04T00:00:00Z' },
    });
    expect(countries.status).toBe(400);
    expect(countries.body).toEqual(errorShape(400, 'countries'));
  });

  it('refuses more result reports than one country may send (its workflow carries each)', async () => {
    const id = `OP-${randomBytes(5).toString('hex').toUpperCase()}`;
    const reports = Array.from({ length: MAX_REPORTS_PER_COUNTRY }, (_, seq) => ({ seq, counts: { arrests: 1 }, notes: null, by: MEMBER_PH.sub, at: new Date().toISOString() }));
    await stack.prisma.operation.create({
      data: { id, workflowId: `operation/${id}`, name: 'Full', objective: 'x', categories: ['botnet'], phase: 'action', lead: 'dco', countries: ['PH'], instants: {}, totals: {}, snapshot: { countries: [{ iso: 'PH' }] } },
    });
    await stack.prisma.operationCountry.create({ data: { operationId: id, iso: 'PH', region: 'EURASIA', status: 'reporting', reports } });
    const res = await stack.http('POST', `/api/v1/operations/${id}/countries/PH/results`, { token: member, body: { counts: { arrests: 1 }, notes: 'one more' } });
    expect(res.status).toBe(409);
    expect(res.body.message).toContain(`${MAX_REPORTS_PER_COUNTRY} result reports`);
  });

  it('answers 405 with Allow to a method a path does not declare', async () => {
    const res = await stack.http('DELETE', '/api/v1/support-requests/SR-0123456789AB', { token: member });
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, HEAD');
    expect(res.body).toEqual(errorShape(405, 'method'));
    expect((await stack.http('PATCH', '/health')).status).toBe(405);
  });

  it('checks a contact address by its channel, as the document states; one address twice in a chain is 422', async () => {
    const put = (body: object) => stack.http('PUT', '/api/v1/contacts/regions/MENA', { token: admin, body });
    const name = 'MENA regional officer';
    expect((await put({ name, channel: 'email', address: 'https://hooks.example.net/mena' })).body).toEqual(errorShape(400, 'address'));
    expect((await put({ name, channel: 'webhook', address: 'desk@mena.cyberops.test' })).body).toEqual(errorShape(400, 'address'));
    expect((await put({ name, channel: 'webhook', address: 'https://hooks.example.net/mena path' })).status).toBe(400);
    expect((await put({ name, channel: 'webhook', address: 'https://hooks.example.net:8443/mena?v=1' })).status).toBe(200);
    expect((await put({ name, channel: 'email', address: 'desk@mena.cyberops.test' })).status).toBe(200);
    const twice = await stack.http('PUT', '/api/v1/contacts/countries/ZA', {
      token: admin,
      body: { contacts: [{ name: 'NRP', channel: 'email', address: 'nrp@za.cyberops.test' }, { name: 'Night desk', channel: 'email', address: 'NRP@za.cyberops.test' }] },
    });
    expect(twice.body).toEqual(errorShape(422, 'contacts'));

    const doc = (await stack.http('GET', '/docs/openapi.json')).body;
    const contact = doc.components.schemas.ContactDto;
    expect(contact.properties.address).toMatchObject({ minLength: 3, maxLength: 500 });
    expect(contact.oneOf).toEqual([
      { properties: { channel: { enum: ['email'] }, address: { pattern: INDICATOR_RULES.email.pattern } } },
      { properties: { channel: { enum: ['webhook'] }, address: { pattern: HTTP_URL_PATTERN } } },
    ]);
    expect(doc.components.schemas.AssignDto.properties.assignee.pattern).toBe(INDICATOR_RULES.email.pattern);
  });

  it('publishes the same limits and every error status in the OpenAPI document', async () => {
    const doc = (await stack.http('GET', '/docs/openapi.json')).body;
    const submit = doc.components.schemas.SubmitSupportRequestDto;
    expect(submit.properties.title).toMatchObject({ maxLength: TEXT.title, minLength: 3 });
    expect(submit.properties.indicators).toMatchObject({ maxItems: ITEMS.indicators });
    expect(submit.additionalProperties).toBe(false);
    expect(doc.components.schemas.ResultsDto.properties.notes).toMatchObject({ maxLength: TEXT.note });
    expect(doc.components.schemas.SlaPolicyDto.properties.autoCloseAfter.pattern).toBeDefined();
    const post = doc.paths['/api/v1/support-requests'].post;
    expect(Object.keys(post.responses).sort()).toEqual(['200', '201', '400', '401', '403', '413', '415', '422', '429', '503']);
    expect(post.responses['413'].content['application/json'].schema.$ref).toBe('#/components/schemas/ErrorBodyDto');
    const idParam = doc.paths['/api/v1/support-requests/{id}'].get.parameters.find((p: { name: string }) => p.name === 'id');
    expect(idParam.schema.pattern).toBe('^SR-[0-9A-F]{12}$');
    expect(doc.components.schemas.UpdateOfficerDto.properties.region.enum).toContain(null);
    // Every route behind the token check states 401, 403 (a partner is refused wherever the route
    // does not name the role), 429 and 503, and every error it states has the error schema.
    const secured = Object.entries(doc.paths).flatMap(([p, item]) =>
      Object.entries(item as Record<string, { security?: unknown; responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> }>)
        .filter(([, op]) => op.security)
        .map(([method, op]) => ({ route: `${method.toUpperCase()} ${p}`, responses: op.responses })),
    );
    expect(secured.length).toBeGreaterThan(50);
    for (const { route, responses } of secured) {
      expect({ route, statuses: ['401', '403', '429', '503'].filter((s) => !responses[s]) }).toEqual({ route, statuses: [] });
      const errors = Object.entries(responses).filter(([s]) => /^[45]/.test(s));
      const untyped = errors.filter(([, r]) => r.content?.['application/json']?.schema?.$ref !== '#/components/schemas/ErrorBodyDto').map(([s]) => s);
      expect({ route, untyped }).toEqual({ route, untyped: [] });
    }
    // Optional headers stay optional (EventSource reconnects send Last-Event-ID, first connections do not).
    const streamHeaders = doc.paths['/api/v1/alerts/stream'].get.parameters.filter((p: { in: string }) => p.in === 'header');
    expect(streamHeaders.map((h: { name: string; required?: boolean }) => [h.name.toLowerCase(), h.required ?? false])).toEqual([['last-event-id', false]]);
  });

  it('documents every success answer with a schema the fuzzer can check the body against', async () => {
    const doc = (await stack.http('GET', '/docs/openapi.json')).body;
    // The only answers that are not application/json, each with its own media type.
    const otherMedia: Record<string, string> = { 'GET /api/v1/alerts/stream': 'text/event-stream' };
    for (const p of Object.keys(doc.paths).filter((p) => p.startsWith('/taxii2'))) otherMedia[`GET ${p}`] = 'application/taxii+json;version=2.1';
    type Schema = { $ref?: string; oneOf?: Schema[]; properties?: object; items?: Schema; type?: string };
    // A bare `{ type: 'object' }` says nothing about the body: a named schema, properties, or a typed array.
    const described = (schema: Schema | undefined): boolean =>
      !!schema && (!!schema.$ref || (schema.oneOf?.every(described) ?? false) || !!schema.properties || (schema.type === 'array' && described(schema.items)) || schema.type === 'string');
    const missing: string[] = [];
    let checked = 0;
    for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema?: Schema }> }> }>>)) {
      for (const [method, op] of Object.entries(item)) {
        const route = `${method.toUpperCase()} ${p}`;
        for (const [status, response] of Object.entries(op.responses).filter(([s]) => /^2/.test(s) && s !== '204')) {
          checked++;
          const media = otherMedia[route] ?? 'application/json';
          const types = Object.keys(response.content ?? {});
          const schema = response.content?.[media]?.schema;
          if (types.length !== 1 || !described(schema) || (media !== 'text/event-stream' && schema?.type === 'string')) missing.push(`${route} ${status} ${JSON.stringify(response.content ?? null)}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(80);
    expect(missing).toEqual([]);
  });

  it('names every schema class once across the API (the document keys schemas by class name)', async () => {
    const doc = (await stack.http('GET', '/docs/openapi.json')).body;
    const files = (fs.readdirSync(path.resolve(__dirname, '../../apps/api'), { recursive: true }) as string[]).filter((f) => f.endsWith('.ts'));
    const declared = new Map<string, string[]>();
    for (const file of files) {
      for (const [, name] of fs.readFileSync(path.resolve(__dirname, '../../apps/api', file), 'utf8').matchAll(/^(?:export )?class (\w+)/gm)) declared.set(name, [...(declared.get(name) ?? []), file]);
    }
    const schemas = Object.keys(doc.components.schemas);
    expect(schemas.filter((name) => !declared.has(name))).toEqual([]);
    expect(schemas.filter((name) => declared.get(name)!.length > 1).map((name) => `${name}: ${declared.get(name)!.join(', ')}`)).toEqual([]);
  });
});
