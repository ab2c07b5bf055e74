import { createSupportRequestActivities, Projection } from '../../activities/support-request/support-request.activities';
import { SupportRequestState } from '../../workflows/support-request/support-request.state';
import type { SupportRequestSnapshot } from '../../workflows/support-request/support-request.messages';
import { Stack, startStack } from '../support/harness';
import { requestInput } from '../support/workflow-env';

// Group commit of support-request projections on the real database: concurrent activities share
// transactions, yet each step is projected once, in version order, and a bad one fails alone.
describe('support-request projections by group commit (real PostgreSQL)', () => {
  let stack: Stack;
  let project: (p: Projection) => Promise<void>;
  let intake: ReturnType<typeof createSupportRequestActivities>['intakeSupportRequest'];
  const coordinator = { sub: 'dco@cyberops.test', role: 'coordinator' as const };

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    const activities = createSupportRequestActivities({ prisma: stack.prisma, notifier: { deliver: async () => ({ ok: true }) } as never });
    project = activities.projectSupportRequest;
    intake = activities.intakeSupportRequest;
  });
  afterAll(async () => stack?.stop());

  /** A request's transitions as its workflow would project them: submit, triage, assign, an action. */
  function lifecycle(): Projection[] {
    const input = requestInput();
    const workflowId = `support-request/${input.id}`;
    let t = Date.now() - 60_000;
    const state = new SupportRequestState(input, t);
    const out: Projection[] = [];
    const at = (event: Projection['event']) => out.push({ key: `${workflowId}/${out.length + 1}`, snapshot: state.snapshot(t, workflowId, []), event });
    at({ action: 'submit', actor: input.requester, before: 'submitted', after: 'submitted' });
    at(state.applyTriage({ decision: 'accept', actor: coordinator }, (t += 1_000)));
    at(state.applyAssign({ assignee: 'officer@cyberops.test', actor: coordinator }, (t += 1_000)));
    at(state.applyAction({ kind: 'advice', note: 'first note', actor: coordinator }, (t += 1_000)));
    return out;
  }

  const auditOf = (id: string) => stack.prisma.auditEvent.findMany({ where: { objectType: 'support_request', objectId: id }, orderBy: { id: 'asc' } });
  /** Distinct writing transactions of these audit rows. */
  const transactionsOf = async (ids: string[]) =>
    Number(
      (await stack.prisma.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(DISTINCT xmin::text) AS n FROM "AuditEvent" WHERE "objectId" = ANY($1)`, ids))[0].n,
    );

  it('projects concurrent transitions of many requests in shared transactions, each step once and the newest snapshot last', async () => {
    const requests = Array.from({ length: 10 }, lifecycle);
    const all = requests.flat();
    // Five requests as their workflows send them (each in order, all at once), five with every step
    // at once newest first, and every step of the first request twice (a retried activity).
    const inOrder = requests.slice(0, 5);
    const newestFirst = requests.slice(5).flatMap((steps) => [...steps].reverse());
    await Promise.all([
      ...inOrder.map(async (steps) => {
        for (const p of steps) await project(p);
      }),
      ...newestFirst.map((p) => project(p)),
      ...requests[0].map((p) => project(p)),
    ]);

    const ids = requests.map((r) => r[0].snapshot.id);
    expect(await transactionsOf(ids)).toBeLessThan(all.length / 2);
    for (const steps of requests) {
      const id = steps[0].snapshot.id;
      const audit = await auditOf(id);
      expect(audit.map((a) => a.dedupeKey).sort()).toEqual(steps.map((s) => s.key).sort());
      const row = await stack.prisma.supportRequest.findUniqueOrThrow({ where: { id } });
      const snapshot = row.snapshot as unknown as SupportRequestSnapshot;
      const last = steps[steps.length - 1].snapshot;
      expect({ status: row.status, assignee: row.assignee, version: snapshot.version, actions: snapshot.actions.length }).toEqual({
        status: 'in_progress',
        assignee: 'officer@cyberops.test',
        version: last.version,
        actions: 1,
      });
      // An older snapshot never overwrites a newer one; projected in order, the triage instant is kept.
      if (inOrder.includes(steps)) expect(row.triagedAt?.toISOString()).toBe(new Date(steps[1].snapshot.updatedAt).toISOString());
    }
  });

  it('fails only the bad projection of a batch; its neighbours commit', async () => {
    const good = Array.from({ length: 5 }, () => lifecycle()[0]);
    const bad = lifecycle()[0];
    const broken: Projection = { ...bad, snapshot: { ...bad.snapshot, country: 'PHL' } }; // too long for the column
    const outcomes = await Promise.allSettled([...good, broken].map((p) => project(p)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect(await stack.prisma.supportRequest.count({ where: { id: { in: good.map((g) => g.snapshot.id) } } })).toBe(5);
    expect(await stack.prisma.supportRequest.count({ where: { id: bad.snapshot.id } })).toBe(0);
    expect(await auditOf(bad.snapshot.id)).toEqual([]);
    // The retry of the failed step, once fixed, is projected like any other.
    await project(bad);
    expect((await auditOf(bad.snapshot.id)).map((a) => a.dedupeKey)).toEqual([bad.key]);
  });

  it('takes a new request in with one activity: deconflicted, projected with the result, and a retry changes nothing', async () => {
    const [first, second] = [lifecycle()[0], lifecycle()[0]];
    const indicator = { type: 'domain' as const, value: `intake-${Date.now()}.example` };
    const intakeOf = (p: Projection) => ({
      ...p,
      deconflict: { objectType: 'support_request' as const, objectId: p.snapshot.id, country: p.snapshot.country, indicators: [indicator] },
    });
    expect(await intake(intakeOf(first))).toMatchObject({ hit: false });
    const seen = await intake(intakeOf(second));
    expect(seen).toMatchObject({ hit: true, hits: [{ objectId: first.snapshot.id, country: first.snapshot.country }] });
    // A retried activity: the same answer, the same single audit row, the same read model.
    expect(await intake(intakeOf(second))).toMatchObject({ hit: true, hits: [{ objectId: first.snapshot.id }] });
    const row = await stack.prisma.supportRequest.findUniqueOrThrow({ where: { id: second.snapshot.id } });
    expect(row.deconfliction).toMatchObject({ hit: true, hits: [{ objectId: first.snapshot.id }] });
    expect((row.snapshot as unknown as SupportRequestSnapshot).deconfliction).toMatchObject({ hit: true });
    const audit = await auditOf(second.snapshot.id);
    expect(audit.map((a) => [a.dedupeKey, a.data])).toEqual([[second.key, { deconflictionHit: true }]]);
  });
});
