import { randomUUID } from 'node:crypto';
import type { Principal } from '../../apps/api/auth/principal';
import { createAlertActivities } from '../../activities/alerts/alert.activities';
import type { ActivityDeps } from '../../activities';
import {
  ADMIN,
  ANALYST,
  COORDINATOR_AMERICAS,
  COORDINATOR_EURASIA,
  MEMBER_BR,
  MEMBER_PH,
  Stack,
  startStack,
  SUPERVISOR,
} from '../support/harness';

// Fault-suite item 5, the BOLA matrix: every id-taking route × every role, from another country
// or region, answers 404 (or 403 for a role that may never act), and the denial is audited.
// The objects all belong to the Philippines (EURASIA); the callers do not.

type Expect = 403 | 404;
interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH';
  path: (ids: Ids) => string;
  body?: (ids: Ids) => unknown;
}
interface Ids {
  sr: string;
  op: string;
  alert: string;
}

const inHours = (h: number) => new Date(Date.now() + h * 3_600_000).toISOString();

const SUPPORT_REQUEST_ROUTES: Route[] = [
  { name: 'detail', method: 'GET', path: (i) => `/api/v1/support-requests/${i.sr}` },
  { name: 'history', method: 'GET', path: (i) => `/api/v1/support-requests/${i.sr}/history` },
  { name: 'triage', method: 'POST', path: (i) => `/api/v1/support-requests/${i.sr}/triage`, body: () => ({ decision: 'accept' }) },
  { name: 'assign', method: 'POST', path: (i) => `/api/v1/support-requests/${i.sr}/assign`, body: () => ({ assignee: 'officer.manila@cyberops.test' }) },
  { name: 'actions', method: 'POST', path: (i) => `/api/v1/support-requests/${i.sr}/actions`, body: () => ({ kind: 'advice', note: 'n' }) },
  { name: 'request-info', method: 'POST', path: (i) => `/api/v1/support-requests/${i.sr}/request-info`, body: () => ({ question: 'q' }) },
  { name: 'provide-info', method: 'POST', path: (i) => `/api/v1/support-requests/${i.sr}/provide-info`, body: () => ({ answer: 'a' }) },
  { name: 'resolve', method: 'POST', path: (i) => `/api/v1/support-requests/${i.sr}/resolve`, body: () => ({ summary: 's' }) },
  { name: 'close', method: 'POST', path: (i) => `/api/v1/support-requests/${i.sr}/close`, body: () => ({}) },
  { name: 'cancel', method: 'POST', path: (i) => `/api/v1/support-requests/${i.sr}/cancel`, body: () => ({ reason: 'r' }) },
  { name: 'reopen', method: 'POST', path: (i) => `/api/v1/support-requests/${i.sr}/reopen`, body: () => ({ reason: 'r' }) },
  { name: 'pause-clock', method: 'POST', path: (i) => `/api/v1/support-requests/${i.sr}/pause-clock`, body: () => ({ reason: 'legal_process' }) },
  { name: 'resume-clock', method: 'POST', path: (i) => `/api/v1/support-requests/${i.sr}/resume-clock`, body: () => ({}) },
];
const OPERATION_READS: Route[] = [
  { name: 'detail', method: 'GET', path: (i) => `/api/v1/operations/${i.op}` },
  { name: 'country', method: 'GET', path: (i) => `/api/v1/operations/${i.op}/countries/PH` },
];
const OPERATION_STEERING: Route[] = [
  { name: 'launch', method: 'POST', path: (i) => `/api/v1/operations/${i.op}/launch` },
  { name: 'countries', method: 'POST', path: (i) => `/api/v1/operations/${i.op}/countries`, body: () => ({ countries: ['TH'] }) },
  { name: 'withdraw', method: 'POST', path: (i) => `/api/v1/operations/${i.op}/withdraw`, body: () => ({ country: 'SG' }) },
  { name: 'extend', method: 'POST', path: (i) => `/api/v1/operations/${i.op}/extend`, body: () => ({ debriefDeadline: inHours(30) }) },
  { name: 'abort', method: 'POST', path: (i) => `/api/v1/operations/${i.op}/abort`, body: () => ({ reason: 'r' }) },
];
const OPERATION_PARTICIPATION: Route[] = [
  { name: 'readiness', method: 'POST', path: (i) => `/api/v1/operations/${i.op}/countries/PH/readiness`, body: () => ({ ready: true, pointOfContact: 'x', teamSize: 2 }) },
  { name: 'results', method: 'POST', path: (i) => `/api/v1/operations/${i.op}/countries/PH/results`, body: () => ({ counts: { arrests: 1 } }) },
  { name: 'final-report', method: 'POST', path: (i) => `/api/v1/operations/${i.op}/countries/PH/final-report`, body: () => ({ summary: 's' }) },
];
const ALERT_ROUTES: Route[] = [
  { name: 'detail', method: 'GET', path: (i) => `/api/v1/alerts/${i.alert}` },
  { name: 'ack', method: 'POST', path: (i) => `/api/v1/alerts/${i.alert}/ack` },
];

