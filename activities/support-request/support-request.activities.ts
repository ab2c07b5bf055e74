import type { Prisma } from '@prisma/client';
import type { Indicator } from '../../workflows/common/domain';
import type { Deconfliction, SupportRequestSnapshot } from '../../workflows/support-request/support-request.messages';
import { deconflict } from '../deconfliction/deconfliction-index';
import { mergeNotes, type TransitionEvent } from '../../workflows/support-request/support-request.state';
import { auditRow } from '../audit';
import { enqueueNotifications } from '../notifications/outbox';
import type { ActivityDeps } from '..';
import { GroupCommit } from '../group-commit';

export interface DeconflictArgs {
  objectType: 'support_request' | 'intel';
  objectId: string;
  country: string | null;
  indicators: Indicator[];
}

export interface Projection {
  key: string;
  snapshot: SupportRequestSnapshot;
  event: TransitionEvent;
}

/** A new request's first step: its deconfliction, then its first projection with the result in it. */
export interface Intake extends Projection {
  deconflict: DeconflictArgs;
}

/** Most transitions in one projection transaction (a few hundred KB of snapshots at most). */
export const PROJECTION_MAX_BATCH = 200;

export function createSupportRequestActivities({ prisma, projectionBatch }: ActivityDeps) {
  const projections = new GroupCommit<Projection>({
    maxBatch: projectionBatch ?? PROJECTION_MAX_BATCH,
    write: (items) => prisma.$transaction((tx) => writeProjections(tx, items)),
  });
  const deconflictObject = (args: DeconflictArgs) =>
    deconflict(prisma, { objectType: args.objectType, objectId: args.objectId, country: args.country }, args.indicators);
  return {
    async deconflict(args: DeconflictArgs): Promise<Deconfliction> {
      return deconflictObject(args);
    },

    /**
     * Deconfliction and the first projection in one activity: one workflow task and one
     * activity task fewer per submission, on the path every submission waits for. Both parts
     * are idempotent (sightings by owner, the projection by its audit key), so a retry is safe.
     */
    async intakeSupportRequest({ deconflict: args, key, snapshot, event }: Intake): Promise<Deconfliction> {
      const deconfliction = await deconflictObject(args);
      await projections.submit({
        key,
        snapshot: { ...snapshot, deconfliction },
        event: { ...event, data: { ...event.data, deconflictionHit: deconfliction.hit } },
      });
      return deconfliction;
    },

    /**
     * Read model and audit trail, written with other transitions in one transaction (group
     * commit); answers once that transaction has committed. The audit key makes a retry a no-op.
     */
    async projectSupportRequest(args: Projection): Promise<void> {
      await projections.submit(args);
    },

    /** Puts a message to a country's primary contact in the outbox; the dispatcher delivers it once per key. */
    async notifyCountry(args: { key: string; country: string; subject: string; body: Record<string, unknown> }): Promise<void> {
      const primary = await prisma.contact.findFirst({ where: { countryIso: args.country }, orderBy: { rank: 'asc' } });
      if (!primary) return;
      await enqueueNotifications(prisma, [
        { idempotencyKey: args.key, channel: primary.channel as 'email' | 'webhook', address: primary.address, subject: args.subject, body: args.body, contactId: primary.id },
      ]);
    },
  };
}

type Row = Omit<Prisma.SupportRequestUncheckedUpdateInput, 'id' | 'workflowId'>;

/** The read-model columns one transition sets (instants only when the transition makes them). */
function rowOf({ snapshot: s, event }: Projection): Row {
  return {
    country: s.country,
    region: s.region,
    submittedBy: s.requester,
    category: s.category,
    mode: s.mode,
    priority: s.priority,
    title: s.title,
    description: s.description,
    indicators: s.indicators as unknown as Prisma.InputJsonValue,
    status: s.status,
    assignee: s.assignee,
    duplicateOf: s.duplicateOf,
    deconfliction: (s.deconfliction ?? undefined) as Prisma.InputJsonValue | undefined,
    // The triage decision's instant feeds the regional trends (median time to triage).
    triagedAt: event.action.startsWith('triage.') ? new Date(s.updatedAt) : undefined,
    resolvedAt: s.status === 'resolved' ? new Date(s.updatedAt) : undefined,
    closedAt: s.status === 'closed' ? new Date(s.updatedAt) : undefined,
  };
}

/**
 * Writes a batch of transitions: audit rows first (one statement; it takes the chain's lock),
 * then one upsert per request with its transitions folded in version order, as if each had been
 * projected alone: a step already projected is skipped, an older snapshot never overwrites a
 * newer one, and the read model keeps every note the workflow has dropped.
 */
export async function writeProjections(tx: Prisma.TransactionClient, items: Projection[]): Promise<void> {
  const byKey = new Map(items.map((p) => [p.key, p])); // a step enqueued twice (a retry) counts once
  const inserted = await tx.auditEvent.createManyAndReturn({
    data: [...byKey.values()].map((p) =>
      auditRow({
        actor: p.event.actor,
        action: `support_request.${p.event.action}`,
        objectType: 'support_request',
        objectId: p.snapshot.id,
        beforeState: p.event.before,
        afterState: p.event.after,
        data: (p.event.data ?? undefined) as Prisma.InputJsonValue | undefined,
        requestId: p.event.actor.requestId,
        dedupeKey: p.key,
      }),
    ),
    skipDuplicates: true,
    select: { dedupeKey: true },
  });
  const fresh = inserted.map((r) => byKey.get(r.dedupeKey!)!).sort((a, b) => a.snapshot.version - b.snapshot.version);
  if (fresh.length === 0) return; // every step was already projected
  const ids = [...new Set(fresh.map((p) => p.snapshot.id))];
  const current = await tx.supportRequest.findMany({ where: { id: { in: ids } }, select: { id: true, snapshot: true } });
  const stored = new Map(current.map((r) => [r.id, r.snapshot as unknown as SupportRequestSnapshot | null]));
  const writes = new Map<string, { first: Projection; row: Row; snapshot: SupportRequestSnapshot }>();
  for (const p of fresh) {
    const s = p.snapshot;
    const pending = writes.get(s.id);
    const older = pending?.snapshot ?? stored.get(s.id) ?? null;
    if (older && (older.version ?? -1) > s.version) continue;
    // The workflow keeps the last notes only; the read model keeps them all.
    const snapshot = mergeNotes(older, s);
    const row = { ...(pending?.row ?? {}), ...definedOnly(rowOf(p)) };
    writes.set(s.id, { first: pending?.first ?? p, row, snapshot });
  }
  for (const [id, w] of writes) {
    const row = { ...w.row, snapshot: w.snapshot as unknown as Prisma.InputJsonValue };
    const s = w.first.snapshot;
    await tx.supportRequest.upsert({
      where: { id },
      create: { ...(row as Prisma.SupportRequestUncheckedCreateInput), id, workflowId: s.workflowId, idempotencyKey: s.idempotency?.key, requestHash: s.idempotency?.requestHash },
      update: row,
    });
  }
}

function definedOnly<T extends object>(row: T): Partial<T> {
  return Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined)) as Partial<T>;
}
