import { randomUUID } from 'node:crypto';
import { createAlertActivities } from '../../activities/alerts/alert.activities';
import type { ActivityDeps } from '../../activities';
import { COORDINATOR_AMERICAS, Stack, startStack, SUPERVISOR } from '../support/harness';
import { SseClient, SseEvent } from '../support/sse-client';

// Fault-suite item 6: a stream client that disconnects, misses three alerts and reconnects with
// Last-Event-ID gets the three replayed, in order, then the live ones, each once.
describe('SSE replay after a disconnect', () => {
  let stack: Stack;
  let alerts: ReturnType<typeof createAlertActivities>;
  const run = randomUUID().slice(0, 8);
  const streams: SseClient[] = [];

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    // The real activity that workflows call: row and announcement in one transaction.
    const notifier: ActivityDeps['notifier'] = { deliver: () => Promise.reject(new Error('raising pages no one')) };
    alerts = createAlertActivities({ prisma: stack.prisma, notifier });
  });
  afterEach(() => streams.splice(0).forEach((s) => s.close()));
  afterAll(async () => {
    await stack?.stop();
  });

  const raise = async (n: number, region: 'EURASIA' | 'AMERICAS') => {
    const objectId = `SR-REPLAY-${run}-${n}`;
    const { alertId } = await alerts.raiseAlert({
      key: `replay/${run}/${n}`,
      kind: 'sla_breach',
      objectType: 'support_request',
      objectId,
      clock: 'triage',
      country: region === 'EURASIA' ? 'PH' : 'BR',
      region,
      workflowId: `support-request/${objectId}`,
      summary: `replay test ${n}`,
    });
    return alertId;
  };

  const open = async (token: string, lastEventId?: string) => {
    const stream = await SseClient.open(`${stack.baseUrl}/api/v1/alerts/stream`, {
      authorization: `Bearer ${token}`,
      ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
    });
    streams.push(stream);
    expect(stream.status).toBe(200);
    await stream.waitFor((e) => e.comments.includes('connected'));
    return stream;
  };
  const alertIdOf = (e: SseEvent) => (e.data ? (JSON.parse(e.data) as { id: string }).id : undefined);
  const ours = (s: SseClient) => s.events.filter((e) => e.data?.includes(`SR-REPLAY-${run}-`));

  it('replays the three alerts missed while disconnected, in order, then goes on live without duplicates', async () => {
    const supervisor = await stack.token(SUPERVISOR);
    const first = await open(supervisor);
    const seen = await raise(0, 'EURASIA');
    const last = await first.waitFor((e) => alertIdOf(e) === seen);
    first.close();

    const missed = [await raise(1, 'EURASIA'), await raise(2, 'AMERICAS'), await raise(3, 'EURASIA')];

    const again = await open(supervisor, last.id);
    for (const id of missed) await again.waitFor((e) => alertIdOf(e) === id);
    const replayed = ours(again);
    expect(replayed.map(alertIdOf)).toEqual(missed);
    expect(replayed.every((e) => e.event === 'raised')).toBe(true);
    const ids = replayed.map((e) => BigInt(e.id!));
    expect([...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(ids);
    expect(ids[0]).toBeGreaterThan(BigInt(last.id!));

    // Live events still flow after the replay, and nothing is sent twice.
    const live = await raise(4, 'AMERICAS');
    await again.waitFor((e) => alertIdOf(e) === live);
    expect(ours(again).map(alertIdOf)).toEqual([...missed, live]);

    // A client without Last-Event-ID gets no replay.
    const fresh = await open(supervisor);
    await new Promise((r) => setTimeout(r, 300));
    expect(ours(fresh)).toHaveLength(0);
  });

  it('replays only what the stream would have shown: a regional coordinator gets its region', async () => {
    const coordinator = await stack.token(COORDINATOR_AMERICAS);
    const first = await open(coordinator);
    const seen = await raise(10, 'AMERICAS');
    const last = await first.waitFor((e) => alertIdOf(e) === seen);
    first.close();

    const eurasia = await raise(11, 'EURASIA');
    const americas = [await raise(12, 'AMERICAS'), await raise(13, 'AMERICAS')];

    const again = await open(coordinator, last.id);
    for (const id of americas) await again.waitFor((e) => alertIdOf(e) === id);
    expect(ours(again).map(alertIdOf)).toEqual(americas);
    expect(again.events.some((e) => alertIdOf(e) === eurasia)).toBe(false);
  });

  it('ignores a Last-Event-ID that is not a sequence number', async () => {
    const stream = await open(await stack.token(SUPERVISOR), 'AL-123:raised:0');
    const live = await raise(20, 'EURASIA');
    await stream.waitFor((e) => alertIdOf(e) === live);
    expect(ours(stream).map(alertIdOf)).toEqual([live]);
  });
});
