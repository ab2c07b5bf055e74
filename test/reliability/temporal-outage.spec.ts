import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, TemporalDevServer } from '../../apps/launcher/temporal-dev-server';
import { COORDINATOR_EURASIA, MEMBER_PH, Stack, startStack } from '../support/harness';
import { startSmtpSink, SmtpSink } from '../support/smtp-sink';

// Fault suite 2: the Temporal dev server (persisting to a file, as the launcher's does) is
// SIGKILLed mid-surge. Meanwhile the API answers 503 with Retry-After (never 500); after the
// restart, runs and timers resume and the read model agrees with the workflows.
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const inSeconds = (s: number) => new Date(Date.now() + s * 1000).toISOString();
const ASEAN = ['BN', 'ID', 'KH', 'LA', 'MM', 'MY', 'PH', 'SG', 'TH', 'VN'];

describe('fault: Temporal dev server SIGKILL mid-surge', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cyberops-temporal-outage-'));
  let server: TemporalDevServer;
  let stack: Stack;
  let smtp: SmtpSink;

  beforeAll(async () => {
    server = new TemporalDevServer({ port: await freePort(), namespace: 'default', dbFile: path.join(dir, 'temporal.db'), logFile: path.join(dir, 'temporal.log') });
    await server.start();
    smtp = await startSmtpSink();
    stack = await startStack({ env: { TEMPORAL_ADDRESS: server.address, SMTP_URL: smtp.url } });
  });

  afterAll(async () => {
    await stack?.stop();
    await server?.stop();
    await smtp?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 while Temporal is down, then the surge resumes: readiness kept, deadline timer fires, read model reconciled', async () => {
    const coordinator = await stack.token(COORDINATOR_EURASIA);
    const tokens = new Map(await Promise.all(ASEAN.map(async (iso) => [iso, await stack.token({ sub: `nrp@${iso.toLowerCase()}`, role: 'member', country: iso })] as const)));
    const created = await stack.http('POST', '/api/v1/operations', {
      token: coordinator,
      body: { name: 'Outage surge', objective: 'survive a Temporal crash', categories: ['botnet'], groups: ['ASEAN'], readinessDeadline: inSeconds(40), actionStart: inSeconds(40), actionEnd: inSeconds(300), debriefDeadline: inSeconds(400), exercise: true },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await stack.http('POST', `/api/v1/operations/${id}/launch`, { token: coordinator })).status).toBe(200);

    const readiness = (iso: string) =>
      stack.http('POST', `/api/v1/operations/${id}/countries/${iso}/readiness`, { token: tokens.get(iso), body: { ready: true, pointOfContact: `Duty officer ${iso}`, teamSize: 3 } });
    // The first half confirm before the crash (children start asynchronously after launch).
    const confirmed = new Set<string>();
    for (const iso of ASEAN.slice(0, 5)) {
      for (let attempt = 0; attempt < 50 && !confirmed.has(iso); attempt += 1) {
        if ((await readiness(iso)).status === 200) confirmed.add(iso);
        else await sleep(200);
      }
    }
    expect(confirmed.size).toBe(5);

    // Mid-surge: the other half are confirming when the server dies.
    const inFlight = ASEAN.slice(5).map(async (iso) => ({ iso, response: await readiness(iso) }));
    await sleep(50);
    server.kill();
    const answers = await Promise.all(inFlight);
    for (const { iso, response } of answers) {
      expect({ iso, status: [200, 503].includes(response.status) }).toEqual({ iso, status: true });
      if (response.status === 200) confirmed.add(iso);
      else expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
    }

    // While it is down: submissions and workflow calls are 503 with Retry-After; reads come from the read model.
    const member = await stack.token(MEMBER_PH);
    const submit = await stack.http('POST', '/api/v1/support-requests', {
      token: member,
      body: { category: 'botnet', mode: 'remote', priority: 'P3', title: 'during the outage', description: 'Temporal is down', indicators: [{ type: 'ipv4', value: '192.0.2.44' }] },
    });
    expect(submit.status).toBe(503);
    expect(submit.headers.get('retry-after')).toBe('5');
    expect(submit.body).toMatchObject({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('Temporal') });
    const steer = await stack.http('POST', `/api/v1/operations/${id}/extend`, { token: coordinator, body: { debriefDeadline: inSeconds(500) } });
    expect(steer.status).toBe(503);
    expect(steer.headers.get('retry-after')).toBe('5');
    const read = await stack.http('GET', `/api/v1/operations/${id}`, { token: coordinator });
    expect(read.status).toBe(200);
    expect(read.body.live).toBe(false);
    expect((await stack.http('GET', '/health/ready')).status).toBe(503);

    // Back on the same file: everything the crash interrupted is still there and runs on.
    await server.start();
    for (const iso of ASEAN.slice(5)) {
      for (let attempt = 0; attempt < 100 && !confirmed.has(iso); attempt += 1) {
        const response = await readiness(iso);
        if (response.status === 200) confirmed.add(iso);
        else {
          expect({ iso, status: [503, 409].includes(response.status) || response.status === 200 }).toEqual({ iso, status: true });
          // 409: it was confirmed before the crash after all (the answer was lost with the connection).
          if (response.status === 409) confirmed.add(iso);
          else await sleep(500);
        }
      }
    }
    expect([...confirmed].sort()).toEqual([...ASEAN].sort());

    const waitFor = async (pred: (s: any) => boolean, ms: number) => {
      const end = Date.now() + ms;
      let last: any;
      while (Date.now() < end) {
        last = (await stack.http('GET', `/api/v1/operations/${id}?consistency=live`, { token: coordinator })).body;
        if (last?.live && pred(last)) return last;
        await sleep(500);
      }
      throw new Error(`not reached: ${JSON.stringify({ phase: last?.phase, totals: last?.totals, live: last?.live })}`);
    };
    // The readiness deadline timer, armed before the crash, fires after it: the phase moves on by itself.
    const live = await waitFor((s) => s.phase === 'action' && s.totals.ready === ASEAN.length, 90_000);
    expect(live.totals).toMatchObject({ invited: ASEAN.length, ready: ASEAN.length });

    // The read model reconciles with the workflows.
    const end = Date.now() + 30_000;
    let rows = await stack.prisma.operationCountry.findMany({ where: { operationId: id } });
    let op = await stack.prisma.operation.findUnique({ where: { id } });
    while (Date.now() < end && !(op?.phase === 'action' && rows.length === ASEAN.length && rows.every((r) => r.ready))) {
      await sleep(500);
      rows = await stack.prisma.operationCountry.findMany({ where: { operationId: id } });
      op = await stack.prisma.operation.findUnique({ where: { id } });
    }
    expect(op?.phase).toBe('action');
    expect(rows.map((r) => [r.iso, r.ready]).sort()).toEqual(ASEAN.map((iso) => [iso, true]).sort());
    expect((op?.totals as { ready: number }).ready).toBe(ASEAN.length);
    // Every country got exactly one invitation, crash or not.
    const invitations = smtp.messages.filter((m) => m.data.includes(`${id}/country/`) && /Invitation/.test(m.data));
    expect(invitations).toHaveLength(ASEAN.length);
    await stack.http('POST', `/api/v1/operations/${id}/abort`, { token: coordinator, body: { reason: 'end of test' } });
  }, 240_000);
});
