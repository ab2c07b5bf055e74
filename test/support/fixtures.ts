import type { PrismaClient } from '@prisma/client';

// Temporary changes to seeded data that a test makes and undoes, for the in-process stack and the
// topology fleet alike: both give an admin-authenticated `http` call.

export type AdminHttp = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: any }>;

/** Sets an SLA policy for the test; the returned function puts the seeded one back. */
export async function withPolicy(http: AdminHttp, priority: string, policy: Record<string, unknown>): Promise<() => Promise<void>> {
  const current = await http('GET', '/api/v1/sla-policies');
  const previous = current.body.items.find((p: { priority: string }) => p.priority === priority);
  const set = await http('PUT', `/api/v1/sla-policies/${priority}`, policy);
  if (set.status !== 200) throw new Error(`PUT sla-policies/${priority}: ${set.status} ${JSON.stringify(set.body)}`);
  const { priority: _p, version: _v, updatedAt: _u, updatedBy: _b, ...restore } = previous as Record<string, unknown>;
  return async () => {
    await http('PUT', `/api/v1/sla-policies/${priority}`, restore);
  };
}

/**
 * Routes PH's primary contact to a webhook receiver and issues PH's own signing secret (shown once,
 * by an admin). `restore` puts the seeded e-mail contact back for the next test file.
 */
export async function phPrimaryToWebhook(prisma: PrismaClient, http: AdminHttp, url: string): Promise<{ secret: string; restore(): Promise<void> }> {
  await prisma.contact.update({ where: { id: 'PH-primary' }, data: { channel: 'webhook', address: url } });
  const issued = await http('POST', '/api/v1/contacts/PH-primary/signing-secret');
  if (issued.status !== 201) throw new Error(`issuing PH's signing secret: ${issued.status} ${JSON.stringify(issued.body)}`);
  return {
    secret: issued.body.secret as string,
    restore: async () => {
      await prisma.contact.update({ where: { id: 'PH-primary' }, data: { channel: 'email', address: 'primary@nrp.ph.cyberops.test' } });
    },
  };
}
