import type { Prisma } from '@prisma/client';
import { ApplicationFailure } from '@temporalio/common';
import type { EscalationTarget } from '../../workflows/common/alerts';
import type { Actor, ContactPoint, Indicator } from '../../workflows/common/domain';
import type {
  AttemptKind,
  DeliveryAttempt,
  DisseminationSnapshot,
  RecipientSnapshot,
} from '../../workflows/dissemination/dissemination.messages';
import { resolveTarget } from '../alerts/alert.activities';
import { auditRow } from '../audit';
import { recordSightings } from '../deconfliction/deconfliction-index';
import { enqueueNotifications, messagesFor } from '../notifications/outbox';
import type { ActivityDeps } from '..';
import type { NotificationMessage } from '../notifications/notifier';

export interface DisseminationEvent {
  action: string;
  actor: Pick<Actor, 'sub' | 'role'> & Partial<Actor>;
  data?: Record<string, unknown>;
}

export type DeliveryTarget = EscalationTarget | { kind: 'named'; contacts: ContactPoint[] };

const json = (value: unknown) => value as Prisma.InputJsonValue;
const isAudited = (action: string) => action !== 'progress';
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Why an address can never be delivered to, found before queueing (the outbox learns the rest later). */
function addressProblem(c: ContactPoint): string | undefined {
  if (c.channel === 'email') return EMAIL.test(c.address) ? undefined : 'not an e-mail address';
  if (c.channel !== 'webhook') return `unsupported channel: ${String(c.channel)}`;
  try {
    const { protocol } = new URL(c.address);
    return protocol === 'https:' || protocol === 'http:' ? undefined : `webhook address must be http(s), got ${protocol}`;
  } catch {
    return 'webhook address is not a valid URL';
  }
}

