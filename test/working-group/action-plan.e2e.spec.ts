import type { Principal } from '../../apps/api/auth/principal';
import { schemaChecker } from '../support/openapi-schema';
import { ANALYST, COORDINATOR_AMERICAS, COORDINATOR_EURASIA, MEMBER_BR, MEMBER_PH, Stack, startStack, SUPERVISOR } from '../support/harness';

// The action plan of a working group through the API with the real worker, Temporal and
// PostgreSQL: recording it once the meeting is held, scoping (members see the plan and write to
// their own items only), progress notes, an operation item becoming a planned operation (linked
// both ways), a training course with an exercise-mode operation, and an overdue item alerting.
describe('working-group action plans over HTTP', () => {
  let stack: Stack;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  // A year of its own: the suite shares one Temporal server and database.
  const year = 2100 + Math.floor(Math.random() * 800);
  const base = `/api/v1/working-groups/EURASIA/${year}`;
  const MEMBER_SG: Principal = { sub: 'officer@nrp.sg', role: 'member', country: 'SG' };
  const MEMBER_TH: Principal = { sub: 'officer@nrp.th', role: 'member', country: 'TH' };

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const call = async (who: Principal, method: string, url: string, body?: unknown) => stack.http(method, url, { token: await stack.token(who), body });
  const until = async <T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 10_000): Promise<T> => {
    const end = Date.now() + ms;
    let value = await read();
    while (!ok(value) && Date.now() < end) {
      await sleep(200);
      value = await read();
    }
    return value;
  };

  it('records the plan after the meeting, scopes it, takes notes, and turns items into an operation and an exercise', async () => {
    const conforms = schemaChecker((await stack.http('GET', '/docs/openapi.json')).body);
    const t0 = Date.now();
    const meeting = {
      region: 'EURASIA', year, meetingDate: `${year}-03-10T09:00:00Z`, agenda: ['Action plan'], countries: ['PH', 'SG', 'TH'],
      attendanceDeadline: new Date(t0 + 3_000).toISOString(), reminderBefore: '1s', escalationStep: '1h',
    };
    expect((await call(COORDINATOR_EURASIA, 'POST', '/api/v1/working-groups', meeting)).status).toBe(201);
    const item = (over: Record<string, unknown> = {}) => ({ ownerCountry: 'PH', kind: 'operation', title: 'Takedown of bulletproof hosters', description: 'Joint action against the hosters named at the meeting', dueDate: new Date(t0 + 60 * 86_400_000).toISOString(), ...over });
    const early = await call(COORDINATOR_EURASIA, 'POST', `${base}/plan/items`, item());
    expect(early.status).toBe(409);
    expect(early.body.message).toMatch(/not been held/);
    expect((await call(COORDINATOR_EURASIA, 'POST', `${base}/held`)).status).toBe(409); // attendance still open
    expect((await call(MEMBER_PH, 'POST', `${base}/countries/PH/attendance`, { attending: true })).status).toBe(200);

    while (Date.now() < t0 + 3_300) await sleep(100);
    expect((await call(COORDINATOR_AMERICAS, 'POST', `${base}/held`)).status).toBe(404);
    expect((await call(MEMBER_PH, 'POST', `${base}/held`)).status).toBe(403);
    const held = await call(COORDINATOR_EURASIA, 'POST', `${base}/held`);
    expect(held.status).toBe(200);
    expect(held.body).toMatchObject({ status: 'held', heldBy: COORDINATOR_EURASIA.sub });

    // Recording the plan: who may, and what is refused.
    expect((await call(MEMBER_PH, 'POST', `${base}/plan/items`, item())).status).toBe(403);
    expect((await call(COORDINATOR_AMERICAS, 'POST', `${base}/plan/items`, item())).status).toBe(404);
    const wrong = await call(COORDINATOR_EURASIA, 'POST', `${base}/plan/items`, item({ ownerCountry: 'BR', dueDate: new Date(t0 - 1_000).toISOString() }));
    expect(wrong.status).toBe(422);
    expect(wrong.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['dueDate', 'ownerCountry']);
    const bad = await call(COORDINATOR_EURASIA, 'POST', `${base}/plan/items`, item({ kind: 'party', title: '' }));
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['kind', 'title']);

    const op = await call(COORDINATOR_EURASIA, 'POST', `${base}/plan/items`, item({ categories: ['bulletproof_hosting'], countries: ['PH', 'SG'] }));
    expect(op.status).toBe(201);
    expect(op.body).toMatchObject({ id: `working-group/EURASIA/${year}/item/1`, n: 1, status: 'open', ownerCountry: 'PH', kind: 'operation', countries: ['PH', 'SG'], operationId: null, version: 1 });
    const training = await call(SUPERVISOR, 'POST', `${base}/plan/items`, item({ ownerCountry: 'SG', kind: 'training', title: 'Train-the-Trainer: darknet investigations' }));
    expect(training.status).toBe(201);
    expect(training.body.n).toBe(2);
    const law = await call(COORDINATOR_EURASIA, 'POST', `${base}/plan/items`, item({ ownerCountry: 'TH', kind: 'legislation', title: 'Cybercrime bill', dueDate: new Date(Date.now() + 5_000).toISOString(), reminderBefore: '3s', escalationStep: '1s' }));
    expect(law.status).toBe(201);

    // A member sees the region's plan, the detail of its own items only, and writes only to those.
    const plan = await call(MEMBER_PH, 'GET', `${base}/plan`);
    expect(plan.status).toBe(200);
    expect(plan.body.items.map((i: { n: number; ownerCountry: string }) => [i.n, i.ownerCountry])).toEqual([[3, 'TH'], [2, 'SG'], [1, 'PH']]);
    expect(plan.body.totals).toMatchObject({ items: 3, byStatus: { open: 3, in_progress: 0, done: 0, cancelled: 0 }, byOwner: { PH: 1, SG: 1, TH: 1 } });
    expect((await call(MEMBER_PH, 'GET', `${base}/plan/items/1`)).status).toBe(200);
    expect((await call(MEMBER_PH, 'GET', `${base}/plan/items/2`)).status).toBe(404);
    expect((await call(MEMBER_PH, 'POST', `${base}/plan/items/2/notes`, { text: 'not ours' })).status).toBe(404);
    expect((await call(MEMBER_PH, 'POST', `${base}/plan/items/2/status`, { status: 'done' })).status).toBe(404);
    expect((await call(MEMBER_PH, 'POST', `${base}/plan/items/1/due-date`, { dueDate: new Date(t0 + 90 * 86_400_000).toISOString() })).status).toBe(403);
    expect((await call(MEMBER_BR, 'GET', `${base}/plan`)).status).toBe(404);
    expect((await call(COORDINATOR_AMERICAS, 'GET', `${base}/plan`)).status).toBe(404);
    expect((await call(MEMBER_PH, 'GET', `${base}/plan/items/99`)).status).toBe(404);
    expect((await call(MEMBER_PH, 'GET', `${base}/plan/items/zero`)).status).toBe(400);
    expect((await call(ANALYST, 'GET', `${base}/plan`)).status).toBe(200);
    expect((await call(ANALYST, 'POST', `${base}/plan/items/1/notes`, { text: 'x' })).status).toBe(403);

    const noted = await call(MEMBER_PH, 'POST', `${base}/plan/items/1/notes`, { text: 'Targets identified with SG' });
    expect(noted.status).toBe(200);
    expect(noted.body).toMatchObject({ status: 'in_progress', notes: [expect.objectContaining({ by: MEMBER_PH.sub, country: 'PH', text: 'Targets identified with SG' })] });
    expect((await call(MEMBER_PH, 'POST', `${base}/plan/items/1/notes`, { text: '' })).status).toBe(400);

    // The operation item becomes a planned operation with one call; the link shows on both sides.
    expect((await call(MEMBER_PH, 'POST', `${base}/plan/items/1/operation`, {})).status).toBe(403);
    const planned = await call(COORDINATOR_EURASIA, 'POST', `${base}/plan/items/1/operation`, {});
    expect(planned.status).toBe(201);
    expect(planned.body).toMatchObject({ phase: 'planning', exercise: false, item: { operationId: planned.body.operationId } });
    const operation = await call(COORDINATOR_EURASIA, 'GET', `/api/v1/operations/${planned.body.operationId}`);
    expect(operation.status).toBe(200);
    expect(operation.body).toMatchObject({
      phase: 'planning', exercise: false, name: 'Takedown of bulletproof hosters', objective: 'Joint action against the hosters named at the meeting', categories: ['bulletproof_hosting'],
      actionPlanItem: { id: `working-group/EURASIA/${year}/item/1`, n: 1, kind: 'operation', ownerCountry: 'PH' },
    });
    expect(operation.body.countries.map((c: { iso: string }) => c.iso).sort()).toEqual(['PH', 'SG']);
    expect((await call(MEMBER_PH, 'GET', `${base}/plan/items/1`)).body.operationId).toBe(planned.body.operationId);
    expect((await call(COORDINATOR_EURASIA, 'POST', `${base}/plan/items/1/operation`, {})).status).toBe(409);
    expect((await call(COORDINATOR_EURASIA, 'POST', `${base}/plan/items/2/operation`, {})).status).toBe(409);

    // The training item records its course (by its owner) and runs an exercise-mode operation.
    const course = { startDate: `${year}-05-04T08:00:00Z`, endDate: `${year}-05-08T16:00:00Z`, hostCountry: 'SG', trainees: [{ iso: 'PH', count: 3 }, { iso: 'TH', count: 2 }] };
    expect((await call(MEMBER_SG, 'PUT', `${base}/plan/items/2/training`, { ...course, endDate: course.startDate })).status).toBe(422);
    expect((await call(MEMBER_SG, 'PUT', `${base}/plan/items/2/training`, { ...course, trainees: [{ iso: 'PH', count: 0 }] })).status).toBe(400);
    const recorded = await call(MEMBER_SG, 'PUT', `${base}/plan/items/2/training`, course);
    expect(recorded.status).toBe(200);
    expect(recorded.body.training).toMatchObject({ hostCountry: 'SG', trainees: course.trainees, recordedBy: MEMBER_SG.sub });
    const exercise = await call(COORDINATOR_EURASIA, 'POST', `${base}/plan/items/2/exercise`, { categories: ['botnet'] });
    expect(exercise.status).toBe(201);
    expect(exercise.body).toMatchObject({ exercise: true, phase: 'planning', item: { exerciseOperationIds: [exercise.body.operationId] } });
    const drill = await call(COORDINATOR_EURASIA, 'GET', `/api/v1/operations/${exercise.body.operationId}`);
    expect(drill.body).toMatchObject({ exercise: true, name: 'Exercise: Train-the-Trainer: darknet investigations', actionPlanItem: { n: 2, kind: 'training' } });
    expect(drill.body.countries.map((c: { iso: string }) => c.iso).sort()).toEqual(['PH', 'SG', 'TH']);
    expect((await call(COORDINATOR_EURASIA, 'POST', `${base}/plan/items/1/exercise`, {})).status).toBe(409);

    // The legislation item passes its due date: reminded first, then overdue with an alert for the region.
    const overdue = await until(() => call(SUPERVISOR, 'GET', `${base}/plan/items/3`), (r) => r.body.overdue === true && r.body.openAlerts.length === 1);
    expect(overdue.body).toMatchObject({ overdue: true, reminded: true, status: 'open' });
    const alert = await stack.prisma.alert.findUniqueOrThrow({ where: { id: overdue.body.openAlerts[0] } });
    expect(alert).toMatchObject({ kind: 'deadline_missed', objectType: 'action_item', objectId: `working-group/EURASIA/${year}/item/3`, region: 'EURASIA', country: 'TH' });
    const escalated = await until(() => stack.prisma.alert.findUniqueOrThrow({ where: { id: alert.id } }), (a) => a.levelName === 'supervisor');
    expect(escalated.levelName).toBe('supervisor');
    const totals = await call(COORDINATOR_EURASIA, 'GET', `${base}/plan`);
    expect(totals.body.totals).toMatchObject({ items: 3, overdue: 1, byStatus: { open: 1, in_progress: 2 } });
    const keys = (await stack.prisma.notification.findMany({ where: { idempotencyKey: { startsWith: `working-group/EURASIA/${year}/item/3/` } } })).map((n) => n.idempotencyKey);
    expect(keys).toEqual(expect.arrayContaining([`working-group/EURASIA/${year}/item/3/assigned`, `working-group/EURASIA/${year}/item/3/reminder/0`, `working-group/EURASIA/${year}/item/3/overdue/0`]));

    // A new due date resolves the alert; the owner closes the item.
    const moved = await call(COORDINATOR_EURASIA, 'POST', `${base}/plan/items/3/due-date`, { dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString(), reason: 'Parliament recess' });
    expect(moved.status).toBe(200);
    expect(moved.body.overdue).toBe(false);
    expect((await until(() => stack.prisma.alert.findUniqueOrThrow({ where: { id: alert.id } }), (a) => a.resolvedAt !== null)).resolvedAt).not.toBeNull();
    const done = await call(MEMBER_TH, 'POST', `${base}/plan/items/3/status`, { status: 'done', reason: 'Bill passed' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', closedBy: MEMBER_TH.sub });
    expect((await call(MEMBER_TH, 'POST', `${base}/plan/items/3/notes`, { text: 'late' })).status).toBe(409);
    const after = await until(() => call(SUPERVISOR, 'GET', `${base}/plan?status=done`), (r) => r.body.items.length === 1);
    expect(after.body).toMatchObject({ items: [expect.objectContaining({ n: 3, status: 'done', overdue: false })], totals: { overdue: 0, byStatus: { done: 1 } } });
    expect((await call(MEMBER_TH, 'GET', `${base}/plan/items/3`)).body).toMatchObject({ status: 'done', openAlerts: [] });

    // Every answer read above has the shape the OpenAPI document gives it.
    expect([
      ...conforms('WorkingGroupViewDto', held.body),
      ...conforms('ActionItemViewDto', op.body),
      ...conforms('ActionItemViewDto', noted.body),
      ...conforms('ActionItemViewDto', recorded.body),
      ...conforms('ActionItemViewDto', done.body),
      ...conforms('PlanViewDto', plan.body),
      ...conforms('PlanViewDto', after.body),
      ...conforms('ItemOperationCreatedDto', planned.body),
      ...conforms('ItemOperationCreatedDto', exercise.body),
      ...conforms('OperationViewDto', operation.body),
      ...conforms('ErrorBodyDto', wrong.body),
    ]).toEqual([]);

    const audit = await stack.prisma.auditEvent.findMany({ where: { objectType: 'action_item', objectId: `working-group/EURASIA/${year}/item/1` }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorSub])).toEqual([
      ['action_item.create', COORDINATOR_EURASIA.sub],
      ['action_item.note', MEMBER_PH.sub],
      ['action_item.operation', COORDINATOR_EURASIA.sub],
    ]);
    const denied = await stack.prisma.auditEvent.findMany({ where: { objectType: 'action_item', afterState: 'denied', actorSub: MEMBER_PH.sub } });
    expect(denied.length).toBeGreaterThan(0);
  });
});
