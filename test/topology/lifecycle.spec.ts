import { startSmtpSink, SmtpSink } from '../support/smtp-sink';
import { Fleet } from './support/fleet';
import { loadInfra } from './support/infra';
import { sleep, waitUntil } from './support/processes';
import {
  confirmReadiness,
  COORDINATOR,
  COUNTRIES,
  createGlobalOperation,
  MEMBER_PH,
  submission,
  SUPERVISOR,
  waitOperation,
  withPolicy,
} from './support/scenario';
import { openSse, SseStream } from './support/sse';

/** Requests go to API 0, 1, 0, 1...: nothing may depend on which replica answers. */
let turn = 0;
const next = () => turn++;

describe('production topology: two API and two worker processes on the Temporal server (PostgreSQL)', () => {
  let fleet: Fleet;
  let smtp: SmtpSink;
  let restorePolicy: () => Promise<void>;
  const streams: SseStream[] = [];

  beforeAll(async () => {
    smtp = await startSmtpSink();
    fleet = await Fleet.start(loadInfra(), { apis: 2, workers: 2, env: { SMTP_URL: smtp.url }, buildId: 'lifecycle-1' });
    // Seconds instead of hours, so the warning, the breach and the ladder happen during the test.
    restorePolicy = await withPolicy(fleet, 'P1', {
      triage: '4s', firstResponse: '1h', resolution: '1d', acknowledge: '1h', warnAt: 0.5, escalationStep: '1s', escalationLoops: 1, ackExpiry: '1h',
    });
  });

  afterAll(async () => {
    await Promise.all(streams.map((s) => s.close()));
    await restorePolicy?.();
    await fleet?.stop();
    await smtp?.close();
  });

  it('runs a support request through every state via both APIs, and each alert reaches both SSE streams exactly once', async () => {
    const supervisor = await fleet.token(SUPERVISOR);
    for (const api of fleet.apis) streams.push(await openSse(`${api.url}/api/v1/alerts/stream`, supervisor));
    expect(streams.map((s) => s.status)).toEqual([200, 200]);
    const [member, coordinator] = await Promise.all([fleet.token(MEMBER_PH), fleet.token(COORDINATOR)]);

    const submitted = await fleet.http(next(), 'POST', '/api/v1/support-requests', { token: member, body: submission('Topology lifecycle') });
    expect(submitted.status).toBe(201);
    const id = submitted.body.id as string;

    // The triage clock breaches and climbs the ladder up to the supervisor before anyone triages.
    const forRequest = (s: SseStream) => s.events.filter((e) => e.data.objectId === id);
    await waitUntil('breach escalated to the supervisor on both streams', async () =>
      streams.every((s) => forRequest(s).some((e) => e.data.kind === 'sla_breach' && e.data.levelName === 'supervisor')) ? true : undefined, 60_000);

    const step = async (change: string, token: string, body: object, status: string) => {
      const res = await fleet.http(next(), 'POST', `/api/v1/support-requests/${id}/${change}`, { token, body });
      expect({ change, code: res.status, status: res.body.status }).toEqual({ change, code: 200, status });
    };
    await step('triage', coordinator, { decision: 'accept' }, 'triaged');
    await step('assign', coordinator, { assignee: 'officer.manila@cyberops.test' }, 'in_progress');
    await step('actions', coordinator, { kind: 'tele_meeting', note: 'Call with the PH unit' }, 'in_progress');
    await step('request-info', coordinator, { question: 'Which ASN announces the C2 range?' }, 'awaiting_requester');
    await step('provide-info', member, { answer: 'AS64500' }, 'in_progress');
    await step('resolve', coordinator, { summary: 'Provider identified, takedown coordinated.' }, 'resolved');
    await step('close', member, {}, 'closed');

    // Both APIs read the same state and history.
    for (const api of [0, 1]) {
      const detail = await fleet.http(api, 'GET', `/api/v1/support-requests/${id}`, { token: member });
      expect(detail.body).toMatchObject({ id, status: 'closed', assignee: 'officer.manila@cyberops.test' });
      expect(detail.body.sla.triage.state).toBe('breached');
    }
    const history = await fleet.http(next(), 'GET', `/api/v1/support-requests/${id}/history`, { token: coordinator });
    expect(history.body.items.map((e: { action: string }) => e.action)).toEqual([
      'support_request.submit',
      'support_request.triage.accept',
      'support_request.assign',
      'support_request.action.add',
      'support_request.info.request',
      'support_request.info.provide',
      'support_request.resolve',
      'support_request.close',
    ]);

    // Triage resolved the breach: wait for that last change, then compare what each stream got.
    await waitUntil('breach resolved on both streams', async () =>
      streams.every((s) => forRequest(s).some((e) => e.type === 'resolved' && e.data.kind === 'sla_breach')) ? true : undefined, 20_000);
    await sleep(1_000);
    const seen = streams.map((s) => forRequest(s).map((e) => `${e.type}:${e.data.id}:${e.data.level}`));
    for (const events of seen) {
      expect(events.length).toBeGreaterThanOrEqual(4); // warning raised, breach raised, escalated, resolved
      expect(new Set(events).size).toBe(events.length);
    }
    expect([...seen[1]].sort()).toEqual([...seen[0]].sort());
    expect(seen[0]).toEqual(expect.arrayContaining([expect.stringMatching(/^raised:/), expect.stringMatching(/^escalated:/), expect.stringMatching(/^resolved:/)]));

    // Status changes and pages were each delivered once, whichever worker ran the activity.
    await waitUntil('the notifications', async () => (keysFor(smtp, id).length >= 6 ? true : undefined), 30_000);
    const keys = keysFor(smtp, id);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('runs an operation with every member country, steered and answered through both APIs', async () => {
    const id = await createGlobalOperation(fleet, next(), 'Topology surge', { readinessIn: 120, actionIn: 120, actionEndIn: 180, debriefIn: 240 });
    const coordinator = await fleet.token(COORDINATOR);
    const launched = await fleet.http(next(), 'POST', `/api/v1/operations/${id}/launch`, { token: coordinator });
    expect(launched.status).toBe(200);
    expect((await fleet.http(next(), 'POST', `/api/v1/operations/${id}/launch`, { token: coordinator })).status).toBe(409);

    await confirmReadiness(fleet, id);
    const [fromFirst, fromSecond] = await Promise.all([0, 1].map((api) => waitOperation(fleet, api, id, (o) => o.totals.ready === COUNTRIES.length, 60_000)));
    expect(fromFirst.totals).toMatchObject({ invited: COUNTRIES.length, ready: COUNTRIES.length, notReady: 0 });
    expect(fromSecond.totals).toEqual(fromFirst.totals);

    const aborted = await fleet.http(next(), 'POST', `/api/v1/operations/${id}/abort`, { token: coordinator, body: { reason: 'end of the topology test' } });
    expect(aborted.status).toBe(200);
    const done = await waitOperation(fleet, next(), id, (o) => o.phase === 'aborted' && o.countries.every((c: { status: string }) => c.status === 'aborted'), 60_000);
    expect(done.countries).toHaveLength(COUNTRIES.length);

    // Every country's primary contact was invited once, although two workers shared the fan-out.
    const invitations = smtp.messages.filter((m) => m.data.includes(`${id}/country/`) && /Invitation/.test(m.data));
    expect(new Set(invitations.map((m) => m.envelope.rcptTo[0])).size).toBe(COUNTRIES.length);
    expect(invitations).toHaveLength(COUNTRIES.length);
  });

  it('serves Prometheus metrics on each API (HTTP latency by route, SSE subscribers) and each worker (Temporal SDK)', async () => {
    const texts: string[] = [];
    for (const [i, api] of fleet.apis.entries()) {
      const res = await fetch(`${api.url}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      texts.push(text);
      // Route templates, not URLs: the label set stays bounded whatever the ids.
      expect(text).toMatch(/http_server_request_duration_seconds_bucket\{le="[\d.]+",method="(GET|POST)",route="\/api\/v1\/[^"]*:id[^"]*",status_code="200"\}/);
      expect(text).not.toMatch(/route="[^"]*(SR|OP)-[^"]*"/);
      // One open stream per API (this file's), counted by the process that holds it.
      expect(text).toMatch(/^cyberops_sse_subscribers 1$/m);
      expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
      expect({ api: i, inOpenApi: JSON.stringify((await fleet.http(i, 'GET', '/docs/openapi.json')).body.paths).includes('/metrics') }).toEqual({ api: i, inOpenApi: false });
    }
    // Requests alternated between the APIs: together they saw every kind.
    const all = texts.join('\n');
    expect(all).toMatch(/http_server_request_duration_seconds_count\{method="POST",route="\/api\/v1\/support-requests\/:id\/triage",status_code="200"\} 1/);
    expect(all).toMatch(/http_server_request_duration_seconds_count\{method="POST",route="\/api\/v1\/operations\/:id\/launch",status_code="409"\} 1/);
    for (const worker of fleet.workers) {
      const text = await (await fetch(worker.metricsUrl)).text();
      expect(text).toMatch(/temporal_workflow_task_schedule_to_start_latency/);
      expect(text).toMatch(/temporal_activity_execution_latency/);
      expect(text).toMatch(/temporal_worker_task_slots_available\{[^}]*worker_type="WorkflowWorker"/);
      expect(text).toMatch(/temporal_sticky_cache_(hit|size)/);
      expect(text).toContain(`task_queue="${fleet.taskQueue}"`);
    }
  });
});

function keysFor(smtp: SmtpSink, id: string): string[] {
  return smtp.messages
    .map((m) => /X-Idempotency-Key: (.*)/i.exec(m.data)?.[1]?.trim() ?? '')
    .filter((k) => k.includes(id));
}
