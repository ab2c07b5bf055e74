import { DefaultLogger, makeTelemetryFilterString, Runtime } from '@temporalio/worker';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ADMIN, COORDINATOR_EURASIA, MEMBER_PH, startStack, SUPERVISOR, type Stack } from '../support/harness';
import { launchBrowser, newContext, screenshot, seriousViolations } from './browser';

// The console end to end: real API (serving the built console), worker, Temporal and PostgreSQL,
// several users each in their own browser context, as they would work side by side.
let stack: Stack;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  // The worker's own log lines (undeliverable test e-mail and the like) would bury the test output.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
  stack = await startStack({ env: { CONSOLE_DEV_PERSONAS: 'true' } });
  browser = await launchBrowser();
});

afterAll(async () => {
  await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
  await browser?.close();
  await stack?.stop();
});

async function open(language: 'en' | 'fr' = 'en'): Promise<Page> {
  const context = await newContext(browser, stack.baseUrl, language);
  contexts.push(context);
  return context.newPage();
}

/** The dev stack's "sign in as" list. */
async function signInAs(page: Page, role: 'member' | 'coordinator' | 'analyst' | 'supervisor' | 'admin'): Promise<void> {
  await page.goto('/');
  await page.locator(`button[data-persona="${role}"]`).click();
  await page.getByTestId('who').waitFor();
}

/** The token field, as anyone with a token from their identity provider signs in. */
async function signInWithToken(page: Page, token: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel(/Bearer token|Jeton porteur/).fill(token);
  await page.getByRole('button', { name: /^(Sign in|Se connecter)$/ }).click();
  await page.getByTestId('who').waitFor();
}

async function expectAccessible(page: Page, view: string): Promise<void> {
  const violations = await seriousViolations(page);
  expect({ view, violations }).toEqual({ view, violations: [] });
}

