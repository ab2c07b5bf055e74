import { randomUUID } from 'node:crypto';
import type { Principal } from '../../apps/api/auth/principal';
import { FEEDBACK_OUTCOMES, type FeedbackOutcome } from '../../workflows/common/deconfliction';
import { CATEGORIES, PRIORITIES, type Category, type Priority } from '../../workflows/common/domain';
import { ADMIN, ANALYST, COORDINATOR_AMERICAS, COORDINATOR_EURASIA, MEMBER_BR, MEMBER_PH, Stack, startStack, SUPERVISOR } from '../support/harness';

// Regional trend assessment over HTTP against read-model rows seeded in 2019 (a period no
// other test touches). Expected figures are recomputed here from the fixture, independently
// of the SQL, so a wrong bucket, filter or median fails the test.
describe('regional trends: GET /api/v1/regions/:region/trends and /regions/trends', () => {
  let stack: Stack;
  const run = randomUUID().slice(0, 8);
  const GLOBAL_COORDINATOR: Principal = { sub: 'isd.global@cyberops.test', role: 'coordinator' };
  const HOUR = 3_600_000;

  interface Fixture {
    id: string;
    region: 'EURASIA' | 'AMERICAS';
    country: string;
    category: Category;
    priority: Priority;
    createdAt: Date;
    triagedAt: Date | null;
    resolvedAt: Date | null;
    breaches: Date[];
  }

  // A deterministic spread: Dec 2018 .. Jun 2019, two regions, every category and priority.
  const fixtures: Fixture[] = [];
  for (let i = 0; i < 90; i++) {
    const region = i % 3 === 0 ? 'AMERICAS' : 'EURASIA';
    const createdAt = new Date(Date.UTC(2018, 11, 10) + i * 2.1 * 24 * HOUR + (i % 7) * HOUR);
    const triagedAt = i % 5 === 4 ? null : new Date(createdAt.getTime() + ((i * 37) % 50) * HOUR + 60_000);
    const resolvedAt = triagedAt && i % 4 !== 1 ? new Date(triagedAt.getTime() + ((i * 53) % 400) * HOUR) : null;
    const breaches: Date[] = [];
    if (i % 6 === 2) breaches.push(new Date(createdAt.getTime() + 30 * HOUR));
    if (i % 12 === 2) breaches.push(new Date(createdAt.getTime() + 90 * HOUR)); // a second clock: counted once
    fixtures.push({
      id: `SR-T${run}-${i}`,
      region,
      country: region === 'AMERICAS' ? 'BR' : i % 2 ? 'PH' : 'SG',
      category: CATEGORIES[i % CATEGORIES.length],
      priority: PRIORITIES[(i * 3) % PRIORITIES.length],
      createdAt,
      triagedAt,
      resolvedAt,
      breaches,
    });
  }

  const median = (xs: number[]): number | null => {
    if (xs.length === 0) return null;
    const s = [...xs].sort((a, b) => a - b);
    const mid = (s.length - 1) / 2;
    return Math.round((s[Math.floor(mid)] + s[Math.ceil(mid)]) / 2);
  };
  const within = (at: Date | null, from: Date, to: Date) => at !== null && at >= from && at < to;
  function expected(rows: Fixture[], from: Date, to: Date) {
    return {
      submitted: rows.filter((r) => within(r.createdAt, from, to)).length,
      resolved: rows.filter((r) => within(r.resolvedAt, from, to)).length,
      slaMet: rows.filter((r) => within(r.resolvedAt, from, to) && r.breaches.length === 0).length,
      slaBreached: rows.filter((r) => r.breaches.length > 0 && within(new Date(Math.min(...r.breaches.map(Number))), from, to)).length,
      medianTimeToTriageMs: median(rows.filter((r) => within(r.triagedAt, from, to)).map((r) => r.triagedAt!.getTime() - r.createdAt.getTime())),
      medianTimeToResolutionMs: median(rows.filter((r) => within(r.resolvedAt, from, to)).map((r) => r.resolvedAt!.getTime() - r.createdAt.getTime())),
    };
  }

  // Intelligence: items from PH (EURASIA), BR (AMERICAS) and the fusion centre itself, some with
  // two categories, some duplicates; half disseminated to PH, SG (and BR) with every recipient fate.
  const REGION_OF: Record<string, 'EURASIA' | 'AMERICAS'> = { PH: 'EURASIA', SG: 'EURASIA', BR: 'AMERICAS' };
  interface IntelFixture {
    id: string;
    country: string | null;
    categories: Category[];
    priority: Priority;
    duplicate: boolean;
    createdAt: Date;
  }
  interface RecipientFixture {
    disseminationId: string;
    intel: IntelFixture;
    iso: string;
    region: 'EURASIA' | 'AMERICAS';
    deliveredAt: Date | null;
    ackDueAt: Date | null;
    acknowledgedAt: Date | null;
    feedback: { outcome: FeedbackOutcome; at: Date } | null;
    recalledAt: Date | null;
  }
  const items: IntelFixture[] = [];
  const recipients: RecipientFixture[] = [];
  for (let i = 0; i < 40; i++) {
    const item: IntelFixture = {
      id: `IN-T${run}-${i}`,
      country: [null, 'PH', 'BR'][i % 3],
      categories: i % 4 === 0 ? [CATEGORIES[i % 6], CATEGORIES[(i + 2) % 6]] : [CATEGORIES[i % 6]],
      priority: PRIORITIES[i % 4],
      duplicate: i % 7 === 3,
      createdAt: new Date(Date.UTC(2018, 11, 20) + i * 4.7 * 24 * HOUR + (i % 5) * HOUR),
    };
    items.push(item);
    if (i % 2 === 1 || item.duplicate) continue;
    const disseminatedAt = new Date(item.createdAt.getTime() + 20 * HOUR);
    const recalledAt = i === 12 ? new Date(disseminatedAt.getTime() + HOUR) : null;
    for (const [k, iso] of (i % 4 === 0 ? ['PH', 'SG', 'BR'] : ['PH', 'SG']).entries()) {
      const fate = (i + k) % 5;
      const deliveredAt = fate === 4 && k === 1 ? null : new Date(disseminatedAt.getTime() + 60_000 * (k + 1));
      const ackDueAt = deliveredAt && new Date(deliveredAt.getTime() + 2 * HOUR);
      const acknowledgedAt = !deliveredAt || fate === 2 ? null : new Date(deliveredAt.getTime() + [HOUR, 5 * HOUR, 0, 0.5 * HOUR, 90 * 60_000][fate]);
      const feedback = acknowledgedAt && fate >= 3 ? { outcome: FEEDBACK_OUTCOMES[i % 3], at: new Date(acknowledgedAt.getTime() + (fate === 4 ? 40 * 24 * HOUR : 0)) } : null;
      recipients.push({ disseminationId: `DS-T${run}-${i}`, intel: item, iso, region: REGION_OF[iso], deliveredAt, ackDueAt, acknowledgedAt, feedback, recalledAt });
    }
  }
  function expectedIntel(region: string, from: Date, to: Date, keep: (i: IntelFixture) => boolean = () => true) {
    const mine = items.filter((i) => keep(i) && i.country && REGION_OF[i.country] === region && within(i.createdAt, from, to));
    return {
      contributed: mine.filter((i) => !i.duplicate).length,
      duplicates: mine.filter((i) => i.duplicate).length,
      disseminated: new Set(recipients.filter((r) => keep(r.intel) && r.region === region && within(r.deliveredAt, from, to)).map((r) => r.intel.id)).size,
    };
  }
  function expectedDisseminations(region: string, from: Date, to: Date, keep: (i: IntelFixture) => boolean = () => true) {
    const mine = recipients.filter((r) => r.region === region && keep(r.intel));
    const acked = mine.filter((r) => within(r.acknowledgedAt, from, to));
    return {
      delivered: mine.filter((r) => within(r.deliveredAt, from, to)).length,
      acknowledgedInTime: acked.filter((r) => r.acknowledgedAt! <= r.ackDueAt!).length,
      acknowledgedLate: acked.filter((r) => r.acknowledgedAt! > r.ackDueAt!).length,
      overdue: mine.filter((r) => within(r.ackDueAt, from, to) && r.acknowledgedAt === null && !(r.recalledAt && r.recalledAt <= r.ackDueAt!)).length,
      medianTimeToAcknowledgeMs: median(acked.map((r) => r.acknowledgedAt!.getTime() - r.deliveredAt!.getTime())),
      feedback: Object.fromEntries(FEEDBACK_OUTCOMES.map((o) => [o, mine.filter((r) => r.feedback?.outcome === o && within(r.feedback.at, from, to)).length])),
    };
  }

  const opId = (n: string) => `OP-T${run}-${n}`;
  async function seedOperation(n: string, o: { actionStart: string; phase: string; exercise?: boolean; categories: string[]; countries: Array<{ iso: string; region: string; status: string; counts: Record<string, number> }> }) {
    await stack.prisma.operation.create({
      data: {
        id: opId(n),
        workflowId: `operation/${opId(n)}`,
        name: `Trend ${n}`,
        objective: 'o',
        categories: o.categories,
        phase: o.phase,
        exercise: o.exercise ?? false,
        lead: COORDINATOR_EURASIA.sub,
        leadRegion: 'EURASIA',
        countries: o.countries.map((c) => c.iso),
        instants: { readinessDeadline: o.actionStart, actionStart: o.actionStart, actionEnd: o.actionStart, debriefDeadline: o.actionStart },
        totals: {},
        snapshot: {},
      },
    });
    await stack.prisma.operationCountry.createMany({ data: o.countries.map((c) => ({ operationId: opId(n), ...c })) });
  }

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    await stack.prisma.supportRequest.createMany({
      data: fixtures.map((f) => ({
        id: f.id,
        workflowId: `support-request/${f.id}`,
        country: f.country,
        region: f.region,
        submittedBy: 'officer@nrp.test',
        category: f.category,
        mode: 'remote',
        priority: f.priority,
        title: 't',
        description: 'd',
        indicators: [],
        status: f.resolvedAt ? 'resolved' : f.triagedAt ? 'in_progress' : 'submitted',
        createdAt: f.createdAt,
        triagedAt: f.triagedAt,
        resolvedAt: f.resolvedAt,
      })),
    });
    await stack.prisma.alert.createMany({
      data: fixtures.flatMap((f) =>
        f.breaches.map((at, k) => ({
          id: `AL-${f.id}-${k}`,
          dedupeKey: `${f.id}/breach/${k}`,
          kind: 'sla_breach',
          objectType: 'support_request',
          objectId: f.id,
          clock: k === 0 ? 'triage' : 'resolution',
          region: f.region,
          workflowId: `support-request/${f.id}`,
          raisedAt: at,
        })),
      ),
    });
    // A warning is not a breach.
    await stack.prisma.alert.create({
      data: { id: `AL-${fixtures[0].id}-w`, dedupeKey: `${fixtures[0].id}/warn`, kind: 'sla_warning', objectType: 'support_request', objectId: fixtures[0].id, region: fixtures[0].region, workflowId: 'w', raisedAt: new Date(Date.UTC(2019, 0, 5)) },
    });
    await stack.prisma.intelItem.createMany({
      data: items.map((i) => ({
        id: i.id,
        title: 't',
        summary: 's',
        categories: i.categories,
        indicators: [],
        priority: i.priority,
        tlp: 'TLP:GREEN',
        sourceKind: 'law_enforcement',
        reliability: 'B',
        credibility: 2,
        status: i.duplicate ? 'duplicate' : 'received',
        originatorSub: i.country ? `officer@nrp.${i.country.toLowerCase()}` : ANALYST.sub,
        originatorRole: i.country ? 'member' : 'analyst',
        originatorCountry: i.country,
        deconfliction: {},
        createdAt: i.createdAt,
      })),
    });
    const disseminations = [...new Map(recipients.map((r) => [r.disseminationId, r])).values()];
    await stack.prisma.dissemination.createMany({
      data: disseminations.map((r) => ({
        id: r.disseminationId,
        workflowId: `dissemination/${r.disseminationId}`,
        intelId: r.intel.id,
        tlp: 'TLP:GREEN',
        priority: r.intel.priority,
        status: r.recalledAt ? 'recalled' : 'active',
        analystSub: ANALYST.sub,
        namedAddresses: [],
        recipientCount: recipients.filter((x) => x.disseminationId === r.disseminationId).length,
        totals: {},
        recalledAt: r.recalledAt,
      })),
    });
    await stack.prisma.disseminationRecipient.createMany({
      data: recipients.map((r) => ({
        disseminationId: r.disseminationId,
        iso: r.iso,
        region: r.region,
        status: r.feedback ? 'feedback' : r.acknowledgedAt ? 'acknowledged' : r.deliveredAt ? 'overdue' : 'pending',
        deliveredAt: r.deliveredAt,
        ackDueAt: r.ackDueAt,
        acknowledgedAt: r.acknowledgedAt,
        feedback: r.feedback ? { outcome: r.feedback.outcome, note: 'n', by: 'x', at: r.feedback.at.toISOString() } : undefined,
        feedbackAt: r.feedback?.at,
        feedbackOutcome: r.feedback?.outcome,
      })),
    });
    await seedOperation('feb', {
      actionStart: '2019-02-10T06:00:00.000Z',
      phase: 'closed',
      categories: ['botnet', 'malware'],
      countries: [
        { iso: 'PH', region: 'EURASIA', status: 'final', counts: { arrests: 3, servers_seized: 2 } },
        { iso: 'SG', region: 'EURASIA', status: 'final', counts: { arrests: 1, domains_taken_down: 40 } },
        { iso: 'FR', region: 'EURASIA', status: 'withdrawn', counts: { arrests: 100 } },
        { iso: 'BR', region: 'AMERICAS', status: 'final', counts: { arrests: 7 } },
      ],
    });
    await seedOperation('mar', {
      actionStart: '2019-03-31T23:30:00.000Z',
      phase: 'aborted',
      categories: ['botnet'],
      countries: [{ iso: 'PH', region: 'EURASIA', status: 'aborted', counts: { servers_seized: 1 } }],
    });
    await seedOperation('drill', {
      actionStart: '2019-02-20T00:00:00.000Z',
      phase: 'closed',
      exercise: true,
      categories: ['ddos_service'],
      countries: [{ iso: 'SG', region: 'EURASIA', status: 'final', counts: { arrests: 50 } }],
    });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const get = async (who: Principal, path: string) => stack.http('GET', path, { token: await stack.token(who) });
  const PERIOD = 'from=2019-01-01T00:00:00Z&to=2019-07-01T00:00:00Z';

  it('answers per-month figures and the period for EURASIA that match the seeded requests', async () => {
    const res = await get(COORDINATOR_EURASIA, `/api/v1/regions/EURASIA/trends?${PERIOD}&interval=month`);
    expect(res.status).toBe(200);
    expect(res.body.region).toBe('EURASIA');
    expect(res.body.buckets.map((b: { start: string }) => b.start.slice(0, 7))).toEqual(['2019-01', '2019-02', '2019-03', '2019-04', '2019-05', '2019-06']);
    const eurasia = fixtures.filter((f) => f.region === 'EURASIA');
    for (const bucket of res.body.buckets) {
      const from = new Date(bucket.start);
      const to = new Date(bucket.end);
      expect(bucket.supportRequests.total).toEqual(expected(eurasia, from, to));
      for (const c of bucket.supportRequests.byCategory) {
        const { category, ...figures } = c;
        expect(figures).toEqual(expected(eurasia.filter((f) => f.category === category), from, to));
      }
      for (const p of bucket.supportRequests.byPriority) {
        const { priority, ...figures } = p;
        expect(figures).toEqual(expected(eurasia.filter((f) => f.priority === priority), from, to));
      }
    }
    const whole = expected(eurasia, new Date('2019-01-01T00:00:00Z'), new Date('2019-07-01T00:00:00Z'));
    expect(res.body.period.supportRequests.total).toEqual(whole);
    // Not a vacuous fixture: every kind of figure is present, and December 2018 stays out.
    expect(whole.submitted).toBeGreaterThan(30);
    expect(whole.resolved).toBeGreaterThan(10);
    expect(whole.slaBreached).toBeGreaterThan(3);
    expect(whole.slaMet).toBeLessThan(whole.resolved);
    expect(res.body.period.supportRequests.total.submitted).toBeLessThan(eurasia.length);
  });

  it('counts operations by their action start, with the region\'s own results, withdrawn countries and exercises left out', async () => {
    const res = await get(SUPERVISOR, `/api/v1/regions/EURASIA/trends?${PERIOD}`);
    const [jan, feb, mar, apr] = res.body.buckets;
    expect(jan.operations.operations).toBe(0);
    expect(feb.operations).toMatchObject({ operations: 1, aborted: 0, countries: 2 });
    expect(feb.operations.results).toMatchObject({ arrests: 4, servers_seized: 2, domains_taken_down: 40, victims_notified: 0 });
    expect(feb.operations.byCategory).toEqual(expect.arrayContaining([{ category: 'botnet', operations: 1 }, { category: 'ddos_service', operations: 0 }]));
    expect(mar.operations).toMatchObject({ operations: 1, aborted: 1, countries: 1 });
    expect(apr.operations.operations).toBe(0);
    expect(res.body.period.operations).toMatchObject({ operations: 2, aborted: 1, countries: 2 });
    expect(res.body.period.operations.results).toMatchObject({ arrests: 4, servers_seized: 3 });
    expect(res.body.period.operations.byCategory).toEqual(expect.arrayContaining([{ category: 'botnet', operations: 2 }, { category: 'malware', operations: 1 }]));

    const drills = await get(SUPERVISOR, `/api/v1/regions/EURASIA/trends?${PERIOD}&includeExercises=true`);
    expect(drills.body.buckets[1].operations).toMatchObject({ operations: 2, countries: 2 });
    expect(drills.body.buckets[1].operations.results.arrests).toBe(54);

    const americas = await get(SUPERVISOR, `/api/v1/regions/AMERICAS/trends?${PERIOD}`);
    expect(americas.body.buckets[1].operations).toMatchObject({ operations: 1, countries: 1 });
    expect(americas.body.buckets[1].operations.results.arrests).toBe(7);
  });

  it('counts intelligence and disseminations per month, category and priority as recomputed from the seeded rows', async () => {
    for (const [who, region] of [[SUPERVISOR, 'EURASIA'], [MEMBER_BR, 'AMERICAS']] as const) {
      const res = await get(who, `/api/v1/regions/${region}/trends?${PERIOD}&interval=month`);
      expect(res.status).toBe(200);
      for (const scope of [...res.body.buckets, { ...res.body.period, start: '2019-01-01T00:00:00Z', end: '2019-07-01T00:00:00Z' }]) {
        const from = new Date(scope.start);
        const to = new Date(scope.end);
        expect(scope.intel.total).toEqual(expectedIntel(region, from, to));
        expect(scope.disseminations.total).toEqual(expectedDisseminations(region, from, to));
        for (const { category, ...figures } of scope.intel.byCategory) expect(figures).toEqual(expectedIntel(region, from, to, (i) => i.categories.includes(category)));
        for (const { priority, ...figures } of scope.intel.byPriority) expect(figures).toEqual(expectedIntel(region, from, to, (i) => i.priority === priority));
        for (const { category, ...figures } of scope.disseminations.byCategory) {
          expect(figures).toEqual(expectedDisseminations(region, from, to, (i) => i.categories.includes(category)));
        }
        for (const { priority, ...figures } of scope.disseminations.byPriority) expect(figures).toEqual(expectedDisseminations(region, from, to, (i) => i.priority === priority));
      }
    }
    // Not vacuous: every figure occurs in EURASIA's period, and the recalled item's unanswered recipient is not overdue.
    const whole = expectedDisseminations('EURASIA', new Date('2019-01-01T00:00:00Z'), new Date('2019-07-01T00:00:00Z'));
    expect(Math.min(whole.delivered, whole.acknowledgedInTime, whole.acknowledgedLate, whole.overdue, ...Object.values(whole.feedback))).toBeGreaterThan(0);
    const intel = expectedIntel('EURASIA', new Date('2019-01-01T00:00:00Z'), new Date('2019-07-01T00:00:00Z'));
    expect(Math.min(intel.contributed, intel.duplicates, intel.disseminated)).toBeGreaterThan(0);
    expect(recipients.some((r) => r.recalledAt && !r.acknowledgedAt && r.region === 'EURASIA')).toBe(true);
  });

  it('clips the first and last buckets to the period and buckets by quarter', async () => {
    const res = await get(ANALYST, '/api/v1/regions/AMERICAS/trends?from=2019-02-15T00:00:00Z&to=2019-05-10T00:00:00Z&interval=quarter');
    expect(res.status).toBe(200);
    expect(res.body.buckets.map((b: { start: string; end: string }) => [b.start, b.end])).toEqual([
      ['2019-02-15T00:00:00.000Z', '2019-04-01T00:00:00.000Z'],
      ['2019-04-01T00:00:00.000Z', '2019-05-10T00:00:00.000Z'],
    ]);
    const americas = fixtures.filter((f) => f.region === 'AMERICAS');
    expect(res.body.buckets[0].supportRequests.total).toEqual(expected(americas, new Date('2019-02-15T00:00:00Z'), new Date('2019-04-01T00:00:00Z')));
    expect(res.body.period.supportRequests.total).toEqual(expected(americas, new Date('2019-02-15T00:00:00Z'), new Date('2019-05-10T00:00:00Z')));
  });

  it('puts the four regions side by side for global readers', async () => {
    for (const who of [SUPERVISOR, ANALYST, GLOBAL_COORDINATOR]) {
      const res = await get(who, `/api/v1/regions/trends?${PERIOD}&interval=quarter`);
      expect(res.status).toBe(200);
      expect(res.body.regions.map((r: { region: string }) => r.region)).toEqual(['AFRICA', 'AMERICAS', 'EURASIA', 'MENA']);
      const byRegion = Object.fromEntries(res.body.regions.map((r: { region: string; period: unknown }) => [r.region, r]));
      const period = [new Date('2019-01-01T00:00:00Z'), new Date('2019-07-01T00:00:00Z')] as const;
      expect(byRegion.EURASIA.period.supportRequests.total).toEqual(expected(fixtures.filter((f) => f.region === 'EURASIA'), ...period));
      expect(byRegion.AMERICAS.period.supportRequests.total).toEqual(expected(fixtures.filter((f) => f.region === 'AMERICAS'), ...period));
      expect(byRegion.MENA.period.supportRequests.total.submitted).toBe(0);
    }
  });

  it('lets members read their own region, regional coordinators theirs, and refuses (and audits) the rest', async () => {
    expect((await get(MEMBER_PH, `/api/v1/regions/EURASIA/trends?${PERIOD}`)).status).toBe(200);
    expect((await get(MEMBER_BR, `/api/v1/regions/AMERICAS/trends?${PERIOD}`)).status).toBe(200);
    expect((await get(COORDINATOR_AMERICAS, `/api/v1/regions/AMERICAS/trends?${PERIOD}`)).status).toBe(200);
    const refused = await get(MEMBER_PH, `/api/v1/regions/AMERICAS/trends?${PERIOD}`);
    expect(refused.status).toBe(403);
    expect((await get(COORDINATOR_AMERICAS, `/api/v1/regions/EURASIA/trends?${PERIOD}`)).status).toBe(403);
    expect((await get(ADMIN, `/api/v1/regions/EURASIA/trends?${PERIOD}`)).status).toBe(403);
    expect((await get(MEMBER_PH, `/api/v1/regions/trends?${PERIOD}`)).status).toBe(403);
    expect((await get(COORDINATOR_EURASIA, `/api/v1/regions/trends?${PERIOD}`)).status).toBe(403);
    expect((await stack.http('GET', `/api/v1/regions/EURASIA/trends?${PERIOD}`)).status).toBe(401);
    const denials = await stack.prisma.auditEvent.findMany({ where: { objectType: 'region_trends', actorSub: MEMBER_PH.sub, afterState: 'denied' } });
    expect(denials.map((d) => d.objectId)).toEqual(expect.arrayContaining(['AMERICAS', 'all']));
  });

  it('names the wrong parameter in a 400', async () => {
    const cases: Array<[string, string]> = [
      ['/api/v1/regions/ATLANTIS/trends', 'region'],
      ['/api/v1/regions/EURASIA/trends?from=yesterday', 'from'],
      ['/api/v1/regions/EURASIA/trends?interval=fortnight', 'interval'],
      ['/api/v1/regions/EURASIA/trends?includeExercises=maybe', 'includeExercises'],
      ['/api/v1/regions/trends?to=2019-13-01', 'to'],
    ];
    for (const [path, field] of cases) {
      const res = await get(SUPERVISOR, path);
      expect({ path, status: res.status, fields: res.body.details.map((d: { field: string }) => d.field) }).toEqual({ path, status: 400, fields: expect.arrayContaining([field]) });
    }
  });

  it('answers 422 for well-formed parameters that make no period', async () => {
    for (const [path, field] of [
      ['/api/v1/regions/EURASIA/trends?from=2019-05-01T00:00:00Z&to=2019-01-01T00:00:00Z', 'to'],
      ['/api/v1/regions/EURASIA/trends?from=2000-01-01T00:00:00Z&to=2019-01-01T00:00:00Z&interval=day', 'interval'],
    ]) {
      const res = await get(SUPERVISOR, path);
      expect({ path, status: res.status, fields: res.body.details.map((d: { field: string }) => d.field) }).toEqual({ path, status: 422, fields: [field] });
    }
  });

  it('documents both routes in OpenAPI with their responses', async () => {
    const doc = await stack.http('GET', '/docs/openapi.json');
    const paths = doc.body.paths;
    for (const path of ['/api/v1/regions/{region}/trends', '/api/v1/regions/trends']) {
      expect(Object.keys(paths[path].get.responses).sort()).toEqual(['200', '400', '401', '403', '422', '429', '503']);
    }
    const params = paths['/api/v1/regions/{region}/trends'].get.parameters.map((p: { name: string }) => p.name);
    expect(params).toEqual(expect.arrayContaining(['region', 'from', 'to', 'interval', 'includeExercises']));
  });
});
