import type { Prisma } from '@prisma/client';

// One shape for audit rows, written by the API (direct changes) and by activities (workflow transitions).
// Appending takes the hash chain's lock until the transaction commits (migration
// 20261128010000): keep such transactions short, and never lock in one transaction a row that
// another transaction locks after appending (the activities append first, then project).
export interface AuditEntry {
  actor: { sub: string; role: string; country?: string };
  action: string;
  objectType: string;
  objectId: string;
  beforeState?: string | null;
  afterState?: string | null;
  data?: Prisma.InputJsonValue;
  requestId?: string;
  dedupeKey?: string;
}

export function auditRow(entry: AuditEntry): Prisma.AuditEventCreateManyInput {
  return {
    actorSub: entry.actor.sub,
    actorRole: entry.actor.role,
    actorCountry: entry.actor.country ?? null,
    action: entry.action,
    objectType: entry.objectType,
    objectId: entry.objectId,
    beforeState: entry.beforeState ?? null,
    afterState: entry.afterState ?? null,
    data: entry.data,
    requestId: entry.requestId ?? null,
    dedupeKey: entry.dedupeKey ?? null,
  };
}