describe('console', () => {
  test('serves the console at / without shadowing the API, docs and health', async () => {
    const index = await fetch(`${stack.baseUrl}/requests/SR-NOPE`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<div id="root">');
    expect((await stack.http('GET', '/api/v1/nope')).status).toBe(404);
    expect((await stack.http('GET', '/api/v1/countries')).status).toBe(401);
    expect((await stack.http('GET', '/health')).status).toBe(200);
    // Serving the console leaves the API's own answers alone: a malformed body is still a 400.
    const malformed = await stack.http('PUT', '/api/v1/sla-policies/P4', { token: await stack.token(ADMIN), body: '{"triage":', headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
    expect((await fetch(`${stack.baseUrl}/docs/openapi.json`)).headers.get('content-type')).toContain('application/json');
    // Demo personas only because this stack set CONSOLE_DEV_PERSONAS, as `npm start` does.
    expect((await stack.http('GET', '/api/v1/console/dev-personas')).body.items.map((p: { role: string }) => p.role)).toEqual(['member', 'coordinator', 'analyst', 'supervisor', 'admin']);
  });

  test('a member submits a request, a coordinator triages it from the top of the queue, the member sees it live', async () => {
    const member = await open();
    await signInAs(member, 'member');
    await member.getByRole('heading', { name: 'Support requests of PH' }).waitFor();
    await screenshot(member, 'member-requests');
    await expectAccessible(member, 'member requests');

    await member.getByRole('link', { name: 'New request', exact: true }).first().click();
    await member.getByLabel('Priority').selectOption('P2');
    await member.getByLabel('Title').fill('Botnet C2 on bulletproof hosting in Manila');
    await member.getByLabel('Description').fill('Several C2 servers seen in our national CERT telemetry.');
    await member.getByLabel('Type of indicator 1').selectOption('ipv4');
    await member.getByLabel('Value of indicator 1').fill('300.1.2.3');
    await member.getByRole('button', { name: 'Submit request' }).click();
    // The API's per-field problem shows next to the field that caused it.
    const problem = member.locator('[data-indicator="0"] .field-error');
    await problem.waitFor();
    expect(await problem.textContent()).toMatch(/ipv4|IPv4|address/i);
    await screenshot(member, 'member-submit-errors');
    await expectAccessible(member, 'submit form with errors');
    await member.getByLabel('Value of indicator 1').fill('203.0.113.10');
    await member.getByRole('button', { name: 'Submit request' }).click();
    await member.waitForURL(/\/requests\/SR-/);
    const id = member.url().split('/').pop()!;
    await expect(member.getByTestId('request-status').textContent()).resolves.toBe('Submitted');

    const coordinator = await open();
    await signInAs(coordinator, 'coordinator');
    await coordinator.getByRole('heading', { name: 'Triage queue' }).waitFor();
    const first = coordinator.locator('[data-testid="request-table"] tbody tr').first();
    await first.and(coordinator.locator(`[data-request="${id}"]`)).waitFor({ timeout: 10_000 });
    await screenshot(coordinator, 'coordinator-triage');
    await expectAccessible(coordinator, 'triage queue');
    await first.getByRole('link', { name: id }).click();
    await coordinator.locator('form[data-change="triage"]').getByRole('button', { name: 'Triage' }).click();
    await coordinator.getByTestId('request-status').filter({ hasText: 'Triaged' }).waitFor();
    await screenshot(coordinator, 'coordinator-request');
    await expectAccessible(coordinator, 'request page (coordinator)');

    // No reload: the member's open page follows the workflow.
    const started = Date.now();
    await member.getByTestId('request-status').filter({ hasText: 'Triaged' }).waitFor({ timeout: 10_000 });
    console.log(`member saw the triage after ${Date.now() - started} ms`);
    await member.getByRole('listitem').filter({ hasText: 'Submitted → Triaged' }).first().waitFor({ timeout: 10_000 });
    await screenshot(member, 'member-request');
    await expectAccessible(member, 'request page (member)');
  });

  test('a P1 under a shortened policy breaches; the supervisor board shows it arrive live and acknowledges it', async () => {
    const original = (await stack.http('GET', '/api/v1/sla-policies', { token: await stack.token(ADMIN) })).body.items.find((p: { priority: string }) => p.priority === 'P1');
    try {
      const admin = await open();
      await signInAs(admin, 'admin');
      const p1 = admin.locator('form[data-policy="P1"]');
      await p1.getByLabel('Time to triage').fill('four seconds');
      await p1.getByRole('button', { name: 'Save' }).click();
      await p1.locator('.field-error').first().waitFor(); // validated before it is sent
      await p1.getByLabel('Time to triage').fill('4s');
      await p1.getByLabel('Warning threshold').fill('0.5');
      await p1.getByRole('button', { name: 'Save' }).click();
      await p1.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
      await screenshot(admin, 'admin-policies');
      await expectAccessible(admin, 'SLA policies');

      const supervisor = await open();
      await signInAs(supervisor, 'supervisor');
      await supervisor.getByRole('heading', { name: 'Alert board' }).waitFor();
      await supervisor.locator('[data-testid="stream-state"][data-state="live"]').waitFor();

      const submitted = await stack.http('POST', '/api/v1/support-requests', {
        token: await stack.token(MEMBER_PH),
        body: { category: 'ddos_service', mode: 'remote', priority: 'P1', title: 'DDoS-for-hire panel hitting the central bank', description: 'Ongoing', indicators: [{ type: 'domain', value: 'stresser.example' }] },
      });
      expect(submitted.status).toBe(201);
      const id = submitted.body.id as string;
      const breach = supervisor.locator(`tr[data-object="${id}"]`).filter({ hasText: 'SLA breach' });
      await breach.waitFor({ timeout: 20_000 });
      expect(await supervisor.title()).toMatch(/^\(\d+\) /); // the title badge
      await screenshot(supervisor, 'supervisor-alerts');
      await expectAccessible(supervisor, 'alert board');
      await breach.getByRole('button', { name: 'Acknowledge' }).click();
      await supervisor.locator('[data-testid="alert-table"]').last().locator(`tr[data-object="${id}"]`).filter({ hasText: 'SLA breach' }).filter({ hasText: 'head.of.unit' }).waitFor();
      const alerts = (await stack.http('GET', `/api/v1/alerts?objectId=${id}&kind=sla_breach`, { token: await stack.token(SUPERVISOR) })).body.items;
      expect(alerts[0].acknowledgedAt).not.toBeNull();

      // A lost connection shows, and the board comes back live by itself or on request.
      await supervisor.context().setOffline(true);
      (stack.app.getHttpServer() as import('node:http').Server).closeAllConnections(); // the stream drops
      await supervisor.locator('[data-testid="stream-state"][data-state="lost"]').waitFor({ timeout: 15_000 });
      await screenshot(supervisor, 'supervisor-alerts-lost');
      await supervisor.context().setOffline(false);
      await supervisor
        .getByRole('button', { name: 'Reconnect now' })
        .click({ timeout: 2000 })
        .catch(() => undefined); // already reconnecting on its own
      await supervisor.locator('[data-testid="stream-state"][data-state="live"]').waitFor({ timeout: 20_000 });

      await supervisor.getByRole('link', { name: 'SLA overview' }).click();
      await supervisor.getByRole('heading', { name: 'SLA overview' }).waitFor();
      await screenshot(supervisor, 'supervisor-sla');
      await expectAccessible(supervisor, 'SLA overview');
    } finally {
      const { triage, firstResponse, resolution, acknowledge, warnAt } = original;
      await stack.http('PUT', '/api/v1/sla-policies/P1', { token: await stack.token(ADMIN), body: { triage, firstResponse, resolution, acknowledge, warnAt } });
    }
  });

  test('a coordinator plans and launches an ASEAN operation; two countries confirm readiness; the surge board shows each within 2 s', async () => {
    const coordinator = await open();
    await signInAs(coordinator, 'coordinator');
    await coordinator.getByRole('link', { name: 'Operations' }).click();
    await coordinator.getByRole('link', { name: 'Plan an operation' }).click();
    await coordinator.getByLabel('Name').fill('Operation First Light ASEAN');
    await coordinator.getByLabel('Objective').fill('Disrupt the botnet infrastructure of the region');
    await coordinator.getByLabel('Botnet').check();
    await coordinator.getByLabel(/Association of Southeast Asian Nations/).check();
    await coordinator.getByRole('button', { name: 'Plan operation' }).click();
    await coordinator.waitForURL(/\/operations\/OP-/);
    const operationId = coordinator.url().split('/').pop()!;
    await coordinator.getByTestId('operation-phase').filter({ hasText: 'Planning' }).waitFor();
    await coordinator.getByRole('button', { name: 'Launch' }).click();
    await coordinator.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await coordinator.getByTestId('operation-phase').filter({ hasText: 'Preparation' }).waitFor({ timeout: 15_000 });
    await coordinator.locator('[data-country="PH"][data-status="invited"]').waitFor({ timeout: 15_000 });

    const memberPh = await open();
    await signInAs(memberPh, 'member');
    const memberMy = await open();
    await signInWithToken(memberMy, await stack.token({ sub: 'officer@nrp.my', role: 'member', country: 'MY' }));

    for (const [page, iso] of [
      [memberPh, 'PH'],
      [memberMy, 'MY'],
    ] as const) {
      await page.goto(`/operations/${operationId}`);
      await page.getByLabel('Point of contact').fill(`Duty officer ${iso}`);
      await page.getByLabel('Team size').fill('5');
      await page.getByRole('button', { name: 'Confirm readiness' }).click();
      const confirmed = Date.now();
      await coordinator.locator(`[data-country="${iso}"][data-status="ready"]`).waitFor({ timeout: 10_000 });
      const shownAfter = Date.now() - confirmed;
      await page.getByTestId('my-status').filter({ hasText: 'Ready' }).waitFor({ timeout: 10_000 });
      console.log(`surge board showed ${iso} ready ${shownAfter} ms after the member's confirmation`);
      expect(shownAfter).toBeLessThan(2000);
    }
    await expect(coordinator.locator('[data-total="ready"] dd').textContent()).resolves.toBe('2');
    await coordinator.locator('[data-testid="world-map"] path[data-iso="MY"].state-ready').waitFor();
    await screenshot(coordinator, 'coordinator-surge-board');
    await expectAccessible(coordinator, 'surge board');
    await screenshot(memberPh, 'member-operation');
    await expectAccessible(memberPh, 'member operation');
  });

  test('a member reports results in the action window; the surge board totals show them within 2 s', async () => {
    const now = Date.now();
    const at = (ms: number) => new Date(now + ms).toISOString();
    const coordinatorToken = await stack.token(COORDINATOR_EURASIA);
    const created = await stack.http('POST', '/api/v1/operations', {
      token: coordinatorToken,
      body: { name: 'Operation Night Watch PH', objective: 'Take down the C2 panel', categories: ['botnet'], countries: ['PH'], readinessDeadline: at(8_000), actionStart: at(10_000), actionEnd: at(15 * 60_000), debriefDeadline: at(30 * 60_000) },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await stack.http('POST', `/api/v1/operations/${id}/launch`, { token: coordinatorToken })).status).toBe(200);

    const coordinator = await open();
    await signInAs(coordinator, 'coordinator');
    await coordinator.goto(`/operations/${id}`);
    const member = await open();
    await signInAs(member, 'member');
    await member.goto(`/operations/${id}`);
    await member.getByRole('heading', { name: 'Report results' }).waitFor({ timeout: 30_000 }); // the action window opened
    await member.getByLabel('Arrests').fill('3');
    await member.getByLabel('Servers seized').fill('1');
    await member.getByLabel('Notes').fill('Two arrests in Manila, one in Cebu');
    await member.getByRole('button', { name: 'Send results' }).click();
    const sent = Date.now();
    await coordinator.locator('[data-result="arrests"]').filter({ hasText: /^3$/ }).waitFor({ timeout: 10_000 });
    const shownAfter = Date.now() - sent;
    await member.getByRole('listitem').filter({ hasText: 'Arrests: 3' }).waitFor({ timeout: 10_000 });
    console.log(`surge board showed PH's results ${shownAfter} ms after the report`);
    expect(shownAfter).toBeLessThan(2000);
    await coordinator.locator('[data-country="PH"][data-status="reporting"]').waitFor();
    await screenshot(member, 'member-operation-results');
    await expectAccessible(member, 'member results form');
    await screenshot(coordinator, 'coordinator-surge-results');
  });

  test('trends: a head of unit reads charts of the seeded figures, downloads the CSV shown and prints the report', async () => {
    // Read-model rows in 2017 (no other test writes there): EURASIA gets 7 requests in February
    // and 4 in March (3 resolved, one of them after an SLA breach), an item from PH delivered
    // to PH (acknowledged in time) and SG (never); AMERICAS one request.
    const HOUR = 3_600_000;
    const at = (month: number, day: number) => new Date(Date.UTC(2017, month - 1, day, 10));
    const requests = [
      ...Array.from({ length: 7 }, (_, i) => ({ region: 'EURASIA', country: 'PH', createdAt: at(2, 2 + i), resolvedAt: null as Date | null })),
      ...Array.from({ length: 4 }, (_, i) => ({ region: 'EURASIA', country: 'SG', createdAt: at(3, 3 + i), resolvedAt: i < 3 ? at(3, 20 + i) : null })),
      { region: 'AMERICAS', country: 'BR', createdAt: at(2, 10), resolvedAt: null },
    ];
    await stack.prisma.supportRequest.createMany({
      data: requests.map((r, i) => ({
        id: `SR-TRENDS-${i}`,
        workflowId: `support-request/SR-TRENDS-${i}`,
        country: r.country,
        region: r.region,
        submittedBy: 'officer@nrp.test',
        category: i % 2 ? 'malware' : 'botnet',
        mode: 'remote',
        priority: 'P2',
        title: 't',
        description: 'd',
        indicators: [],
        status: r.resolvedAt ? 'resolved' : 'triaged',
        createdAt: r.createdAt,
        triagedAt: new Date(r.createdAt.getTime() + 2 * HOUR),
        resolvedAt: r.resolvedAt,
      })),
    });
    await stack.prisma.alert.create({
      data: { id: 'AL-TRENDS', dedupeKey: 'SR-TRENDS-7/breach', kind: 'sla_breach', objectType: 'support_request', objectId: 'SR-TRENDS-7', region: 'EURASIA', workflowId: 'w', raisedAt: at(3, 5) },
    });
    await stack.prisma.intelItem.create({
      data: { id: 'IN-TRENDS', title: 't', summary: 's', categories: ['botnet'], indicators: [], priority: 'P2', tlp: 'TLP:GREEN', sourceKind: 'law_enforcement', reliability: 'B', credibility: 2, status: 'received', originatorSub: 'officer@nrp.ph', originatorRole: 'member', originatorCountry: 'PH', deconfliction: {}, createdAt: at(2, 1) },
    });
    await stack.prisma.dissemination.create({
      data: { id: 'DS-TRENDS', workflowId: 'dissemination/DS-TRENDS', intelId: 'IN-TRENDS', tlp: 'TLP:GREEN', priority: 'P2', status: 'active', analystSub: 'a', namedAddresses: [], recipientCount: 2, totals: {}, createdAt: at(2, 2) },
    });
    await stack.prisma.disseminationRecipient.createMany({
      data: [
        { disseminationId: 'DS-TRENDS', iso: 'PH', region: 'EURASIA', status: 'acknowledged', deliveredAt: at(2, 2), ackDueAt: new Date(at(2, 2).getTime() + 2 * HOUR), acknowledgedAt: new Date(at(2, 2).getTime() + HOUR) },
        { disseminationId: 'DS-TRENDS', iso: 'SG', region: 'EURASIA', status: 'overdue', deliveredAt: at(2, 2), ackDueAt: new Date(at(2, 2).getTime() + 2 * HOUR) },
      ],
    });

    const page = await open();
    await signInAs(page, 'supervisor');
    await page.getByRole('link', { name: 'Regional trends' }).click();
    await page.getByRole('heading', { name: 'Regional trends', level: 1 }).waitFor();
    // Side by side first, then one region's period through the pickers.
    await page.getByLabel('From (month)').fill('2017-01');
    await page.getByLabel('To (month, included)').fill('2017-06');
    await page.getByRole('heading', { name: 'Trend assessment: All regions side by side · Jan 2017 to Jun 2017' }).waitFor();
    const americas = page.locator('[data-testid="trend-table-requests"] tbody tr').filter({ hasText: 'Americas' });
    await expect(americas.locator('td').first().textContent()).resolves.toBe('1');
    // The charts render after the figures arrive: wait for them before counting.
    await page.locator('[data-testid="trend-chart"] canvas').nth(1).waitFor();
    await expect(page.locator('[data-testid="trend-chart"] canvas').count()).resolves.toBe(2);
    await expectAccessible(page, 'trends, all regions');
    await page.getByLabel('Region', { exact: true }).selectOption('EURASIA');
    await page.getByRole('heading', { name: 'Trend assessment: Eurasia · Jan 2017 to Jun 2017' }).waitFor();

    const charts = page.locator('[data-testid="trend-chart"] canvas');
    await charts.nth(3).waitFor();
    await expect(charts.count()).resolves.toBe(4);
    await expect(charts.first().getAttribute('aria-label')).resolves.toContain('11 submitted, 3 resolved, 1 SLA breaches');
    await expect(charts.nth(1).getAttribute('aria-label')).resolves.toContain('1 acknowledged in time, 0 late, 1 overdue');
    // Drawn, not blank: the requests chart has coloured pixels (its February and March bars).
    // Runs in the page (no DOM types in the test build, hence any).
    const painted = await charts.first().evaluate((c: any) => {
      const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data as number[];
      let n = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i + 2] > 150 && data[i] < 60) n++;
      return n;
    });
    expect(painted).toBeGreaterThan(100);
    const rows = page.locator('[data-testid="trend-table-requests"] tbody tr');
    await expect(rows.count()).resolves.toBe(7); // six months and the whole period
    await expect(rows.nth(1).locator('td').first().textContent()).resolves.toBe('7');
    await expect(rows.nth(2).locator('td').first().textContent()).resolves.toBe('4');
    await screenshot(page, 'supervisor-trends');
    await expectAccessible(page, 'trends, one region');

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe('trends-EURASIA-2017-01-2017-06-month.csv');
    const csv = (await import('node:fs')).readFileSync((await download.path())!, 'utf8').trim().split(/\r\n/).map((line) => line.split(','));
    const [head, ...body] = csv;
    const col = (name: string) => head.indexOf(name);
    expect(head.slice(0, 4)).toEqual(['region', 'start', 'end', 'submitted']);
    expect(body.map((r) => [r[0], r[1].slice(0, 7), r[col('submitted')], r[col('resolved')]])).toEqual([
      ['EURASIA', '2017-01', '0', '0'],
      ['EURASIA', '2017-02', '7', '0'],
      ['EURASIA', '2017-03', '4', '3'],
      ['EURASIA', '2017-04', '0', '0'],
      ['EURASIA', '2017-05', '0', '0'],
      ['EURASIA', '2017-06', '0', '0'],
      ['EURASIA', '2017-01', '11', '3'],
    ]);
    expect(body[6].slice(col('slaMet'), col('slaMet') + 2)).toEqual(['2', '1']);
    expect([body[1][col('intelContributed')], body[1][col('ackInTime')], body[1][col('overdue')]]).toEqual(['1', '1', '1']);

    // Print media: the report alone (no navigation, header or controls), with its print heading.
    await page.emulateMedia({ media: 'print' });
    await expect(page.locator('nav').isVisible()).resolves.toBe(false);
    await expect(page.locator('header.top').isVisible()).resolves.toBe(false);
    await expect(page.getByRole('button', { name: 'Download CSV' }).isVisible()).resolves.toBe(false);
    await expect(page.getByText(/^Generated .* by Month/).isVisible()).resolves.toBe(true);
    await expect(page.getByTestId('trend-report').isVisible()).resolves.toBe(true);
    const columns = await page.locator('.charts').evaluate((e: any) => (globalThis as any).getComputedStyle(e).gridTemplateColumns.split(' ').length);
    expect(columns).toBe(2);
    const pdf = await page.pdf({ format: 'A4', landscape: true });
    expect(pdf.length).toBeGreaterThan(10_000);
    await page.emulateMedia({ media: 'screen' });

    // A member reads its own region only.
    const member = await open();
    await signInAs(member, 'member');
    await member.goto('/trends?from=2017-01&to=2017-06');
    await member.getByRole('heading', { name: /Trend assessment: Eurasia/ }).waitFor();
    await expect(member.getByLabel('Region', { exact: true }).isDisabled()).resolves.toBe(true);
    await expectAccessible(member, 'trends, member');
  });

  test('a coordinator grants a partner the operation from its page; the partner sees it until the grant is revoked', async () => {
    const coordinatorToken = await stack.token(COORDINATOR_EURASIA);
    const at = (ms: number) => new Date(Date.now() + ms).toISOString();
    const created = await stack.http('POST', '/api/v1/operations', {
      token: coordinatorToken,
      body: { name: 'Operation Sinkhole', objective: 'Sinkhole the botnet domains', categories: ['botnet'], countries: ['PH'], readinessDeadline: at(3_600_000), actionStart: at(7_200_000), actionEnd: at(10_800_000), debriefDeadline: at(14_400_000) },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const coordinator = await open();
    await signInWithToken(coordinator, coordinatorToken);
    await coordinator.goto(`/operations/${id}`);
    const panel = coordinator.getByTestId('grant-panel');
    await panel.getByLabel('Partner organisation').fill('acme-sec');
    await panel.getByLabel('TLP ceiling').selectOption('TLP:AMBER');
    await panel.getByLabel('Purpose').fill('sinkhole data for the takedown');
    const ends = new Date(Date.now() + 2 * 86_400_000);
    const pad = (n: number) => String(n).padStart(2, '0');
    await panel.getByLabel('Access ends').fill(`${ends.getFullYear()}-${pad(ends.getMonth() + 1)}-${pad(ends.getDate())}T${pad(ends.getHours())}:${pad(ends.getMinutes())}`);
    await panel.getByRole('button', { name: 'Grant access' }).click();
    await panel.locator('[data-status="active"]').waitFor({ timeout: 15_000 });
    await expectAccessible(coordinator, 'operation with partner grants');

    const partner = await open();
    await signInWithToken(partner, await stack.token({ sub: 'analyst@acme-sec.example', role: 'partner', org: 'acme-sec' }));
    await partner.getByRole('heading', { name: 'Partner grants' }).waitFor();
    await partner.getByRole('link', { name: 'Operation Sinkhole' }).click();
    await partner.getByRole('heading', { name: 'Operation Sinkhole' }).waitFor();
    await partner.getByRole('heading', { name: 'Send results' }).waitFor();
    await screenshot(partner, 'partner-granted-operation');
    await expectAccessible(partner, 'partner granted operation');

    await panel.getByRole('button', { name: 'Revoke' }).click();
    await coordinator.getByRole('dialog').getByRole('button', { name: 'Confirm' }).click();
    await panel.locator('[data-status="revoked"]').waitFor({ timeout: 15_000 });
    await partner.goto('/grants');
    await partner.getByText('No partner grants.').waitFor();
  });

  test("each role's main view in French, accessible, with a screenshot", async () => {
    const views: Array<{ role: 'member' | 'coordinator' | 'analyst' | 'supervisor' | 'admin'; heading: string | RegExp; extra?: (page: Page) => Promise<void> }> = [
      { role: 'member', heading: 'Demandes d’appui de PH' },
      { role: 'coordinator', heading: 'File de tri' },
      { role: 'supervisor', heading: 'Tableau des alertes' },
      { role: 'analyst', heading: 'Réception du renseignement', extra: (page) => page.getByRole('heading', { name: 'Recevoir un élément', level: 2 }).waitFor() },
      { role: 'admin', heading: 'Politiques de délais' },
    ];
    for (const view of views) {
      const page = await open('fr');
      await signInAs(page, view.role);
      await page.getByRole('heading', { name: view.heading, level: 1 }).waitFor();
      await view.extra?.(page);
      expect(await page.evaluate('document.documentElement.lang')).toBe('fr');
      await screenshot(page, `${view.role}-fr`);
      await expectAccessible(page, `${view.role} (fr)`);
    }
  });

  test('the other main views: sign-in, analyst, contacts, operations list; a 401 returns to sign-in', async () => {
    const page = await open();
    await page.goto('/');
    await page.getByRole('heading', { name: 'Sign in as a demo persona' }).waitFor();
    await screenshot(page, 'sign-in');
    await expectAccessible(page, 'sign-in');

    // The fusion centre's API is served: the analyst lands on the intake form and the item list.
    await signInAs(page, 'analyst');
    await page.getByRole('heading', { name: 'Take in an item', level: 2 }).waitFor();
    await page.getByRole('heading', { name: 'Intelligence items', level: 2 }).waitFor();
    await screenshot(page, 'analyst-intel');
    await expectAccessible(page, 'analyst intel');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await signInAs(page, 'admin');
    await page.getByRole('link', { name: 'Contact network' }).click();
    await page.locator('table.data tbody tr').first().waitFor();
    await screenshot(page, 'admin-contacts');
    await expectAccessible(page, 'contacts');

    // An expired or revoked token: the next call answers 401 and the console asks to sign in again.
    await page.evaluate(`sessionStorage.setItem('cyberops.console.token', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4Iiwicm9sZSI6ImFkbWluIn0.bad')`);
    await page.reload();
    await page.getByRole('alert').filter({ hasText: 'Your session has ended' }).waitFor();
  });

  test('working group: a member posts progress on its own item; a coordinator turns an operation item into a planned operation', async () => {
    const year = 2100 + Math.floor(Math.random() * 800);
    const base = `/api/v1/working-groups/EURASIA/${year}`;
    const as = async (who: typeof COORDINATOR_EURASIA, method: string, url: string, body?: unknown) => stack.http(method, url, { token: await stack.token(who), body });
    const deadline = Date.now() + 2_500;
    expect((await as(COORDINATOR_EURASIA, 'POST', '/api/v1/working-groups', { region: 'EURASIA', year, meetingDate: `${year}-03-10T09:00:00Z`, agenda: ['Regional trends', 'Action plan'], countries: ['PH', 'SG'], attendanceDeadline: new Date(deadline).toISOString(), reminderBefore: '1s', escalationStep: '1h' })).status).toBe(201);
    expect((await as(MEMBER_PH, 'POST', `${base}/countries/PH/attendance`, { attending: true, delegate: 'Head of unit PH' })).status).toBe(200);
    while (Date.now() < deadline + 300) await new Promise((r) => setTimeout(r, 100));
    expect((await as(COORDINATOR_EURASIA, 'POST', `${base}/held`)).status).toBe(200);
    const due = new Date(Date.now() + 60 * 86_400_000).toISOString();
    expect((await as(COORDINATOR_EURASIA, 'POST', `${base}/plan/items`, { ownerCountry: 'PH', kind: 'operation', title: 'Takedown of bulletproof hosters', description: 'Joint action', dueDate: due, categories: ['bulletproof_hosting'], countries: ['PH', 'SG'] })).status).toBe(201);
    expect((await as(COORDINATOR_EURASIA, 'POST', `${base}/plan/items`, { ownerCountry: 'SG', kind: 'legislation', title: 'Cybercrime bill', description: 'Table it', dueDate: due })).status).toBe(201);
    expect((await as(COORDINATOR_EURASIA, 'POST', `${base}/plan/items`, { ownerCountry: 'PH', kind: 'training', title: 'Train-the-Trainer: darknet', description: 'Course for first responders', dueDate: due })).status).toBe(201);

    const member = await open();
    await signInAs(member, 'member');
    await member.getByRole('link', { name: 'Working groups' }).click();
    await member.getByLabel('Year').fill(String(year));
    await member.getByTestId('meeting-status').filter({ hasText: 'Held' }).waitFor();
    await member.getByRole('button', { name: 'Takedown of bulletproof hosters' }).click();
    // Another country's item is listed, not opened.
    await expect(member.getByRole('button', { name: 'Cybercrime bill' }).count()).resolves.toBe(0);
    await member.getByLabel('Progress note').fill('Targets identified with SG');
    await member.getByRole('button', { name: 'Post note' }).click();
    await member.getByTestId('item-notes').filter({ hasText: 'Targets identified with SG' }).waitFor();
    await member.getByTestId('item-status').filter({ hasText: 'In progress' }).waitFor();
    // The owner records its training item's course.
    await member.getByRole('button', { name: 'Train-the-Trainer: darknet' }).click();
    await member.getByLabel('Host country').fill('SG');
    await member.getByLabel('Trainees per country').fill('PH 3, TH 2');
    await member.getByRole('button', { name: 'Record the course' }).click();
    await member.getByTestId('item-course').filter({ hasText: 'SG:' }).filter({ hasText: 'PH 3, TH 2' }).waitFor();
    await member.getByTestId('item-status').filter({ hasText: 'In progress' }).waitFor();
    await screenshot(member, 'member-working-group');
    await expectAccessible(member, 'member working group');

    const coordinator = await open();
    await signInAs(coordinator, 'coordinator');
    await coordinator.getByRole('link', { name: 'Working groups' }).click();
    await coordinator.getByLabel('Year').fill(String(year));
    await coordinator.getByTestId('plan-totals').filter({ hasText: 'In progress' }).waitFor();
    await coordinator.getByRole('button', { name: 'Takedown of bulletproof hosters' }).click();
    await coordinator.getByRole('button', { name: 'Turn into an operation' }).click();
    await coordinator.getByTestId('item-operation').click();
    await coordinator.waitForURL(/\/operations\/OP-/);
    await coordinator.getByTestId('operation-phase').filter({ hasText: 'Planning' }).waitFor();
    await coordinator.getByTestId('operation-source').filter({ hasText: 'Takedown of bulletproof hosters' }).waitFor();
    // Back to the plan from the operation: the same region, year and item.
    await coordinator.getByTestId('operation-source').getByRole('link').click();
    await coordinator.getByTestId('item-operation').waitFor();
    await screenshot(coordinator, 'coordinator-working-group');
    await expectAccessible(coordinator, 'coordinator working group');
  });
  test('working group: a coordinator schedules the meeting from the console; a member of an invited country confirms attendance', async () => {
    const year = 3000 + Math.floor(Math.random() * 6000); // apart from the other working-group test's years
    const coordinator = await open();
    await signInAs(coordinator, 'coordinator');
    await coordinator.getByRole('link', { name: 'Working groups' }).click();
    await coordinator.getByLabel('Year').fill(String(year));
    const form = coordinator.getByRole('form', { name: `Schedule the Eurasia meeting of ${year}` });
    // The region's countries are invited by default; this meeting is for two of them and Brazil.
    await form.getByLabel('Philippines (PH)').waitFor();
    await expect(form.getByLabel('Singapore (SG)').isChecked()).resolves.toBe(true);
    await form.getByRole('button', { name: 'Select none' }).click();
    await form.getByLabel('Philippines (PH)').check();
    await form.getByLabel('Singapore (SG)').check();
    await form.getByLabel('Another country').selectOption('BR');
    await form.getByRole('button', { name: 'Add', exact: true }).click();
    await expect(form.getByLabel('Brazil (BR)').isChecked()).resolves.toBe(true);
    await form.getByRole('button', { name: 'Add an agenda item' }).click();
    await form.getByLabel('Agenda item 3', { exact: true }).fill('Train-the-Trainer courses');
    await form.getByRole('button', { name: 'Remove agenda item 1' }).click();
    await form.getByLabel('Meeting', { exact: true }).fill(`${year}-03-10T09:00`);
    // An answer deadline after the meeting: the API's problem shows under that field.
    await form.getByLabel('Attendance deadline').fill(`${year}-03-20T17:00`);
    await form.getByRole('button', { name: 'Schedule the meeting' }).click();
    await form.locator('.field.invalid').filter({ hasText: 'Attendance deadline' }).locator('.field-error').filter({ hasText: 'before meetingDate' }).waitFor();
    await screenshot(coordinator, 'coordinator-working-group-schedule');
    await expectAccessible(coordinator, 'schedule meeting form with errors');
    await form.getByLabel('Attendance deadline').fill(`${year}-02-20T17:00`);
    await form.getByRole('button', { name: 'Schedule the meeting' }).click();

    // Scheduled: the view turns into the meeting and its attendance, every invited country listed.
    await coordinator.getByTestId('meeting-status').filter({ hasText: 'Scheduled' }).waitFor({ timeout: 15_000 });
    const attendance = coordinator.getByRole('table', { name: 'Attendance' });
    await expect(attendance.locator('tbody tr td:first-child').allTextContents()).resolves.toEqual(['BR', 'PH', 'SG']);
    await expect(attendance.locator('tbody tr').filter({ hasText: 'Invited' }).count()).resolves.toBe(3);
    await expect(coordinator.getByRole('listitem').filter({ hasText: /^(Action plan|Train-the-Trainer courses)$/ }).allTextContents()).resolves.toEqual(['Action plan', 'Train-the-Trainer courses']);
    await coordinator.getByTestId('plan-totals').waitFor(); // the (empty) plan, no stale "not found"
    await screenshot(coordinator, 'coordinator-working-group-scheduled');
    await expectAccessible(coordinator, 'scheduled meeting (coordinator)');

    const member = await open();
    await signInAs(member, 'member');
    await member.getByRole('link', { name: 'Working groups' }).click();
    await member.getByLabel('Year').fill(String(year));
    const own = member.getByRole('table', { name: 'Attendance' }).locator('tbody tr');
    await own.filter({ hasText: 'PH' }).filter({ hasText: 'Invited' }).waitFor();
    await expect(own.count()).resolves.toBe(1); // its own country only
    await expect(member.getByRole('form', { name: /^Schedule/ }).count()).resolves.toBe(0);
    await own.getByRole('button', { name: 'Attend' }).click();
    await own.filter({ hasText: 'Attending' }).waitFor();
    await expectAccessible(member, 'meeting invitation (member)');
    await attendance.locator('tbody tr').filter({ hasText: 'PH' }).filter({ hasText: 'Attending' }).waitFor({ timeout: 10_000 });
  });
});
