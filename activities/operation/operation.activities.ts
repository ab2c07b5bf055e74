import type { Prisma } from '@prisma/client';
import type { Actor } from '../../workflows/common/domain';
import type { CountrySnapshot, OperationSnapshot } from '../../workflows/operation/operation.messages';
import type { Indicator } from '../../workflows/common/domain';
import { mergeReports } from '../../workflows/operation/operation.state';
import { auditRow } from '../audit';
import { recordSightings } from '../deconfliction/deconfliction-index';
import type { ActivityDeps } from '..';

export interface OperationEvent {
  action: string;
  actor: Pick<Actor, 'sub' | 'role'> & Partial<Actor>;
  data?: Record<string, unknown>;
}

const json = (value: unknown) => value as Prisma.InputJsonValue;

/** Progress batches only move the read model; every other step is also an audit event. */
const isAudited = (action: string) => action !== 'progress';

export function createOperationActivities({ prisma }: ActivityDeps) {
  return {
    /** Read model of the parent plus, for steering steps, the audit event; keyed so a retry is a no-op. */
    async projectOperation(args: { key: string; snapshot: OperationSnapshot; event: OperationEvent }): Promise<void> {
      const s = args.snapshot;
      const row = {
        name: s.name,
        objective: s.objective,
        categories: s.categories,
        phase: s.phase,
        exercise: s.exercise,
        lead: s.lead,
        countries: s.countries.filter((c) => c.status !== 'withdrawn').map((c) => c.iso),
        instants: json(s.instants),
        totals: json(s.totals),
        snapshot: json(s),
      };
      await prisma.$transaction(async (tx) => {
        if (isAudited(args.event.action)) {
          const inserted = await tx.auditEvent.createMany({
            data: [
              auditRow({
                actor: args.event.actor,
                action: `operation.${args.event.action}`,
                objectType: 'operation',
                objectId: s.id,
                afterState: s.phase,
                data: args.event.data as Prisma.InputJsonValue | undefined,
                requestId: args.event.actor.requestId,
                dedupeKey: args.key,
              }),
            ],
            skipDuplicates: true,
          });
          if (inserted.count === 0) return;
        }
        await tx.operation.upsert({
          where: { id: s.id },
          create: { id: s.id, workflowId: `operation/${s.id}`, ...row },
          update: row,
        });
      });
    },

    async projectOperationCountry(args: { key: string; snapshot: CountrySnapshot; event: OperationEvent }): Promise<void> {
      const s = args.snapshot;
      const row = {
        region: s.region,
        status: s.status,
        ready: s.ready,
        late: s.late,
        pointOfContact: s.pointOfContact,
        teamSize: s.teamSize,
        counts: json(s.counts),
        reports: json(s.reports),
        finalReport: s.finalReport ? json(s.finalReport) : undefined,
      };
      await prisma.$transaction(async (tx) => {
        const inserted = await tx.auditEvent.createMany({
          data: [
            auditRow({
              actor: args.event.actor,
              action: `operation.country.${args.event.action}`,
              objectType: 'operation',
              objectId: s.operationId,
              afterState: s.status,
              data: { country: s.iso },
              requestId: args.event.actor.requestId,
              dedupeKey: args.key,
            }),
          ],
          skipDuplicates: true,
        });
        if (inserted.count === 0) return;
        const indicators = args.event.data?.indicators as Indicator[] | undefined;
        if (indicators?.length) {
          await recordSightings(tx, { objectType: 'operation_result', objectId: `${s.operationId}/${s.iso}`, country: s.iso }, indicators);
        }
        // The workflow keeps the last reports only; the read model keeps every one.
        const current = await tx.operationCountry.findUnique({ where: { operationId_iso: { operationId: s.operationId, iso: s.iso } }, select: { reports: true } });
        row.reports = json(mergeReports(current?.reports as CountrySnapshot['reports'] | undefined, s.reports));
        await tx.operationCountry.upsert({
          where: { operationId_iso: { operationId: s.operationId, iso: s.iso } },
          create: { operationId: s.operationId, iso: s.iso, ...row },
          update: row,
        });
      });
    },
  };
}

