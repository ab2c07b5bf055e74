import type { Principal } from '../../apps/api/auth/principal';
import { COORDINATOR_AMERICAS, COORDINATOR_EURASIA, MEMBER_BR, MEMBER_PH, Stack, startStack, SUPERVISOR } from '../support/harness';

// The working-group meeting through the API with the real worker, Temporal and PostgreSQL:
// scheduling rules, scoped reads, attendance, invitations delivered, the audit trail, and the
// meeting closing attendance once held. Deadlines are seconds ahead.
describe('working groups over HTTP', () => {
  let stack: Stack;
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  const year = new Date().getUTCFullYear();
  const path = `/api/v1/working-groups/EURASIA/${year}`;

  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const call = async (who: Principal, method: string, url: string, body?: unknown) => stack.http(method, url, { token: await stack.token(who), body });

  it('schedules, invites, scopes reads, takes attendance and closes it once the meeting is held', async () => {
    const t0 = Date.now();
    const at = (ms: number) => new Date(t0 + ms).toISOString();
    const body = { region: 'EURASIA', year, meetingDate: at(15_000), agenda: ['Regional trends', 'Action plan'], countries: ['PH', 'SG'], attendanceDeadline: at(12_000), reminderBefore: '6s', escalationStep: '1s' };

    expect((await call(COORDINATOR_AMERICAS, 'POST', '/api/v1/working-groups', body)).status).toBe(403);
    expect((await call(MEMBER_PH, 'POST', '/api/v1/working-groups', body)).status).toBe(403);
    const wrong = await call(COORDINATOR_EURASIA, 'POST', '/api/v1/working-groups', { ...body, attendanceDeadline: at(16_000), countries: ['PH', 'ZZ'], year: year + 1 });
    expect(wrong.status).toBe(422);
    expect(wrong.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['attendanceDeadline', 'countries', 'year']);

    const created = await call(COORDINATOR_EURASIA, 'POST', '/api/v1/working-groups', body);
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: `working-group/EURASIA/${year}`, status: 'scheduled', countries: ['PH', 'SG'] });
    const confirmed = await call(MEMBER_PH, 'POST', `${path}/countries/PH/attendance`, { attending: true, delegate: 'head.of.unit@police.ph' });
    expect(confirmed.status).toBe(200);
    expect(Date.now()).toBeLessThan(t0 + 6_000); // before the reminder, or the fixture is too slow to prove anything
    expect((await call(SUPERVISOR, 'POST', '/api/v1/working-groups', body)).status).toBe(409);

    const full = await call(SUPERVISOR, 'GET', path);
    expect(full.status).toBe(200);
    expect(full.body.countries.map((c: { iso: string; status: string }) => [c.iso, c.status])).toEqual([['PH', 'attending'], ['SG', 'invited']]);
    const own = await call(MEMBER_PH, 'GET', path);
    expect(own.body.countries).toEqual([expect.objectContaining({ iso: 'PH', status: 'attending' })]);
    expect(own.body.countries.map((c: { iso: string }) => c.iso)).toEqual(['PH']);
    expect((await call(MEMBER_BR, 'GET', path)).status).toBe(404);
    expect((await call(COORDINATOR_AMERICAS, 'GET', path)).status).toBe(404);
    expect((await call(SUPERVISOR, 'GET', `/api/v1/working-groups/MENA/${year}`)).status).toBe(404);
    expect((await call(SUPERVISOR, 'GET', '/api/v1/working-groups/ATLANTIS/x')).status).toBe(400);

    expect(confirmed.body.countries).toEqual([expect.objectContaining({ iso: 'PH', status: 'attending', delegate: 'head.of.unit@police.ph', answeredBy: MEMBER_PH.sub })]);
    expect((await call(MEMBER_PH, 'POST', `${path}/countries/SG/attendance`, { attending: false })).status).toBe(404);
    expect((await call(SUPERVISOR, 'POST', `${path}/countries/FR/attendance`, { attending: true })).status).toBe(409);
    expect((await call(MEMBER_PH, 'POST', `${path}/countries/PH/attendance`, { attending: 'yes' })).status).toBe(400);

    // Invitations to both countries, the reminder only to the silent one, through the notifier.
    const keys = async () => (await stack.prisma.notification.findMany({ where: { idempotencyKey: { startsWith: `working-group/EURASIA/${year}/` } } })).map((n) => n.idempotencyKey).sort();
    while (!(await keys()).some((k) => k.includes('/reminder/')) && Date.now() < t0 + 11_500) await sleep(200);
    expect(await keys()).toEqual([`working-group/EURASIA/${year}/invitation/PH`, `working-group/EURASIA/${year}/invitation/SG`, `working-group/EURASIA/${year}/reminder/SG`]);

    // SG stays silent past the deadline: overdue and an alert for the region.
    while (Date.now() < t0 + 12_800) await sleep(200);
    const overdue = await call(SUPERVISOR, 'GET', path);
    expect(overdue.body.countries.find((c: { iso: string }) => c.iso === 'SG').status).toBe('overdue');
    expect(overdue.body.openAlerts).toHaveLength(1);
    const alert = await stack.prisma.alert.findUniqueOrThrow({ where: { id: overdue.body.openAlerts[0] } });
    expect(alert).toMatchObject({ kind: 'deadline_missed', objectType: 'working_group', region: 'EURASIA' });
    // A coordinator answers for SG late, before the meeting.
    expect((await call(COORDINATOR_EURASIA, 'POST', `${path}/countries/SG/attendance`, { attending: false })).status).toBe(200);

    while (Date.now() < t0 + 15_500) await sleep(200);
    let held = await call(SUPERVISOR, 'GET', path);
    for (let i = 0; i < 25 && held.body.status !== 'held'; i++) {
      await sleep(200);
      held = await call(SUPERVISOR, 'GET', path);
    }
    expect(held.body).toMatchObject({ status: 'held', totals: { invited: 2, attending: 1, declined: 1, unanswered: 0 } });
    expect((await call(MEMBER_PH, 'POST', `${path}/countries/PH/attendance`, { attending: false })).status).toBe(409);

    const audit = await stack.prisma.auditEvent.findMany({ where: { objectType: 'working_group', objectId: `working-group/EURASIA/${year}` }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => [a.action, a.actorSub])).toEqual(
      expect.arrayContaining([
        ['working_group.schedule', COORDINATOR_EURASIA.sub],
        ['working_group.attendance.confirm', MEMBER_PH.sub],
        ['working_group.attendance.overdue', 'system'],
        ['working_group.attendance.decline', COORDINATOR_EURASIA.sub],
        ['working_group.held', 'system'],
      ]),
    );
    const denied = await stack.prisma.auditEvent.findMany({ where: { objectType: 'working_group', afterState: 'denied', actorSub: MEMBER_BR.sub } });
    expect(denied.length).toBeGreaterThan(0);
  });
});
