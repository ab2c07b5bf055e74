import type { Prisma, PrismaClient } from '@prisma/client';
import type { Indicator } from '../../workflows/common/domain';
import type { Deconfliction, DeconflictionHit, SupportRequestSnapshot } from '../../workflows/support-request/support-request.messages';
import type { TransitionEvent } from '../../workflows/support-request/support-request.state';
import { auditRow } from '../audit';
import type { ActivityDeps } from '..';

export interface DeconflictArgs {
  objectType: 'support_request' | 'intel';
  objectId: string;
  country: string | null;
  indicators: Indicator[];
}

/**
 * Records the object's indicators and returns every earlier object sharing one. Idempotent:
 * sightings are unique per object and indicator, and the object itself is never a hit.
 */
export async function deconflictIndicators(prisma: PrismaClient, args: DeconflictArgs): Promise<Deconfliction> {
  if (args.indicators.length > 0) {
    await prisma.indicatorSighting.createMany({
      data: args.indicators.map((i) => ({ type: i.type, value: i.value, objectType: args.objectType, objectId: args.objectId, country: args.country })),
      skipDuplicates: true,
    });
  }
  const matches = args.indicators.length
    ? await prisma.indicatorSighting.findMany({
        where: {
          OR: args.indicators.map((i) => ({ type: i.type, value: i.value })),
          NOT: { objectType: args.objectType, objectId: args.objectId },
        },
        orderBy: { id: 'asc' },
        take: 200,
      })
    : [];
  const countries = [...new Set(matches.map((m) => m.country).filter((c): c is string => c !== null))];
  const primaries = await prisma.contact.findMany({ where: { countryIso: { in: countries }, rank: 1 } });
  const contactOf = new Map(primaries.map((c) => [c.countryIso, { name: c.name, channel: c.channel, address: c.address }]));
  const hits: DeconflictionHit[] = matches.map((m) => ({
    indicator: { type: m.type as Indicator['type'], value: m.value },
    objectType: m.objectType as DeconflictionHit['objectType'],
    objectId: m.objectId,
    country: m.country,
    contact: (m.country && contactOf.get(m.country)) || null,
  }));
  return { hit: hits.length > 0, hits, checkedAt: new Date().toISOString() };
}

export function createSupportRequestActivities({ prisma, notifier }: ActivityDeps) {
  return {
    async deconflict(args: DeconflictArgs): Promise<Deconfliction> {
      return deconflictIndicators(prisma, args);
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
        await tx.supportRequest.upsert({
          where: { id: s.id },
          create: { id: s.id, workflowId: s.workflowId, idempotencyKey: s.idempotency?.key, requestHash: s.idempotency?.requestHash, ...row },
          update: row,
        });
      });
    },

    /** Tells a country's primary contact; the key makes a retried activity deliver once. */
    async notifyCountry(args: { key: string; country: string; subject: string; body: Record<string, unknown> }): Promise<void> {
      const primary = await prisma.contact.findFirst({ where: { countryIso: args.country }, orderBy: { rank: 'asc' } });
      if (!primary) return;
      await notifier.deliver({
        idempotencyKey: args.key,
        channel: primary.channel as 'email' | 'webhook',
        address: primary.address,
        subject: args.subject,
        body: args.body,
        contactId: primary.id,
      });
    },
  };
}