export function createDisseminationActivities({ prisma }: ActivityDeps) {
  /** What a recipient is sent: the item as its TLP allows, with how to acknowledge. */
  const messageFor = async (intelId: string, disseminationId: string, iso: string, kind: AttemptKind) => {
    const item = await prisma.intelItem.findUnique({ where: { id: intelId } });
    if (!item) throw ApplicationFailure.nonRetryable(`intel item ${intelId} does not exist`, 'IntelMissing');
    const what = kind === 'reminder' ? 'Feedback requested' : 'Intelligence';
    return {
      subject: `[${item.tlp}] ${what} ${item.id} (${item.priority}): ${item.title}`.slice(0, 250),
      body: {
        disseminationId,
        intelId: item.id,
        tlp: item.tlp,
        priority: item.priority,
        grading: `${item.reliability}${item.credibility}`,
        title: item.title,
        summary: item.summary,
        categories: item.categories,
        indicators: item.indicators,
        acknowledge: `POST /api/v1/disseminations/${disseminationId}/recipients/${iso}/ack`,
        feedback: `POST /api/v1/disseminations/${disseminationId}/recipients/${iso}/feedback`,
      },
    };
  };

  return {
    /** Read model of the parent plus, for steps other than progress batches, the audit event. */
    async projectDissemination(args: { key: string; snapshot: DisseminationSnapshot; event: DisseminationEvent }): Promise<void> {
      const s = args.snapshot;
      const row = {
        status: s.status,
        totals: json(s.totals),
        approval: json(s.approval),
        recallReason: s.recall?.reason ?? null,
        recalledAt: s.recall ? new Date(s.recall.at) : null,
      };
      await prisma.$transaction(async (tx) => {
        if (isAudited(args.event.action)) {
          const inserted = await tx.auditEvent.createMany({
            data: [
              auditRow({
                actor: args.event.actor,
                action: `dissemination.${args.event.action}`,
                objectType: 'dissemination',
                objectId: s.id,
                afterState: s.status,
                data: { intelId: s.intelId, ...(args.event.data ?? {}) } as Prisma.InputJsonValue,
                requestId: args.event.actor.requestId,
                dedupeKey: args.key,
              }),
            ],
            skipDuplicates: true,
          });
          if (inserted.count === 0) return;
        }
        await tx.dissemination.upsert({
          where: { id: s.id },
          create: {
            id: s.id,
            workflowId: `dissemination/${s.id}`,
            intelId: s.intelId,
            tlp: s.tlp,
            priority: s.priority,
            analystSub: s.analyst,
            namedAddresses: s.namedAddresses,
            recipientCount: s.recipients.length,
            ...row,
          },
          update: row,
        });
        if (args.event.action === 'create') {
          // The index knows what was disseminated, and to how many (not to whom).
          const item = await tx.intelItem.findUniqueOrThrow({ where: { id: s.intelId }, select: { indicators: true } });
          await recordSightings(tx, { objectType: 'dissemination', objectId: s.id, country: null }, item.indicators as unknown as Indicator[]);
        }
      });
    },

    /** A recipient's row; feedback that acted on the item goes into the deconfliction index. */
    async projectDisseminationRecipient(args: { key: string; snapshot: RecipientSnapshot; event: DisseminationEvent }): Promise<void> {
      const s = args.snapshot;
      const row = {
        region: s.region,
        status: s.status,
        level: s.level,
        levelName: s.levelName,
        attempts: json(s.attempts),
        deliveredAt: s.deliveredAt ? new Date(s.deliveredAt) : null,
        acknowledgedAt: s.acknowledgedAt ? new Date(s.acknowledgedAt) : null,
        acknowledgedBy: s.acknowledgedBy,
        // Older snapshots (before trends) carry no deadline: leave the column as it is.
        ackDueAt: s.ackDueAt ? new Date(s.ackDueAt) : undefined,
        feedback: s.feedbackRecord ? json(s.feedbackRecord) : undefined,
        feedbackAt: s.feedbackRecord ? new Date(s.feedbackRecord.at) : undefined,
        feedbackOutcome: s.feedbackRecord?.outcome,
        alertId: s.alertId,
        version: s.version,
      };
      await prisma.$transaction(async (tx) => {
        const inserted = await tx.auditEvent.createMany({
          data: [
            auditRow({
              actor: args.event.actor,
              action: `dissemination.recipient.${args.event.action}`,
              objectType: 'dissemination',
              objectId: s.disseminationId,
              afterState: s.status,
              data: { country: s.iso, level: s.levelName, ...(s.feedbackRecord && args.event.action === 'feedback' ? { outcome: s.feedbackRecord.outcome } : {}) },
              requestId: args.event.actor.requestId,
              dedupeKey: args.key,
            }),
          ],
          skipDuplicates: true,
        });
        if (inserted.count === 0) return;
        if (args.event.action === 'feedback' && s.feedbackRecord) {
          const item = await tx.intelItem.findUniqueOrThrow({ where: { id: s.intelId }, select: { indicators: true } });
          await recordSightings(
            tx,
            { objectType: 'feedback', objectId: `${s.disseminationId}/${s.iso}`, country: s.iso },
            item.indicators as unknown as Indicator[],
            s.feedbackRecord.outcome,
          );
        }
        // Only move forward: an older snapshot never overwrites a newer one.
        const where = { disseminationId_iso: { disseminationId: s.disseminationId, iso: s.iso } };
        const current = await tx.disseminationRecipient.findUnique({ where, select: { version: true } });
        if (current && current.version > s.version) return;
        await tx.disseminationRecipient.upsert({ where, create: { disseminationId: s.disseminationId, iso: s.iso, ...row }, update: row });
      });
    },

    /**
     * Puts the item (or a feedback reminder) in the outbox for one ladder level and returns at once:
     * the dispatcher delivers it, so the workflow never waits on a mail server or webhook.
     * An `ok` attempt means queued for delivery (the Notification row, same key, holds the outcome),
     * so the recipient's `deliveredAt` is when the item was queued; an address that can never
     * work is a failed attempt at once, so the ladder moves on.
     */
    async deliverIntel(args: {
      key: string;
      disseminationId: string;
      intelId: string;
      iso: string;
      kind: AttemptKind;
      level: number;
      levelName: string;
      target: DeliveryTarget;
    }): Promise<DeliveryAttempt[]> {
      const contacts = args.target.kind === 'named' ? args.target.contacts : await resolveTarget(prisma, args.target);
      if (contacts.length === 0) return [];
      const message = await messageFor(args.intelId, args.disseminationId, args.iso, args.kind);
      const at = new Date().toISOString();
      const attempts = contacts.map((c): DeliveryAttempt => {
        const base = { kind: args.kind, level: args.level, levelName: args.levelName, contact: c.name, contactId: c.id, channel: c.channel, address: c.address, at };
        const problem = addressProblem(c);
        return problem ? { ...base, ok: false, error: problem } : { ...base, ok: true, queued: true };
      });
      const queued = contacts.filter((c) => !addressProblem(c));
      await enqueueNotifications(prisma, messagesFor(args.key, queued, message.subject, message.body));
      return attempts;
    },

    /** Asks the originator to approve a widened audience (by e-mail when its sub is an address). */
    async askApproval(args: { key: string; disseminationId: string; intelId: string; originatorSub: string; deadline: string }): Promise<void> {
      if (!EMAIL.test(args.originatorSub)) return;
      await enqueueNotifications(prisma, [{
        idempotencyKey: args.key,
        channel: 'email',
        address: args.originatorSub,
        subject: `Approval needed: dissemination ${args.disseminationId} of ${args.intelId}`,
        body: {
          disseminationId: args.disseminationId,
          intelId: args.intelId,
          deadline: args.deadline,
          answer: `POST /api/v1/disseminations/${args.disseminationId}/approval { "decision": "approve" | "refuse" }`,
          noAnswer: 'no answer by the deadline means the dissemination is refused',
        },
      }]);
    },

    /** Everyone the item was queued for hears it is recalled (through the outbox); keyed per address, so once. */
    async notifyRecall(args: { key: string; disseminationId: string; intelId: string; isos: string[]; reason: string }): Promise<number> {
      const rows = await prisma.disseminationRecipient.findMany({ where: { disseminationId: args.disseminationId, iso: { in: args.isos } } });
      const messages: NotificationMessage[] = [];
      for (const row of rows) {
        const reached = new Map<string, DeliveryAttempt>();
        for (const a of row.attempts as unknown as DeliveryAttempt[]) if (a.ok && a.kind !== 'recall') reached.set(`${a.channel}:${a.address}`, a);
        for (const a of reached.values()) {
          messages.push({
            idempotencyKey: `${args.key}/${row.iso}/${a.channel}:${a.address}`.slice(0, 255),
            channel: a.channel as 'email' | 'webhook',
            address: a.address,
            subject: `RECALL: intelligence ${args.intelId} (dissemination ${args.disseminationId})`,
            body: { disseminationId: args.disseminationId, intelId: args.intelId, recalled: true, reason: args.reason, instruction: 'stop using and delete this item' },
            contactId: a.contactId,
          });
        }
      }
      await enqueueNotifications(prisma, messages);
      return messages.length;
    },
  };
}
