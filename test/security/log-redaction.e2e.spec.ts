import { PassThrough } from 'node:stream';
import { SUPERVISOR, COORDINATOR_EURASIA, Stack, startStack } from '../support/harness';
import { SseClient } from '../support/sse-client';

// The API's real pino output, captured line by line: no token, secret or signature reaches it.
describe('logs keep credentials out', () => {
  let stack: Stack;
  const lines: string[] = [];

  beforeAll(async () => {
    const logStream = new PassThrough();
    let partial = '';
    logStream.on('data', (chunk: Buffer) => {
      partial += chunk.toString('utf8');
      const parts = partial.split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts.filter(Boolean));
    });
    stack = await startStack({ worker: false, logStream, env: { LOG_LEVEL: 'trace' } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('logs the alert stream request without its ?access_token=, nor any header credential', async () => {
    const token = await stack.token(COORDINATOR_EURASIA);
    const stream = await SseClient.open(`${stack.baseUrl}/api/v1/alerts/stream?access_token=${encodeURIComponent(token)}&x=1`);
    expect(stream.status).toBe(200);
    await stream.waitFor((e) => e.comments.includes('connected'));
    stream.close();

    const supervisor = await stack.token(SUPERVISOR);
    const signature = `sha256=${'ab12'.repeat(16)}`;
    const cookie = 'session=s3cr3t-cookie-value';
    await stack.http('GET', '/api/v1/alerts?limit=5', {
      token: supervisor,
      headers: { cookie, 'x-cyberops-signature': signature, 'x-api-key': 'k3y-value-123' },
    });
    // A bad token in the query of another route is refused and not logged either.
    await stack.http('GET', `/api/v1/countries?access_token=${encodeURIComponent(supervisor)}`);
    // An expired token is refused with 401; its text stays out too.
    const expired = await stack.token(SUPERVISOR, { expiresIn: Math.floor(Date.now() / 1000) - 60 });
    expect((await stack.http('GET', '/api/v1/alerts', { token: expired })).status).toBe(401);

    await waitForLog((l) => l.includes('/api/v1/alerts/stream') && l.includes('access_token'));
    await waitForLog((l) => l.includes('/api/v1/countries'));
    const output = lines.join('\n');
    // The request lines are there (so the check below is not vacuous)...
    expect(output).toContain('access_token=[redacted]');
    expect(output).toMatch(/"authorization":"\[redacted\]"/);
    // ...but no credential is.
    for (const secret of [token, supervisor, expired, signature, cookie, 'k3y-value-123', stack.config.JWT_SECRET]) {
      expect(output).not.toContain(secret);
    }
    // Not even a token's signature part alone.
    for (const t of [token, supervisor, expired]) expect(output).not.toContain(t.split('.')[2]);
  });

  it('ends an open stream when its token expires', async () => {
    const token = await stack.token(SUPERVISOR, { expiresIn: '3s' });
    const started = Date.now();
    const stream = await SseClient.open(`${stack.baseUrl}/api/v1/alerts/stream`, { authorization: `Bearer ${token}` });
    expect(stream.status).toBe(200);
    await stream.waitFor((e) => e.comments.includes('connected'));
    await stream.waitClosed(10_000);
    const openFor = Date.now() - started;
    expect(stream.events.some((e) => e.comments.includes('token expired'))).toBe(true);
    expect(openFor).toBeGreaterThan(1_000);
    expect(openFor).toBeLessThan(6_000);
    // Reconnecting with the same token is refused.
    const again = await SseClient.open(`${stack.baseUrl}/api/v1/alerts/stream`, { authorization: `Bearer ${token}` });
    expect(again.status).toBe(401);
  });

  async function waitForLog(predicate: (line: string) => boolean): Promise<void> {
    const deadline = Date.now() + 5_000;
    while (!lines.some(predicate)) {
      if (Date.now() > deadline) throw new Error(`no such log line; got:\n${lines.slice(-20).join('\n')}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
});
