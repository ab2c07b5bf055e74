import { Client, Connection } from '@temporalio/client';
import { supportRequestWorkflowId } from '../../workflows/support-request/support-request.messages';
import { MEMBER_PH, Stack, startStack } from '../support/harness';

// Fault suite, item 4: one Idempotency-Key sent by 20 concurrent submits makes one workflow and
// one row, and every caller gets the same id (201 once, 200 for the rest); another body is 422,
// on the concurrent path as well.
describe('idempotent submission under concurrency', () => {
  let stack: Stack;
  let member: string;
  let temporal: Client;
  let connection: Connection;

  const submission = (title: string) => ({
    category: 'malware',
    mode: 'remote',
    priority: 'P3',
    title,
    description: 'Same request sent by a flaky client many times at once.',
    indicators: [{ type: 'domain', value: 'loader.example.org' }],
  });
  const submit = (key: string, body: object) =>
    stack.http('POST', '/api/v1/support-requests', { token: member, body, headers: { 'idempotency-key': key } });

  beforeAll(async () => {
    stack = await startStack();
    member = await stack.token(MEMBER_PH);
    connection = await Connection.connect({ address: stack.config.TEMPORAL_ADDRESS });
    temporal = new Client({ connection });
  });
  afterAll(async () => {
    await connection?.close();
    await stack?.stop();
  });

  const waitForRow = async (id: string) => {
    for (let i = 0; i < 100; i++) {
      const rows = await stack.prisma.supportRequest.findMany({ where: { id } });
      if (rows.length) return rows;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no row for ${id}`);
  };

  it('20 concurrent submits with one key: one workflow, one row, the same id; 201 once, 200 for the rest', async () => {
    const key = `retry-storm-${Date.now()}`;
    const answers = await Promise.all(Array.from({ length: 20 }, () => submit(key, submission('Loader campaign'))));
    const statuses = answers.map((a) => a.status).sort((a, b) => a - b);
    expect(statuses).toEqual([...Array(19).fill(200), 201]);
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    const [id] = ids;
    expect(answers.every((a) => a.body.status === 'submitted')).toBe(true);

    const rows = await waitForRow(id);
    expect(rows).toHaveLength(1);
    expect(await stack.prisma.supportRequest.count({ where: { idempotencyKey: key } })).toBe(1);
    const runs = [];
    for await (const run of temporal.workflow.list({ query: `WorkflowId = '${supportRequestWorkflowId(id)}'` })) runs.push(run);
    expect(runs).toHaveLength(1);

    // A later retry, after the row exists, answers the same request.
    const late = await submit(key, submission('Loader campaign'));
    expect(late.status).toBe(200);
    expect(late.body.id).toBe(id);
  });

  it('another body with the same key is 422, also while the first submits are still in flight', async () => {
    const key = `mixed-${Date.now()}`;
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => submit(key, submission(i % 2 === 0 ? 'First body' : 'Second body'))),
    );
    const created = answers.filter((a) => a.status === 201);
    expect(created).toHaveLength(1);
    const winner = created[0].body.id as string;
    const detail = await stack.http('GET', `/api/v1/support-requests/${winner}`, { token: member });
    const winningTitle = detail.body.title as string;
    for (const [i, a] of answers.entries()) {
      const title = i % 2 === 0 ? 'First body' : 'Second body';
      if (title === winningTitle) {
        expect([200, 201]).toContain(a.status);
        expect(a.body.id).toBe(winner);
      } else {
        expect(a.status).toBe(422);
        expect(a.body.details).toEqual([{ field: 'Idempotency-Key', problem: expect.any(String) }]);
      }
    }
    expect(await stack.prisma.supportRequest.count({ where: { idempotencyKey: key } })).toBeLessThanOrEqual(1);
    await waitForRow(winner);
    expect(await stack.prisma.supportRequest.count({ where: { idempotencyKey: key } })).toBe(1);
  });

  it('the same body with its fields in another order is the same request', async () => {
    const key = `order-${Date.now()}`;
    const body = submission('Field order');
    const first = await submit(key, body);
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const second = await submit(key, reordered);
    expect([first.status, second.status]).toEqual([201, 200]);
    expect(second.body.id).toBe(first.body.id);
  });
});