/** Directory objects only an admin changes (any other role: 403, audited). */
const ADMIN_ROUTES: Route[] = [
  { name: 'staff officer', method: 'GET', path: () => '/api/v1/staff/OF-EURASIA-MANILA' },
  { name: 'staff update', method: 'PATCH', path: () => '/api/v1/staff/OF-EURASIA-MANILA', body: () => ({ name: 'Taken over' }) },
  { name: 'staff deactivate', method: 'POST', path: () => '/api/v1/staff/OF-EURASIA-MANILA/deactivate' },
  { name: 'contact signing secret', method: 'POST', path: () => '/api/v1/contacts/PH-primary/signing-secret' },
  {
    name: 'SLA policy',
    method: 'PUT',
    path: () => '/api/v1/sla-policies/P2',
    body: () => ({ triage: '1m', firstResponse: '1m', resolution: '1m', acknowledge: '1m' }),
  },
];

const OTHER_EURASIA_COORDINATOR: Principal = { sub: 'dco2.eurasia@cyberops.test', role: 'coordinator', region: 'EURASIA' };
const MEMBER_SG: Principal = { sub: 'officer@nrp.sg', role: 'member', country: 'SG' };
/** The operation is granted to acme-sec (beforeAll); this partner belongs to another organisation. */
const PARTNER_OTHER_ORG: Principal = { sub: 'researcher@uni-lab.example', role: 'partner', org: 'uni-lab' };

/**
 * Who is refused what, and how. A role with global read scope (analyst, admin) reads support
 * requests, so only its refused routes are listed; a supervisor may do all of these.
 */
