import type { Principal } from '../../apps/api/auth/principal';
import { ADMIN, ANALYST, COORDINATOR_EURASIA, Stack, startStack, SUPERVISOR } from '../support/harness';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';

// The TLP read rules of DESIGN.md over HTTP: each marking × each kind of caller, content or 404,
// for the item, its STIX bundle and the inbox; then recall turns recipients' 200 into 410.

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MARKINGS = ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED'] as const;
type Marking = (typeof MARKINGS)[number];

// Recipient country TH; RED goes to TH's primary contact by name.
const NAMED_CONTACT: Principal = { sub: 'primary@nrp.th.cyberops.test', role: 'member', country: 'TH' };
const OTHER_CONTACT: Principal = { sub: 'backup@nrp.th.cyberops.test', role: 'member', country: 'TH' };
const MEMBER_TH: Principal = { sub: 'officer@nrp.th', role: 'member', country: 'TH' };
const MEMBER_BR: Principal = { sub: 'officer@nrp.br', role: 'member', country: 'BR' };
const OTHER_ANALYST: Principal = { sub: 'analyst.two@cyberops.test', role: 'analyst' };

/** Expected answer per caller and marking: 200 (content) or 404. */
const MATRIX: Array<[string, Principal, Record<Marking, 200 | 404>]> = [
  ['originating and disseminating analyst', ANALYST, { 'TLP:CLEAR': 200, 'TLP:GREEN': 200, 'TLP:AMBER': 200, 'TLP:AMBER+STRICT': 200, 'TLP:RED': 200 }],
  ['another analyst', OTHER_ANALYST, { 'TLP:CLEAR': 200, 'TLP:GREEN': 200, 'TLP:AMBER': 200, 'TLP:AMBER+STRICT': 200, 'TLP:RED': 404 }],
  ['supervisor', SUPERVISOR, { 'TLP:CLEAR': 200, 'TLP:GREEN': 200, 'TLP:AMBER': 200, 'TLP:AMBER+STRICT': 200, 'TLP:RED': 404 }],
  ['coordinator', COORDINATOR_EURASIA, { 'TLP:CLEAR': 200, 'TLP:GREEN': 200, 'TLP:AMBER': 200, 'TLP:AMBER+STRICT': 404, 'TLP:RED': 404 }],
  ['admin', ADMIN, { 'TLP:CLEAR': 200, 'TLP:GREEN': 200, 'TLP:AMBER': 404, 'TLP:AMBER+STRICT': 404, 'TLP:RED': 404 }],
  ['member of the recipient country', MEMBER_TH, { 'TLP:CLEAR': 200, 'TLP:GREEN': 200, 'TLP:AMBER': 200, 'TLP:AMBER+STRICT': 200, 'TLP:RED': 404 }],
  ['member of a non-recipient country', MEMBER_BR, { 'TLP:CLEAR': 200, 'TLP:GREEN': 200, 'TLP:AMBER': 404, 'TLP:AMBER+STRICT': 404, 'TLP:RED': 404 }],
  ['the named contact', NAMED_CONTACT, { 'TLP:CLEAR': 200, 'TLP:GREEN': 200, 'TLP:AMBER': 200, 'TLP:AMBER+STRICT': 200, 'TLP:RED': 200 }],
  ['another contact of the recipient country', OTHER_CONTACT, { 'TLP:CLEAR': 200, 'TLP:GREEN': 200, 'TLP:AMBER': 200, 'TLP:AMBER+STRICT': 200, 'TLP:RED': 404 }],
];

