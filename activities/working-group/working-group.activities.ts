import type { Prisma } from '@prisma/client';
import type { Actor } from '../../workflows/common/domain';
import type { ActionItemSnapshot } from '../../workflows/working-group/action-item.messages';
import { auditRow } from '../audit';
import type { ActivityDeps } from '..';

export function createWorkingGroupActivities({ prisma }: ActivityDeps) {
  return {
    /** One audit row per working-group step; the key makes a retried activity append nothing. */
    async auditWorkingGroup(args: { key: string; workingGroupId: string; action: string; actor: Actor; data?: Record<string, unknown> }): Promise<void> {
      await prisma.auditEvent.createMany({
        data: [
          auditRow({
            actor: args.actor,
            action: `working_group.${args.action}`,
            objectType: 'working_group',
            objectId: args.workingGroupId,
            data: args.data as Prisma.InputJsonValue | undefined,
            requestId: args.actor.requestId,
            dedupeKey: args.key,
          }),
        ],
        skipDuplicates: true,
      });
    },

    /**
     * An action-plan item's change: its audit row and the read model in one transaction. Projections
     * may land out of order (handlers run side by side): only a newer version overwrites the row.
     */
    async projectActionItem(args: { key: string; snapshot: ActionItemSnapshot; event: { action: string; actor: Actor; data?: Record<string, unknown> } }): Promise<void> {
      const s = args.snapshot;
      const row = {
        status: s.status,
        dueDate: new Date(s.dueDate),
        overdue: s.overdue,
        operationId: s.operationId,
        exerciseOperationIds: s.exerciseOperationIds,
        version: s.version,
        snapshot: s as unknown as Prisma.InputJsonValue,
      };
      await prisma.$transaction(async (tx) => {
        await tx.auditEvent.createMany({
          data: [
            auditRow({
              actor: args.event.actor,
              action: `action_item.${args.event.action}`,
              objectType: 'action_item',
              objectId: s.id,
              afterState: s.status,
              data: args.event.data as Prisma.InputJsonValue | undefined,
              requestId: args.event.actor.requestId,
              dedupeKey: args.key,
            }),
          ],
          skipDuplicates: true,
        });
        // The API inserts the row before it starts the workflow; this keeps it current.
        await tx.actionPlanItem.updateMany({ where: { id: s.id, version: { lt: s.version } }, data: row });
      });
    },
  };
}