const MATRIX: Array<{ caller: Principal; label: string; cells: Array<[Route[], Expect]> }> = [
  {
    caller: MEMBER_BR,
    label: 'member of another country (BR)',
    cells: [
      [SUPPORT_REQUEST_ROUTES, 404],
      [OPERATION_READS, 404],
      [OPERATION_STEERING, 403],
      [OPERATION_PARTICIPATION, 404],
      [ALERT_ROUTES, 403],
      [ADMIN_ROUTES, 403],
    ],
  },
  {
    caller: MEMBER_SG,
    label: 'member of another participating country (SG) acting for PH',
    cells: [
      [SUPPORT_REQUEST_ROUTES, 404],
      [OPERATION_READS.filter((r) => r.name === 'country'), 404],
      [OPERATION_STEERING, 403],
      [OPERATION_PARTICIPATION, 404],
      [ALERT_ROUTES, 403],
    ],
  },
  {
    caller: COORDINATOR_AMERICAS,
    label: 'coordinator of another region (AMERICAS)',
    cells: [
      [SUPPORT_REQUEST_ROUTES, 404],
      [OPERATION_READS, 404],
      [OPERATION_STEERING, 404],
      [OPERATION_PARTICIPATION, 404],
      [ALERT_ROUTES, 404],
      [ADMIN_ROUTES.filter((r) => r.method !== 'GET'), 403],
    ],
  },
  {
    caller: OTHER_EURASIA_COORDINATOR,
    label: 'coordinator of the region who does not lead the operation',
    cells: [
      [OPERATION_STEERING, 403],
      [OPERATION_PARTICIPATION, 403],
    ],
  },
  {
    caller: ANALYST,
    label: 'analyst',
    cells: [
      [SUPPORT_REQUEST_ROUTES.filter((r) => r.method === 'POST'), 403],
      [[...OPERATION_READS, ...OPERATION_STEERING, ...OPERATION_PARTICIPATION], 403],
      [ALERT_ROUTES, 403],
      [ADMIN_ROUTES, 403],
    ],
  },
  {
    caller: ADMIN,
    label: 'admin',
    cells: [
      [SUPPORT_REQUEST_ROUTES.filter((r) => r.method === 'POST'), 403],
      [[...OPERATION_READS, ...OPERATION_STEERING, ...OPERATION_PARTICIPATION], 403],
      [ALERT_ROUTES, 403],
    ],
  },
  {
    caller: PARTNER_OTHER_ORG,
    label: 'partner of another organisation than the one granted',
    cells: [
      [SUPPORT_REQUEST_ROUTES, 403],
      [OPERATION_READS.filter((r) => r.name === 'detail'), 404],
      [OPERATION_READS.filter((r) => r.name === 'country'), 403],
      [OPERATION_STEERING, 403],
      [OPERATION_PARTICIPATION, 403],
      [ALERT_ROUTES, 403],
      [ADMIN_ROUTES, 403],
    ],
  },
  {
    caller: SUPERVISOR,
    label: 'supervisor (requester-only changes)',
    cells: [
      [SUPPORT_REQUEST_ROUTES.filter((r) => ['provide-info', 'cancel'].includes(r.name)), 403],
      [OPERATION_PARTICIPATION, 403],
      [ADMIN_ROUTES.filter((r) => r.method !== 'GET'), 403],
    ],
  },
];

