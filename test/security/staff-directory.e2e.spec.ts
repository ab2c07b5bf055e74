import { randomUUID } from 'node:crypto';
import { resolveTarget } from '../../activities/alerts/alert.activities';
import { ADMIN, COORDINATOR_EURASIA, MEMBER_PH, Stack, startStack, SUPERVISOR } from '../support/harness';

// Assignees become recipients of SLA pages: they must be active officers of the staff directory.
describe('staff directory and assignees', () => {
  let stack: Stack;
  let admin: string;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    stack = await startStack();
    admin = await stack.token(ADMIN);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const create = (body: Record<string, unknown>, token = admin) => stack.http('POST', '/api/v1/staff', { token, body });

  it('is seeded, and admins create, update and deactivate officers, each change audited', async () => {
    const listed = await stack.http('GET', '/api/v1/staff?region=EURASIA&active=true', { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.items.map((o: { email: string }) => o.email)).toContain('officer.manila@cyberops.test');

    const created = await create({ name: 'Ana Reyes', email: `Ana.Reyes.${run}@CyberOps.test`, role: 'coordinator', region: 'EURASIA' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: expect.stringMatching(/^OF-/), email: `ana.reyes.${run}@cyberops.test`, active: true });
    const id = created.body.id as string;
    expect((await create({ name: 'Twin', email: `ana.reyes.${run}@cyberops.test`, role: 'analyst' })).status).toBe(409);

    const moved = await stack.http('PATCH', `/api/v1/staff/${id}`, { token: admin, body: { region: null, role: 'supervisor' } });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ region: null, role: 'supervisor', updatedBy: ADMIN.sub });
    const off = await stack.http('POST', `/api/v1/staff/${id}/deactivate`, { token: admin });
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);

    const audit = await stack.prisma.auditEvent.findMany({ where: { objectType: 'staff_officer', objectId: id }, orderBy: { id: 'asc' } });
    expect(audit.map((a) => a.action)).toEqual(['staff.create', 'staff.update', 'staff.deactivate']);
    expect(audit.every((a) => a.actorSub === ADMIN.sub)).toBe(true);
  });

  it('answers 400 naming each wrong field, 403 to non-admins, 404 for an unknown officer', async () => {
    const bad = await create({ name: '', email: 'not-an-address', role: 'member', region: 'MARS' });
    expect(bad.status).toBe(400);
    expect([...new Set(bad.body.details.map((d: { field: string }) => d.field))].sort()).toEqual(['email', 'name', 'region', 'role']);
    for (const p of [COORDINATOR_EURASIA, SUPERVISOR, MEMBER_PH]) {
      expect((await create({ name: 'X', email: `x.${run}@cyberops.test`, role: 'analyst' }, await stack.token(p))).status).toBe(403);
    }
    expect((await stack.http('GET', '/api/v1/staff', { token: await stack.token(MEMBER_PH) })).status).toBe(403);
    expect((await stack.http('PATCH', '/api/v1/staff/OF-NOBODY', { token: admin, body: { name: 'Y' } })).status).toBe(404);
    const empty = await stack.http('PATCH', '/api/v1/staff/OF-EURASIA-MANILA', { token: admin, body: {} });
    expect(empty.status).toBe(400);
    expect(empty.body.details[0].field).toBe('body');
  });

  it('assigns only a known, active officer (400 naming assignee otherwise), stored as the directory spells it', async () => {
    const member = await stack.token(MEMBER_PH);
    const coordinator = await stack.token(COORDINATOR_EURASIA);
    const submitted = await stack.http('POST', '/api/v1/support-requests', {
      token: member,
      body: { category: 'botnet', mode: 'remote', priority: 'P3', title: `assignee ${run}`, description: 'botnet C2 in PH', indicators: [] },
    });
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as string;
    expect((await stack.http('POST', `/api/v1/support-requests/${id}/triage`, { token: coordinator, body: { decision: 'accept' } })).status).toBe(200);

    const leaving = await create({ name: 'Leaving Officer', email: `leaving.${run}@cyberops.test`, role: 'coordinator', region: 'EURASIA' });
    await stack.http('POST', `/api/v1/staff/${leaving.body.id}/deactivate`, { token: admin });

    for (const assignee of ['attacker@evil.example', `leaving.${run}@cyberops.test`, 'not even an address']) {
      const refused = await stack.http('POST', `/api/v1/support-requests/${id}/assign`, { token: coordinator, body: { assignee } });
      expect(refused.status).toBe(400);
      expect(refused.body.details).toEqual([{ field: 'assignee', problem: expect.any(String) }]);
    }
    const detail = await stack.http('GET', `/api/v1/support-requests/${id}`, { token: coordinator });
    expect(detail.body.status).toBe('triaged');

    const assigned = await stack.http('POST', `/api/v1/support-requests/${id}/assign`, { token: coordinator, body: { assignee: 'Officer.Manila@CYBEROPS.test' } });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toMatchObject({ status: 'in_progress', assignee: 'officer.manila@cyberops.test' });
  });

  it("pages the assignee at the directory's address, and no one once the officer is deactivated", async () => {
    const created = await create({ name: 'Paged Officer', email: `paged.${run}@cyberops.test`, role: 'coordinator', region: 'AMERICAS' });
    const target = { kind: 'assignee' as const, assignee: `paged.${run}@cyberops.test`, region: 'AMERICAS' };
    expect(await resolveTarget(stack.prisma, target)).toEqual([
      { id: `officer:paged.${run}@cyberops.test`, name: 'Paged Officer', role: 'assigned_officer', channel: 'email', address: `paged.${run}@cyberops.test` },
    ]);
    await stack.http('POST', `/api/v1/staff/${created.body.id}/deactivate`, { token: admin });
    expect(await resolveTarget(stack.prisma, target)).toEqual([]);
    // A free-text assignee left by older code pages no one either.
    expect(await resolveTarget(stack.prisma, { kind: 'assignee', assignee: 'attacker@evil.example', region: 'AMERICAS' })).toEqual([]);
  });
});
