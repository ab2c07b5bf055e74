import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import {
  getPartnerGrantQuery,
  grantCreatedUpdate,
  INVALID_GRANT_CHANGE,
  partnerFeedbackUpdate,
  PartnerGrantInput,
  partnerGrantWorkflowId,
  partnerResultsUpdate,
  revokeGrantUpdate,
} from '../../workflows/partner-grant/partner-grant.messages';
import { fakeActivities, timeSkippingEnv, expectUpdateRefused } from '../support/workflow-env';

// partner-grant/<id> on the time-skipping test server with recording fake activities: a 30-day
// grant reminds its granter a day before and ends at its end date with nobody acting.

const DAY = 86_400_000;
const coordinator = { sub: 'officer.manila@cyberops.test', role: 'coordinator' as const, region: 'EURASIA' };
const partner = { sub: 'analyst@acme-sec.example', role: 'partner' as const };

function grantInput(now: number, overrides: Partial<PartnerGrantInput> = {}): PartnerGrantInput {
  const id = `PG-${randomUUID().replace(/-/g, '').slice(0, 10).toUpperCase()}`;
  return {
    id,
    org: 'acme-sec',
    objectType: 'operation',
    objectId: 'OP-0123456789',
    objectLabel: 'Operation Test',
    tlpCeiling: 'TLP:AMBER',
    namedSubs: [],
    purpose: 'sinkhole data',
    endsAt: new Date(now + 30 * DAY).toISOString(),
    remindAt: new Date(now + 29 * DAY).toISOString(),
    grantedBy: coordinator,
    ...overrides,
  };
}

const refused = (attempt: Promise<unknown>, message: RegExp) => expectUpdateRefused(attempt, INVALID_GRANT_CHANGE, message);

describe('partnerGrantWorkflow (time-skipping test server)', () => {
  let env: TestWorkflowEnvironment;
  beforeAll(async () => {
    env = await timeSkippingEnv();
  }, 60_000);
  afterAll(async () => {
    await env?.teardown();
  });

  async function withWorker<T>(body: (fakes: ReturnType<typeof fakeActivities>, taskQueue: string) => Promise<T>): Promise<T> {
    const fakes = fakeActivities({}, env.client);
    const taskQueue = `grant-${randomUUID()}`;
    const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowsPath: require.resolve('../../workflows'), activities: fakes.activities });
    return worker.runUntil(() => body(fakes, taskQueue));
  }

  it('reminds the granter a day before the end date and ends access at it, with nobody acting', async () => {
    await withWorker(async (fakes, taskQueue) => {
      const t0 = (await env.currentTimeMs()) as number;
      const input = grantInput(t0);
      const handle = await env.client.workflow.start('partnerGrantWorkflow', { taskQueue, workflowId: partnerGrantWorkflowId(input.id), args: [input] });
      const created = await handle.executeUpdate(grantCreatedUpdate);
      expect(created).toMatchObject({ id: input.id, status: 'active', remindedAt: null, endedAt: null });
      // A partner's contribution while live is recorded and projected.
      const after = await handle.executeUpdate(partnerResultsUpdate, { args: [{ actor: partner, counts: { servers_seized: 2 }, indicators: [{ type: 'ipv4', value: '203.0.113.9' }] }] });
      expect(after.contributions).toEqual([expect.objectContaining({ kind: 'results', by: partner.sub, counts: { servers_seized: 2 }, indicators: 1 })]);

      expect(await handle.result()).toEqual({ status: 'expired' });
      const steps = fakes.calls.filter((c) => c.name === 'projectPartnerGrant').map((c) => c.args);
      expect(steps.map((s) => s.event.action)).toEqual(['grant', 'results', 'remind', 'expire']);
      expect(steps.map((s) => s.key)).toEqual([1, 2, 3, 4].map((n) => `${partnerGrantWorkflowId(input.id)}/${n}`));
      expect(steps[1].event.data.indicators).toEqual([{ type: 'ipv4', value: '203.0.113.9' }]);
      const remindedAt = Date.parse(steps[2].snapshot.remindedAt);
      expect(remindedAt).toBeGreaterThanOrEqual(Date.parse(input.remindAt));
      expect(remindedAt).toBeLessThan(Date.parse(input.remindAt) + 60_000);
      const expired = steps[3].snapshot;
      expect(expired.status).toBe('expired');
      expect(Date.parse(expired.endedAt)).toBeGreaterThanOrEqual(Date.parse(input.endsAt));
      expect(Date.parse(expired.endedAt)).toBeLessThan(Date.parse(input.endsAt) + 60_000);
    });
  });

  it('a revocation ends access at once: no reminder, no expiry', async () => {
    await withWorker(async (fakes, taskQueue) => {
      const t0 = (await env.currentTimeMs()) as number;
      const input = grantInput(t0, { objectType: 'intel', objectId: 'IN-0123456789', objectLabel: 'IN-0123456789', tlpCeiling: 'TLP:RED', namedSubs: [partner.sub] });
      const handle = await env.client.workflow.start('partnerGrantWorkflow', { taskQueue, workflowId: partnerGrantWorkflowId(input.id), args: [input] });
      await handle.executeUpdate(grantCreatedUpdate);
      await refused(handle.executeUpdate(partnerResultsUpdate, { args: [{ actor: partner, counts: { arrests: 1 }, indicators: [] }] }), /is for an intelligence item/);
      const fed = await handle.executeUpdate(partnerFeedbackUpdate, { args: [{ actor: partner, outcome: 'actioned', note: 'blocked at our edge' }] });
      expect(fed.contributions).toEqual([expect.objectContaining({ kind: 'feedback', outcome: 'actioned' })]);

      const revoked = await handle.executeUpdate(revokeGrantUpdate, { args: [{ actor: coordinator, reason: 'purpose fulfilled' }] });
      expect(revoked).toMatchObject({ status: 'revoked', revokedBy: coordinator.sub, revokeReason: 'purpose fulfilled' });
      // The projection of the revocation was written before the update answered.
      expect(fakes.calls.filter((c) => c.name === 'projectPartnerGrant').map((c) => c.args.event.action)).toEqual(['grant', 'feedback', 'revoke']);
      // The workflow ends at once (no timer left to wait on); a closed workflow's query still answers.
      expect(await handle.result()).toEqual({ status: 'revoked' });
      expect((await handle.query(getPartnerGrantQuery)).status).toBe('revoked');
      expect(fakes.calls.filter((c) => c.name === 'projectPartnerGrant').map((c) => c.args.event.action)).toEqual(['grant', 'feedback', 'revoke']);
    });
  });
});
