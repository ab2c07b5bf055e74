import type { Prisma } from '@prisma/client';
import type { Actor } from '../../workflows/common/domain';
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
  };
}
