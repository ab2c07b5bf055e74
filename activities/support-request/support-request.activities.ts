import type { Prisma } from '@prisma/client';
import type { Indicator } from '../../workflows/common/domain';
import type { Deconfliction, SupportRequestSnapshot } from '../../workflows/support-request/support-request.messages';
import { deconflict } from '../deconfliction/deconfliction-index';
import { mergeNotes, type TransitionEvent } from '../../workflows/support-request/support-request.state';
import { auditRow } from '../audit';
import { enqueueNotifications } from '../notifications/outbox';
import type { ActivityDeps } from '..';

export interface DeconflictArgs {
  objectType: 'support_request' | 'intel';
  objectId: string;
  country: string | null;
  indicators: Indicator[];
}

export function createSupportRequestActivities({ prisma }: ActivityDeps) {
  return {
    async deconflict(args: DeconflictArgs): Promise<Deconfliction> {
      return deconflict(prisma, { objectType: args.objectType, objectId: args.objectId, country: args.country }, args.indicators);
    },

    /** Read model and audit trail in one transaction; the audit key makes a retry a no-op. */
    async projectSupportRequest(args: { key: string; snapshot: SupportRequestSnapshot; event: TransitionEvent }): Promise<void> {
      const s = args.snapshot;
      const row = {
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
        snapshot: s as unknown as Prisma.InputJsonValue,
        // The triage decision's instant feeds the regional trends (median time to triage).
        triagedAt: args.event.action.startsWith('triage.') ? new Date(s.updatedAt) : undefined,
        resolvedAt: s.status === 'resolved' ? new Date(s.updatedAt) : undefined,
        closedAt: s.status === 'closed' ? new Date(s.updatedAt) : undefined,
      };
      await prisma.$transaction(async (tx) => {
        const inserted = await tx.auditEvent.createMany({
          data: [
            auditRow({
              actor: args.event.actor,
              action: `support_request.${args.event.action}`,
              objectType: 'support_request',
              objectId: s.id,
              beforeState: args.event.before,
              afterState: args.event.after,
              data: (args.event.data ?? undefined) as Prisma.InputJsonValue | undefined,
              requestId: args.event.actor.requestId,
              dedupeKey: args.key,
            }),
          ],
          skipDuplicates: true,
        });
        if (inserted.count === 0) return; // this step was already projected
        // Only move the read model forward: an older snapshot never overwrites a newer one.
        const current = await tx.supportRequest.findUnique({ where: { id: s.id }, select: { snapshot: true } });
        const currentVersion = (current?.snapshot as { version?: number } | null)?.version ?? -1;
        if (current && currentVersion > s.version) return;
        // The workflow keeps the last notes only; the read model keeps them all.
        row.snapshot = mergeNotes(current?.snapshot as unknown as SupportRequestSnapshot | null, s) as unknown as Prisma.InputJsonValue;
        await tx.supportRequest.upsert({
          where: { id: s.id },
          create: { id: s.id, workflowId: s.workflowId, idempotencyKey: s.idempotency?.key, requestHash: s.idempotency?.requestHash, ...row },
          update: row,
        });
      });
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
