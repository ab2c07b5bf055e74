import { createHash } from 'node:crypto';
import type { PrismaClient } from '@prisma/client';
import { ApplicationFailure } from '@temporalio/common';
import type { EscalateAlertArgs, EscalationTarget, RaiseAlertArgs } from '../../workflows/common/alerts';
import type { ContactPoint } from '../../workflows/common/domain';
import type { ActivityDeps } from '..';
import { announceAlert } from './alert-events';
import { enqueueNotifications, messagesFor } from '../notifications/outbox';

/** Alert ids derive from the idempotency key, so a retried raise finds the row it wrote. */
export const alertIdFor = (key: string) => `AL-${createHash('sha256').update(key).digest('hex').slice(0, 16).toUpperCase()}`;

export async function resolveTarget(prisma: PrismaClient, target: EscalationTarget): Promise<ContactPoint[]> {
  const toPoint = (c: { id: string; name: string; role: string; channel: string; address: string }): ContactPoint => ({
    id: c.id,
    name: c.name,
    role: c.role,
    channel: c.channel as ContactPoint['channel'],
    address: c.address,
  });
  switch (target.kind) {
    case 'assignee': {
      // Only an active officer of the staff directory is paged, at the address the directory holds.
      const officer = target.assignee ? await prisma.staffOfficer.findUnique({ where: { email: target.assignee.toLowerCase() } }) : null;
      if (!officer?.active) return [];
      return [{ id: `officer:${officer.email}`, name: officer.name, role: 'assigned_officer', channel: 'email', address: officer.email }];
    }
    case 'regional_officer':
      return (await prisma.contact.findMany({ where: { role: 'regional_officer', region: target.region }, orderBy: { rank: 'asc' } })).map(toPoint);
    case 'supervisor':
      return (await prisma.contact.findMany({ where: { role: 'supervisor' }, orderBy: { rank: 'asc' } })).map(toPoint);
    case 'country_contact':
      return (await prisma.contact.findMany({ where: { countryIso: target.country, rank: target.rank } })).map(toPoint);
  }
}

export function createAlertActivities({ prisma }: ActivityDeps) {
  return {
    async raiseAlert(args: RaiseAlertArgs): Promise<{ alertId: string }> {
      const alertId = alertIdFor(args.key);
      await prisma.$transaction(async (tx) => {
        const existing = await tx.alert.findUnique({ where: { id: alertId } });
        if (existing) return;
        const row = await tx.alert.create({
          data: {
            id: alertId,
            dedupeKey: args.key,
            kind: args.kind,
            objectType: args.objectType,
            objectId: args.objectId,
            clock: args.clock ?? null,
            country: args.country ?? null,
            region: args.region ?? null,
            workflowId: args.workflowId,
            levelName: 'raised',
          },
        });
        await announceAlert(tx, row, 'raised');
      });
      return { alertId };
    },

    /**
     * Records the ladder level on the alert and puts one page per recipient in the outbox
     * (key `<key>/<contact>`), in one transaction: the pager never waits on delivery.
     */
    async escalateAlert(args: EscalateAlertArgs): Promise<{ recipients: string[] }> {
      const recipients = await resolveTarget(prisma, args.target);
      return prisma.$transaction(async (tx) => {
        const current = await tx.alert.findUnique({ where: { id: args.alertId } });
        if (!current) throw ApplicationFailure.nonRetryable(`alert ${args.alertId} does not exist`, 'AlertMissing');
        if (current.resolvedAt) return { recipients: [] };
        const row = await tx.alert.update({
          where: { id: args.alertId },
          data: {
            level: args.level,
            levelName: args.levelName,
            escalatedAt: new Date(),
            recipients: recipients.map((r) => ({ name: r.name, role: r.role, channel: r.channel, address: r.address })),
          },
        });
        await announceAlert(tx, row, 'escalated');
        const body = { alertId: row.id, kind: row.kind, level: args.level, levelName: args.levelName, objectType: row.objectType, objectId: row.objectId, summary: args.summary };
        await enqueueNotifications(tx, messagesFor(args.key, recipients, `[${row.kind}] ${args.summary}`, body));
        return { recipients: recipients.map((r) => r.address) };
      });
    },

    /** An acknowledgement expired while the condition still holds: the pager sounds again. */
    async rearmAlert(args: { alertId: string; key: string }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const current = await tx.alert.findUnique({ where: { id: args.alertId } });
        if (!current || current.resolvedAt || !current.acknowledgedAt) return;
        const row = await tx.alert.update({ where: { id: args.alertId }, data: { acknowledgedAt: null, acknowledgedBy: null, level: 0, levelName: 'rearmed' } });
        await announceAlert(tx, row, 'rearmed');
      });
    },

    async resolveAlert(args: { alertId: string }): Promise<void> {
      await prisma.$transaction(async (tx) => {
        const current = await tx.alert.findUnique({ where: { id: args.alertId } });
        if (!current || current.resolvedAt) return;
        const row = await tx.alert.update({ where: { id: args.alertId }, data: { resolvedAt: new Date() } });
        await announceAlert(tx, row, 'resolved');
      });
    },
  };
}
