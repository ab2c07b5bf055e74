import type { Prisma } from '@prisma/client';

// One shape for audit rows, written by the API (direct changes) and by activities (workflow transitions).
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

