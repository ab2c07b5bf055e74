import type { Prisma } from '@prisma/client';
import type { FeedbackOutcome } from '../../workflows/common/deconfliction';
import type { Actor, ContactPoint, Indicator } from '../../workflows/common/domain';
import type { PartnerGrantSnapshot } from '../../workflows/partner-grant/partner-grant.messages';
import { resolveTarget } from '../alerts/alert.activities';
import { auditRow } from '../audit';
import { recordSightings } from '../deconfliction/deconfliction-index';
import { enqueueNotifications, messagesFor } from '../notifications/outbox';
import type { ActivityDeps } from '..';

export interface PartnerGrantEvent {
  action: string;
  actor: Pick<Actor, 'sub' | 'role'> & Partial<Actor>;
  data?: Record<string, unknown>;
}

/** The step number of a `<workflowId>/<step>` key: a projection never overwrites a later one. */
const stepOf = (key: string) => Number(key.slice(key.lastIndexOf('/') + 1));

/** Where a partner's indicators and feedback sit in the deconfliction index (no country: a partner has none). */
export const partnerSightingId = (objectId: string, org: string) => `${objectId}/partner/${org}`;

export function createPartnerGrantActivities({ prisma }: ActivityDeps) {
  return {
    /**
     * Audit row, read model and the step's side effects in one transaction, keyed so a retry is a
     * no-op: a partner's result indicators and feedback go to the deconfliction index, the
     * reminder to the outbox (the granter, through the staff directory).
     */
    async projectPartnerGrant(args: { key: string; snapshot: PartnerGrantSnapshot; event: PartnerGrantEvent }): Promise<void> {
      const s = args.snapshot;
      const { action, actor, data } = args.event;
      const version = stepOf(args.key);
      // Partner writes are recorded on the object they touched, so its trail shows them.
      const onObject = action === 'results' || action === 'feedback';
      const granter: ContactPoint[] = action === 'remind' ? await resolveTarget(prisma, { kind: 'assignee', assignee: s.grantedBy, region: '' }) : [];
      const indicators = (data?.indicators as Indicator[] | undefined) ?? [];
      const row = {
        org: s.org,
        objectType: s.objectType,
        objectId: s.objectId,
        objectLabel: s.objectLabel,
        tlpCeiling: s.tlpCeiling,
        namedSubs: s.namedSubs,
        purpose: s.purpose,
        endsAt: new Date(s.endsAt),
        remindAt: new Date(s.remindAt),
        grantedBy: s.grantedBy,
        grantedByRole: s.grantedByRole,
        status: s.status,
        remindedAt: s.remindedAt ? new Date(s.remindedAt) : null,
        endedAt: s.endedAt ? new Date(s.endedAt) : null,
        revokedBy: s.revokedBy,
        revokeReason: s.revokeReason,
        contributions: s.contributions as unknown as Prisma.InputJsonValue,
        requestHash: s.requestHash,
        version,
      };
      await prisma.$transaction(async (tx) => {
        const inserted = await tx.auditEvent.createMany({
          data: [
            auditRow({
              actor,
              action: `partner_grant.${action}`,
              objectType: onObject ? s.objectType : 'partner_grant',
              objectId: onObject ? s.objectId : s.id,
              afterState: s.status,
              data: {
                grantId: s.id,
                org: s.org,
                ...(data ? { ...data, indicators: indicators.length || undefined } : {}),
                ...(action === 'remind' ? { remindedAddresses: granter.map((g) => g.address) } : {}),
              } as Prisma.InputJsonValue,
              requestId: actor.requestId,
              dedupeKey: args.key,
            }),
          ],
          skipDuplicates: true,
        });
        if (inserted.count === 0) return;
        await tx.partnerGrant.createMany({ data: [{ id: s.id, workflowId: `partner-grant/${s.id}`, ...row }], skipDuplicates: true });
        // Steps may finish out of order (an update beside the timer): the later step wins.
        await tx.partnerGrant.updateMany({ where: { id: s.id, version: { lt: version } }, data: row });
        if (action === 'results' && indicators.length) {
          await recordSightings(tx, { objectType: 'operation_result', objectId: partnerSightingId(s.objectId, s.org), country: null }, indicators);
        }
        if (action === 'feedback' && s.objectType === 'intel') {
          const item = await tx.intelItem.findUnique({ where: { id: s.objectId }, select: { indicators: true } });
          const seen = (item?.indicators as unknown as Indicator[] | undefined) ?? [];
          await recordSightings(tx, { objectType: 'feedback', objectId: partnerSightingId(s.objectId, s.org), country: null }, seen, data?.outcome as FeedbackOutcome);
        }
        if (action === 'remind' && granter.length) {
          const body = { grantId: s.id, org: s.org, objectType: s.objectType, objectId: s.objectId, endsAt: s.endsAt };
          await enqueueNotifications(tx, messagesFor(args.key, granter, `Partner access of ${s.org} to ${s.objectLabel} ends at ${s.endsAt}`, body));
        }
      });
    },
  };
}