describe('BOLA matrix', () => {
  let stack: Stack;
  const ids = {} as Ids;
  const run = randomUUID().slice(0, 8);

  beforeAll(async () => {
    stack = await startStack();
    const member = await stack.token(MEMBER_PH);
    const submitted = await stack.http('POST', '/api/v1/support-requests', {
      token: member,
      body: { category: 'malware', mode: 'remote', priority: 'P3', title: `BOLA ${run}`, description: 'PH only', indicators: [] },
    });
    expect(submitted.status).toBe(201);
    ids.sr = submitted.body.id;

    const lead = await stack.token(COORDINATOR_EURASIA);
    const created = await stack.http('POST', '/api/v1/operations', {
      token: lead,
      body: {
        name: `BOLA ${run}`,
        objective: 'scope test',
        categories: ['botnet'],
        countries: ['PH', 'SG'],
        readinessDeadline: inHours(1),
        actionStart: inHours(2),
        actionEnd: inHours(3),
        debriefDeadline: inHours(4),
      },
    });
    expect(created.status).toBe(201);
    ids.op = created.body.id;
    const granted = await stack.http('POST', '/api/v1/partner-grants', {
      token: lead,
      body: { org: 'acme-sec', objectType: 'operation', objectId: ids.op, tlpCeiling: 'TLP:GREEN', purpose: 'BOLA', endsAt: inHours(5) },
    });
    expect(granted.status).toBe(201);

    const notifier: ActivityDeps['notifier'] = { deliver: () => Promise.reject(new Error('not paging in this test')) };
    const { alertId } = await createAlertActivities({ prisma: stack.prisma, notifier }).raiseAlert({
      key: `bola/${run}`,
      kind: 'sla_breach',
      objectType: 'support_request',
      objectId: ids.sr,
      clock: 'triage',
      country: 'PH',
      region: 'EURASIA',
      workflowId: `support-request/${ids.sr}`,
      summary: 'BOLA test alert',
    });
    ids.alert = alertId;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const cases = MATRIX.flatMap(({ caller, label, cells }) =>
    cells.flatMap(([routes, expected]) => routes.map((route) => ({ caller, label, route, expected }))),
  );

  it.each(cases.map((c) => [c.label, `${c.route.method} ${c.route.path({ sr: ':sr', op: ':op', alert: ':alert' })}`, c.expected, c]))(
    '%s: %s → %d, audited',
    async (_label, _route, _expected, { caller, route, expected }) => {
      const token = await stack.token(caller);
      const before = await lastAuditId();
      const res = await stack.http(route.method, route.path(ids), { token, body: route.body?.(ids) });
      expect({ status: res.status, message: res.body?.message }).toEqual({ status: expected, message: expect.any(String) });
      const denial = await stack.prisma.auditEvent.findFirst({
        where: { id: { gt: before }, actorSub: caller.sub, afterState: 'denied' },
        orderBy: { id: 'desc' },
      });
      expect(denial).not.toBeNull();
      const objectOf: Record<string, string> = {
        'support-requests': ids.sr,
        operations: ids.op,
        alerts: ids.alert,
        staff: 'OF-EURASIA-MANILA',
        contacts: 'PH-primary',
        'sla-policies': 'P2',
      };
      const target = objectOf[route.path(ids).split('/')[3]];
      expect(denial!.objectId.startsWith(target)).toBe(true);
      expect(denial!.data).toMatchObject({ outcome: 'denied', status: expected, method: route.method });
      expect(denial!.action).toMatch(/^[a-z_]+\.[a-z.-]+$/);
    },
  );

  it('left every object as it was: nothing half-done behind a refusal', async () => {
    const detail = await stack.http('GET', `/api/v1/support-requests/${ids.sr}`, { token: await stack.token(MEMBER_PH) });
    expect(detail.body.status).toBe('submitted');
    const op = await stack.http('GET', `/api/v1/operations/${ids.op}`, { token: await stack.token(COORDINATOR_EURASIA) });
    expect(op.body.phase).toBe('planning');
    expect(op.body.countries.map((c: { iso: string }) => c.iso).sort()).toEqual(['PH', 'SG']);
    const alert = await stack.prisma.alert.findUniqueOrThrow({ where: { id: ids.alert } });
    expect(alert.acknowledgedAt).toBeNull();
    const officer = await stack.prisma.staffOfficer.findUniqueOrThrow({ where: { id: 'OF-EURASIA-MANILA' } });
    expect(officer).toMatchObject({ name: 'Investigative Support Officer, Manila', active: true });
    expect((await stack.prisma.slaPolicy.findUniqueOrThrow({ where: { priority: 'P2' } })).triage).not.toBe('1m');
  });

  it('audits no denial for an id that does not exist (nothing to protect), and still answers 404', async () => {
    const token = await stack.token(COORDINATOR_AMERICAS);
    const before = await lastAuditId();
    for (const path of ['/api/v1/support-requests/SR-000000000000', '/api/v1/operations/OP-0000000000', '/api/v1/alerts/AL-0000000000000000']) {
      expect((await stack.http('GET', path, { token })).status).toBe(404);
    }
    expect(await stack.prisma.auditEvent.count({ where: { id: { gt: before }, actorSub: COORDINATOR_AMERICAS.sub } })).toBe(0);
  });

  it('keeps lists scoped the same way', async () => {
    const americas = await stack.token(COORDINATOR_AMERICAS);
    const brazil = await stack.token(MEMBER_BR);
    for (const token of [americas, brazil]) {
      const requests = await stack.http('GET', '/api/v1/support-requests?limit=200', { token });
      expect(requests.body.items.some((r: { id: string }) => r.id === ids.sr)).toBe(false);
      const operations = await stack.http('GET', '/api/v1/operations?limit=200', { token });
      expect(operations.status).toBe(200);
      expect(operations.body.items.some((o: { id: string }) => o.id === ids.op)).toBe(false);
    }
    const eurasia = await stack.token(OTHER_EURASIA_COORDINATOR);
    const visible = await stack.http('GET', '/api/v1/operations?limit=200', { token: eurasia });
    expect(visible.body.items.some((o: { id: string }) => o.id === ids.op)).toBe(true);
  });

  async function lastAuditId(): Promise<bigint> {
    const last = await stack.prisma.auditEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    return last?.id ?? 0n;
  }
});
