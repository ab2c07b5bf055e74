import { randomUUID } from 'node:crypto';
import type { Alert, Prisma } from '@prisma/client';
import { Client as TemporalClient, defaultPayloadConverter } from '@temporalio/client';
import { alertView, announceAlert } from '../../activities/alerts/alert-events';
import { AlertStreamService, HEARTBEAT_MS } from '../../apps/api/alerts/alert-stream.service';
import { TEMPORAL_CLIENT } from '../../apps/api/infra/temporal.module';
import {
  ANALYST,
  COORDINATOR_AMERICAS,
  COORDINATOR_EURASIA,
  MEMBER_PH,
  Stack,
  startStack,
  SUPERVISOR,
} from '../support/harness';
import { SseClient, SseEvent } from '../support/sse-client';

/** Whether an SSE event carries the alert with this id. */
const about = (e: SseEvent, alertId: string) => e.data !== undefined && (JSON.parse(e.data) as { id: string }).id === alertId;

describe('alerts API', () => {
  let stack: Stack;
  const run = randomUUID().slice(0, 8).toUpperCase();
  const objectType = `alert_test_${run}`;
  let seq = 0;
  const streams: SseClient[] = [];
  const tokens: Record<string, string> = {};

  beforeAll(async () => {
    stack = await startStack({ worker: false });
    for (const [name, p] of Object.entries({
      SUPERVISOR,
      COORDINATOR_EURASIA,
      COORDINATOR_AMERICAS,
      MEMBER_PH,
      ANALYST,
    }))
      tokens[name] = await stack.token(p);
  });

  afterEach(() => {
    streams.splice(0).forEach((s) => s.close());
  });

  afterAll(async () => {
    if (!stack) return;
    // A stream still open at shutdown is ended by the API instead of holding the server open.
    const lingering = await SseClient.open(`${stack.baseUrl}/api/v1/alerts/stream`, {
      authorization: `Bearer ${tokens.SUPERVISOR}`,
    });
    await lingering.waitFor((e) => e.comments.includes('connected'));
    await stack.stop();
    const deadline = Date.now() + 5_000;
    while (!lingering.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    lingering.close();
    expect(lingering.closed).toBe(true);
  });

  function alertData(
    overrides: Partial<Prisma.AlertUncheckedCreateInput> = {},
  ): Prisma.AlertUncheckedCreateInput {
    seq += 1;
    const objectId = `SR-${run}-${seq}`;
    return {
      // Shaped like real ids (AL- and 16 hex digits), ordered by seq within a run.
      id: `AL-${run}${seq.toString(16).toUpperCase().padStart(8, '0')}`,
      dedupeKey: `test/${run}/${seq}`,
      kind: 'sla_breach',
      objectType,
      objectId,
      clock: 'triage',
      country: 'PH',
      region: 'EURASIA',
      levelName: 'raised',
      workflowId: `support-request/${objectId}`,
      // Distinct, increasing instants so "newest first" is well defined.
      raisedAt: new Date(Date.UTC(2030, 0, 1, 0, 0, seq)),
      ...overrides,
    };
  }

  const insert = (overrides: Partial<Prisma.AlertUncheckedCreateInput> = {}) =>
    stack.prisma.alert.create({ data: alertData(overrides) });

  /** What the activities do: write the row and pg_notify in one transaction. */
  const raiseAndAnnounce = (overrides: Partial<Prisma.AlertUncheckedCreateInput> = {}): Promise<Alert> =>
    stack.prisma.$transaction(async (tx) => {
      const row = await tx.alert.create({ data: alertData(overrides) });
      await announceAlert(tx, row, 'raised');
      return row;
    });

  async function openStream(token: string, viaQuery = false): Promise<SseClient> {
    const url = `${stack.baseUrl}/api/v1/alerts/stream${viaQuery ? `?access_token=${encodeURIComponent(token)}` : ''}`;
    const client = await SseClient.open(url, viaQuery ? {} : { authorization: `Bearer ${token}` });
    streams.push(client);
    if (client.status === 200) await client.waitFor((e) => e.comments.includes('connected'));
    return client;
  }

  describe('listing', () => {
    let eurasia: Alert, americas: Alert, global: Alert, resolved: Alert, acked: Alert;

    beforeAll(async () => {
      eurasia = await insert({ region: 'EURASIA', country: 'PH' });
      americas = await insert({ region: 'AMERICAS', country: 'BR', kind: 'sla_warning' });
      global = await insert({ region: null, country: null, kind: 'deadline_missed' });
      resolved = await insert({ region: 'EURASIA', resolvedAt: new Date() });
      acked = await insert({
        region: 'AMERICAS',
        country: 'BR',
        acknowledgedAt: new Date(),
        acknowledgedBy: 'someone',
      });
    });

    it('gives a supervisor every open alert, newest first, as AlertView JSON', async () => {
      const res = await stack.http('GET', `/api/v1/alerts?objectType=${objectType}`, {
        token: tokens.SUPERVISOR,
      });
      expect(res.status).toBe(200);
      expect(res.body.items.map((a: { id: string }) => a.id)).toEqual([
        acked.id,
        global.id,
        americas.id,
        eurasia.id,
      ]);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items[3]).toEqual(JSON.parse(JSON.stringify(alertView(eurasia))));
    });

    it('filters by state, kind and object', async () => {
      const ids = async (qs: string) => {
        const res = await stack.http('GET', `/api/v1/alerts?objectType=${objectType}&${qs}`, {
          token: tokens.SUPERVISOR,
        });
        expect(res.status).toBe(200);
        return res.body.items.map((a: { id: string }) => a.id);
      };
      expect(await ids('state=all')).toEqual([acked.id, resolved.id, global.id, americas.id, eurasia.id]);
      expect(await ids('state=resolved')).toEqual([resolved.id]);
      expect(await ids('state=acknowledged')).toEqual([acked.id]);
      expect(await ids('kind=sla_warning')).toEqual([americas.id]);
      expect(await ids(`objectId=${global.objectId}`)).toEqual([global.id]);
    });

    it('pages with an opaque cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const qs: string = `objectType=${objectType}&state=all&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
        const res = await stack.http('GET', `/api/v1/alerts?${qs}`, { token: tokens.SUPERVISOR });
        expect(res.status).toBe(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items.map((a: { id: string }) => a.id));
        cursor = res.body.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(pages).toBe(3);
      expect(seen).toEqual([acked.id, resolved.id, global.id, americas.id, eurasia.id]);
    });

    it('rejects bad filters with the field named', async () => {
      const bad = async (qs: string, field: string, status = 400) => {
        const res = await stack.http('GET', `/api/v1/alerts?${qs}`, { token: tokens.SUPERVISOR });
        expect(res.status).toBe(status);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      };
      await bad('limit=0', 'limit');
      await bad('limit=201', 'limit');
      await bad('state=closed', 'state');
      await bad('kind=nope', 'kind');
      await bad('cursor=not%20a%20cursor', 'cursor');
      // Well-formed, but not a cursor this API handed out.
      await bad('cursor=not-a-cursor', 'cursor', 422);
      await bad('colour=red', 'colour');
    });

    it('shows a EURASIA coordinator only EURASIA alerts and hides others as 404', async () => {
      const res = await stack.http('GET', `/api/v1/alerts?objectType=${objectType}&state=all`, {
        token: tokens.COORDINATOR_EURASIA,
      });
      expect(res.status).toBe(200);
      expect(res.body.items.map((a: { id: string }) => a.id)).toEqual([resolved.id, eurasia.id]);

      expect(
        (await stack.http('GET', `/api/v1/alerts/${eurasia.id}`, { token: tokens.COORDINATOR_EURASIA }))
          .status,
      ).toBe(200);
      expect(
        (await stack.http('GET', `/api/v1/alerts/${americas.id}`, { token: tokens.COORDINATOR_EURASIA }))
          .status,
      ).toBe(404);
      const ack = await stack.http('POST', `/api/v1/alerts/${americas.id}/ack`, {
        token: tokens.COORDINATOR_EURASIA,
      });
      expect(ack.status).toBe(404);
      expect(ack.body.message).toMatch(/no alert/);
      expect(
        (await stack.prisma.alert.findUniqueOrThrow({ where: { id: americas.id } })).acknowledgedAt,
      ).toBeNull();
      expect(
        (await stack.http('POST', `/api/v1/alerts/AL-${run}FFFFFFFF/ack`, { token: tokens.COORDINATOR_EURASIA }))
          .status,
      ).toBe(404);
    });

    it('treats a coordinator without a region claim as global', async () => {
      const token = await stack.token({ sub: 'dco.global@cyberops.test', role: 'coordinator' });
      const res = await stack.http('GET', `/api/v1/alerts?objectType=${objectType}`, { token });
      expect(res.status).toBe(200);
      expect(res.body.items).toHaveLength(4);
    });

    it('answers 403 to other roles and 401 without a token', async () => {
      for (const token of [tokens.MEMBER_PH, tokens.ANALYST]) {
        expect((await stack.http('GET', '/api/v1/alerts', { token })).status).toBe(403);
        expect((await stack.http('POST', `/api/v1/alerts/${eurasia.id}/ack`, { token })).status).toBe(403);
      }
      expect((await stack.http('GET', '/api/v1/alerts')).status).toBe(401);
      // The query-string token is accepted on the stream route only.
      expect((await stack.http('GET', `/api/v1/alerts?access_token=${tokens.SUPERVISOR}`)).status).toBe(401);
    });
  });

  describe('acknowledging', () => {
    it('sets acknowledgedAt, writes one audit row and answers the same alert when repeated', async () => {
      const alert = await insert({ region: 'AMERICAS', country: 'BR' });
      const first = await stack.http('POST', `/api/v1/alerts/${alert.id}/ack`, { token: tokens.SUPERVISOR });
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ id: alert.id, acknowledgedBy: SUPERVISOR.sub, resolvedAt: null });
      expect(Date.parse(first.body.acknowledgedAt)).toBeGreaterThan(Date.now() - 60_000);

      const row = await stack.prisma.alert.findUniqueOrThrow({ where: { id: alert.id } });
      expect(row.acknowledgedAt?.toISOString()).toBe(first.body.acknowledgedAt);
      expect(row.acknowledgedBy).toBe(SUPERVISOR.sub);

      const again = await stack.http('POST', `/api/v1/alerts/${alert.id}/ack`, {
        token: tokens.COORDINATOR_AMERICAS,
      });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);

      const audit = await stack.prisma.auditEvent.findMany({
        where: { objectType: 'alert', objectId: alert.id },
      });
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({
        action: 'alert.acknowledge',
        actorSub: SUPERVISOR.sub,
        actorRole: 'supervisor',
        afterState: 'acknowledged',
      });
      expect(audit[0].data).toMatchObject({
        objectType,
        objectId: alert.objectId,
        workflowId: alert.workflowId,
      });
    });

    it('lets a regional coordinator acknowledge an alert of its region', async () => {
      const alert = await insert({ region: 'EURASIA' });
      const res = await stack.http('POST', `/api/v1/alerts/${alert.id}/ack`, {
        token: tokens.COORDINATOR_EURASIA,
      });
      expect(res.status).toBe(200);
      expect(res.body.acknowledgedBy).toBe(COORDINATOR_EURASIA.sub);
    });

    it('answers 409 with a reason for a resolved alert and changes nothing', async () => {
      const alert = await insert({ region: 'EURASIA', resolvedAt: new Date() });
      const res = await stack.http('POST', `/api/v1/alerts/${alert.id}/ack`, { token: tokens.SUPERVISOR });
      expect(res.status).toBe(409);
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict' });
      expect(res.body.message).toMatch(/resolved/);
      expect(
        (await stack.prisma.alert.findUniqueOrThrow({ where: { id: alert.id } })).acknowledgedAt,
      ).toBeNull();
      expect(
        await stack.prisma.auditEvent.count({ where: { objectType: 'alert', objectId: alert.id } }),
      ).toBe(0);
    });

    it('signals the owning workflow with acknowledgeAlert', async () => {
      const temporal = stack.app.get<TemporalClient>(TEMPORAL_CLIENT);
      const workflowId = `alert-ack-probe/${run}`;
      // No worker polls this task queue: the workflow just records what it is sent.
      const handle = await temporal.workflow.start('alertAckProbe', {
        taskQueue: stack.config.TEMPORAL_TASK_QUEUE,
        workflowId,
        args: [],
      });
      try {
        const alert = await insert({ workflowId });
        const res = await stack.http('POST', `/api/v1/alerts/${alert.id}/ack`, { token: tokens.SUPERVISOR });
        expect(res.status).toBe(200);
        const history = await handle.fetchHistory();
        const signals = (history.events ?? []).filter((e) => e.workflowExecutionSignaledEventAttributes);
        expect(signals).toHaveLength(1);
        const attrs = signals[0].workflowExecutionSignaledEventAttributes!;
        expect(attrs.signalName).toBe('acknowledgeAlert');
        expect(defaultPayloadConverter.fromPayload(attrs.input!.payloads![0])).toEqual({
          alertId: alert.id,
          by: SUPERVISOR.sub,
        });
      } finally {
        await handle.terminate('test done').catch(() => undefined);
      }
    });
  });

  describe('stream', () => {
    it('sends a supervisor each announced change with the alert JSON', async () => {
      const stream = await openStream(tokens.SUPERVISOR);
      expect(stream.status).toBe(200);
      expect(stream.contentType).toMatch(/text\/event-stream/);

      const row = await raiseAndAnnounce({ region: 'AMERICAS', country: 'BR' });
      const raised = await stream.waitFor((e) => e.event === 'raised' && about(e, row.id));
      expect(raised.id).toMatch(/^\d+$/);
      expect(JSON.parse(raised.data!)).toEqual(JSON.parse(JSON.stringify(alertView(row))));

      // The ack endpoint announces too.
      expect(
        (await stack.http('POST', `/api/v1/alerts/${row.id}/ack`, { token: tokens.SUPERVISOR })).status,
      ).toBe(200);
      const acked = await stream.waitFor(
        (e) => e.event === 'acknowledged' && about(e, row.id),
      );
      // Event ids number the changes in order.
      expect(BigInt(acked.id!)).toBeGreaterThan(BigInt(raised.id!));
      expect(JSON.parse(acked.data!)).toMatchObject({ id: row.id, acknowledgedBy: SUPERVISOR.sub });
    });

    it("gives a EURASIA coordinator only its region's alerts", async () => {
      const coordinator = await openStream(tokens.COORDINATOR_EURASIA);
      const supervisor = await openStream(tokens.SUPERVISOR);
      const americas = await raiseAndAnnounce({ region: 'AMERICAS', country: 'BR' });
      const eurasia = await raiseAndAnnounce({ region: 'EURASIA', country: 'PH' });

      // Notifications arrive in commit order: once the EURASIA one is in, the AMERICAS one would have been too.
      await coordinator.waitFor((e) => about(e, eurasia.id));
      expect(coordinator.events.some((e) => about(e, americas.id))).toBe(false);
      await supervisor.waitFor((e) => about(e, americas.id));
      await supervisor.waitFor((e) => about(e, eurasia.id));
    });

    it('accepts the token as ?access_token= for EventSource clients', async () => {
      const stream = await openStream(tokens.COORDINATOR_EURASIA, true);
      expect(stream.status).toBe(200);
      const row = await raiseAndAnnounce({ region: 'EURASIA' });
      await stream.waitFor((e) => e.event === 'raised' && about(e, row.id));
    });

    it('answers 403 to other roles and 401 without or with a bad token', async () => {
      expect((await openStream(tokens.MEMBER_PH)).status).toBe(403);
      expect((await openStream(tokens.ANALYST, true)).status).toBe(403);
      const anonymous = await SseClient.open(`${stack.baseUrl}/api/v1/alerts/stream`);
      streams.push(anonymous);
      expect(anonymous.status).toBe(401);
      expect((await openStream('not-a-token', true)).status).toBe(401);
    });

    it('sends a heartbeat comment every 15 s', () => {
      const service = stack.app.get(AlertStreamService);
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      try {
        const seen: Array<{ comment?: string }> = [];
        const subscription = service.streamFor(SUPERVISOR).subscribe((m) => seen.push(m));
        expect(seen).toEqual([{ comment: 'connected' }]);
        jest.advanceTimersByTime(HEARTBEAT_MS - 1);
        expect(seen).toHaveLength(1);
        jest.advanceTimersByTime(1);
        expect(seen[1]).toEqual({ comment: 'heartbeat' });
        jest.advanceTimersByTime(HEARTBEAT_MS);
        expect(seen).toHaveLength(3);
        subscription.unsubscribe();
      } finally {
        jest.useRealTimers();
      }
    });

    it('ends a stream when its token expires, even a token valid for longer than a timer can wait', () => {
      const service = stack.app.get(AlertStreamService);
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      try {
        const day = 86_400_000;
        let completed = false;
        const subscription = service
          .streamFor({ ...SUPERVISOR, expiresAt: Date.now() + 30 * day })
          .subscribe({ complete: () => (completed = true) });
        jest.advanceTimersByTime(29 * day);
        expect(completed).toBe(false);
        jest.advanceTimersByTime(day);
        expect(completed).toBe(true);
        subscription.unsubscribe();
      } finally {
        jest.useRealTimers();
      }
    });

    it('keeps subscribers when the LISTEN connection drops and comes back', async () => {
      const service = stack.app.get(AlertStreamService);
      const stream = await openStream(tokens.SUPERVISOR);
      const pid = service.listenerPid;
      expect(pid).toBeDefined();
      await stack.prisma.$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;
      const deadline = Date.now() + 15_000;
      while (!(service.isListening && service.listenerPid !== pid) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(service.listenerPid).toBeDefined();
      expect(service.listenerPid).not.toBe(pid);

      const row = await raiseAndAnnounce({ region: 'MENA', country: 'EG' });
      await stream.waitFor((e) => e.event === 'raised' && about(e, row.id));
    });
  });
});