describe('TLP read rules over HTTP', () => {
  let stack: Stack;
  let smtp: SmtpSink;
  const items = {} as Record<Marking, { id: string; ds: string }>;
  const tokens = new Map<string, string>();
  const token = async (p: Principal) => {
    if (!tokens.has(p.sub)) tokens.set(p.sub, await stack.token(p));
    return tokens.get(p.sub)!;
  };

  beforeAll(async () => {
    smtp = await startSmtpSink();
    stack = await startStack({ env: { SMTP_URL: smtp.url }, checkResponses: true });
    const analyst = await token(ANALYST);
    for (const tlp of MARKINGS) {
      const submitted = await stack.http('POST', '/api/v1/intel', {
        token: analyst,
        body: {
          title: `${tlp} botnet controller`,
          summary: `content of the ${tlp} item`,
          categories: ['botnet'],
          indicators: [{ type: 'domain', value: `c2-${tlp.slice(4).replace('+', '-').toLowerCase()}[.]example` }],
          priority: 'P3',
          tlp,
          source: { kind: 'cert', name: 'CERT-X', reliability: 'B' },
          credibility: 2,
        },
      });
      expect(submitted.status).toBe(201);
      const audience = tlp === 'TLP:RED' ? { contacts: ['TH-primary'] } : { countries: ['TH'] };
      const sent = await stack.http('POST', `/api/v1/intel/${submitted.body.id}/disseminate`, { token: analyst, body: audience });
      expect(sent.status).toBe(201);
      expect(sent.body).toMatchObject({ recipients: 1, approvalRequired: false });
      items[tlp] = { id: submitted.body.id, ds: sent.body.id };
    }
    // Reading follows delivery: wait until each recipient row is projected.
    for (const tlp of MARKINGS) {
      for (let i = 0; ; i++) {
        const d = await stack.http('GET', `/api/v1/disseminations/${items[tlp].ds}`, { token: analyst });
        if (d.body.recipients?.[0]?.deliveredAt) break;
        if (i > 100) throw new Error(`not delivered: ${JSON.stringify(d.body)}`);
        await sleep(100);
      }
    }
  });
  afterAll(async () => {
    await stack?.stop();
    await smtp?.close();
  });

  it.each(MATRIX)('%s: content or 404 per marking (item, STIX, inbox)', async (_who, principal, expected) => {
    const t = await token(principal);
    const inbox = await stack.http('GET', '/api/v1/intel?limit=200', { token: t });
    expect(inbox.status).toBe(200);
    const listed = new Set(inbox.body.items.map((i: { id: string }) => i.id));
    const actual: Record<string, number> = {};
    for (const tlp of MARKINGS) {
      const item = await stack.http('GET', `/api/v1/intel/${items[tlp].id}`, { token: t });
      const stix = await stack.http('GET', `/api/v1/intel/${items[tlp].id}/stix`, { token: t });
      expect(stix.status).toBe(item.status);
      actual[tlp] = item.status;
      if (item.status === 200) {
        expect(item.body.summary).toBe(`content of the ${tlp} item`);
        expect(stix.body.objects.find((o: { type: string }) => o.type === 'report').description).toBe(`content of the ${tlp} item`);
      } else {
        expect(JSON.stringify(item.body)).not.toContain(`content of the ${tlp}`);
      }
      // Members' inbox holds what was sent to their country; staff see all they may read.
      expect({ tlp, listed: listed.has(items[tlp].id) }).toEqual({ tlp, listed: expected[tlp] === 200 && (principal.role !== 'member' || principal.country === 'TH') });
    }
    expect(actual).toEqual(expected);
  });

  it('TAXII serves each caller what the TLP rules let it read, in pages, with the TAXII media type', async () => {
    const pull = async (p: Principal) => {
      const t = await token(p);
      const list = await stack.http('GET', '/taxii2/api/collections/', { token: t, headers: { accept: 'application/taxii+json;version=2.1' } });
      expect(list.status).toBe(200);
      expect(list.headers.get('content-type')).toMatch(/^application\/taxii\+json/);
      const ids = new Set<string>();
      for (const c of list.body.collections) {
        let next: string | undefined;
        do {
          const page = await stack.http('GET', `/taxii2/api/collections/${c.id}/objects/?limit=2&match[type]=report${next ? `&next=${next}` : ''}`, { token: t });
          expect(page.status).toBe(200);
          expect((page.body.objects ?? []).length).toBeLessThanOrEqual(2);
          for (const o of page.body.objects ?? []) if (o.type === 'report') ids.add(o.external_references[0].external_id);
          next = page.body.more ? page.body.next : undefined;
        } while (next);
      }
      return ids;
    };
    const br = await pull(MEMBER_BR);
    expect(br.has(items['TLP:AMBER'].id)).toBe(false);
    expect(br.has(items['TLP:GREEN'].id)).toBe(true);
    const th = await pull(MEMBER_TH);
    expect([...MARKINGS].filter((m) => th.has(items[m].id))).toEqual(['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT']);
    expect((await pull(NAMED_CONTACT)).has(items['TLP:RED'].id)).toBe(true);
    expect((await stack.http('GET', '/taxii2/api/collections/00000000-0000-4000-8000-000000000000/objects/', { token: await token(MEMBER_BR) })).status).toBe(404);
    expect((await stack.http('GET', '/taxii2/', {})).status).toBe(401);
  });

  it('documents the new routes and their error answers in OpenAPI', async () => {
    const doc = (await stack.http('GET', '/docs/openapi.json')).body;
    for (const path of ['/api/v1/intel', '/api/v1/intel/{id}/stix', '/api/v1/disseminations/{id}/recipients/{iso}/feedback', '/api/v1/contacts/countries/{iso}', '/taxii2/api/collections/{id}/objects']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
    expect(Object.keys(doc.paths['/api/v1/intel/{id}/disseminate'].post.responses).sort()).toEqual(['201', '400', '401', '403', '404', '409', '410', '413', '415', '422', '429', '503']);
    const submit = doc.components.schemas.SubmitIntelDto;
    expect(submit.properties.title).toMatchObject({ minLength: 3, maxLength: 300 });
    expect(submit.properties.tlp.enum).toEqual(['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER', 'TLP:AMBER+STRICT', 'TLP:RED']);
  });

  it('writes every content read to the audit trail', async () => {
    const reads = await stack.prisma.auditEvent.findMany({ where: { action: 'intel.read', objectId: items['TLP:RED'].id, actorSub: NAMED_CONTACT.sub } });
    expect(reads.map((r) => (r.data as { via: string }).via).sort()).toEqual(expect.arrayContaining(['api', 'list', 'stix']));
  });

  it('a member of the originator country reads its AMBER item; other countries get 404', async () => {
    const colleague: Principal = { sub: 'chief@nrp.br', role: 'member', country: 'BR' };
    const submitted = await stack.http('POST', '/api/v1/intel', {
      token: await token(MEMBER_BR),
      body: { title: 'Remittance mule network', summary: 'BR content', categories: ['remittance_service'], indicators: [], priority: 'P4', tlp: 'TLP:AMBER', source: { kind: 'law_enforcement', reliability: 'A' }, credibility: 1 },
    });
    expect(submitted.status).toBe(201);
    expect((await stack.http('GET', `/api/v1/intel/${submitted.body.id}`, { token: await token(colleague) })).status).toBe(200);
    expect((await stack.http('GET', `/api/v1/intel/${submitted.body.id}`, { token: await token(MEMBER_TH) })).status).toBe(404);
  });

  it('recall: recipients get 410, everyone else keeps their answer', async () => {
    const analyst = await token(ANALYST);
    for (const tlp of ['TLP:AMBER', 'TLP:RED'] as const) {
      const recalled = await stack.http('POST', `/api/v1/disseminations/${items[tlp].ds}/recall`, { token: analyst, body: { reason: 'source retracted' } });
      expect(recalled.status).toBe(200);
      expect(recalled.body.status).toBe('recalled');
    }
    expect((await stack.http('GET', `/api/v1/intel/${items['TLP:AMBER'].id}`, { token: await token(MEMBER_TH) })).status).toBe(410);
    expect((await stack.http('GET', `/api/v1/intel/${items['TLP:AMBER'].id}/stix`, { token: await token(MEMBER_TH) })).status).toBe(410);
    expect((await stack.http('GET', `/api/v1/intel/${items['TLP:AMBER'].id}`, { token: await token(MEMBER_BR) })).status).toBe(404);
    expect((await stack.http('GET', `/api/v1/intel/${items['TLP:AMBER'].id}`, { token: await token(OTHER_ANALYST) })).status).toBe(200);
    expect((await stack.http('GET', `/api/v1/intel/${items['TLP:RED'].id}`, { token: await token(NAMED_CONTACT) })).status).toBe(410);
    expect((await stack.http('GET', `/api/v1/intel/${items['TLP:RED'].id}`, { token: await token(OTHER_CONTACT) })).status).toBe(404);
    expect((await stack.http('GET', `/api/v1/intel/${items['TLP:RED'].id}`, { token: analyst })).status).toBe(200);
    expect((await stack.http('POST', `/api/v1/disseminations/${items['TLP:AMBER'].ds}/recipients/TH/ack`, { token: await token(MEMBER_TH), body: {} })).status).toBe(410);
    expect((await stack.http('POST', `/api/v1/disseminations/${items['TLP:AMBER'].ds}/recall`, { token: analyst, body: { reason: 'again' } })).status).toBe(409);
    // The inbox of the recipient no longer lists it.
    const inbox = await stack.http('GET', '/api/v1/intel', { token: await token(MEMBER_TH) });
    expect(inbox.body.items.map((i: { id: string }) => i.id)).not.toContain(items['TLP:AMBER'].id);
  });

  it('enforces TLP at send: RED to named contacts only, contacts only for RED, no duplicate sent twice', async () => {
    const analyst = await token(ANALYST);
    expect((await stack.http('POST', `/api/v1/intel/${items['TLP:RED'].id}/disseminate`, { token: analyst, body: { countries: ['TH'] } })).status).toBe(422);
    expect((await stack.http('POST', `/api/v1/intel/${items['TLP:GREEN'].id}/disseminate`, { token: analyst, body: { contacts: ['TH-primary'] } })).status).toBe(422);
    expect((await stack.http('POST', `/api/v1/intel/${items['TLP:GREEN'].id}/disseminate`, { token: analyst, body: { countries: ['QQ'] } })).status).toBe(400);
    expect((await stack.http('POST', `/api/v1/intel/${items['TLP:GREEN'].id}/disseminate`, { token: await token(SUPERVISOR), body: { countries: ['TH'] } })).status).toBe(403);
    const again = await stack.http('POST', '/api/v1/intel', {
      token: analyst,
      body: { title: 'same set again', summary: 'x', categories: ['botnet'], indicators: [{ type: 'domain', value: 'C2-GREEN.example.' }], priority: 'P3', tlp: 'TLP:GREEN', source: { kind: 'open_source', reliability: 'F' }, credibility: 6 },
    });
    expect(again.body).toMatchObject({ status: 'duplicate', duplicateOf: items['TLP:GREEN'].id, deconfliction: { hit: true } });
    expect((await stack.http('POST', `/api/v1/intel/${again.body.id}/disseminate`, { token: analyst, body: { countries: ['TH'] } })).status).toBe(409);
  });
});
