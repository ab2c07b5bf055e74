import type { Prisma } from '@prisma/client';

/** PostgreSQL channel on which alert changes are announced; the API's SSE stream listens. */
export const ALERT_CHANNEL = 'cyberops_alerts';

export interface AlertView {
  id: string;
  kind: string;
  objectType: string;
  objectId: string;
  clock: string | null;
  country: string | null;
  region: string | null;
  level: number;
  levelName: string | null;
  recipients: unknown;
  raisedAt: string;
  escalatedAt: string | null;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  resolvedAt: string | null;
}

type AlertRow = Prisma.AlertGetPayload<object>;

export function alertView(row: AlertRow): AlertView {
  const at = (d: Date | null) => (d ? d.toISOString() : null);
  return {
    id: row.id,
    kind: row.kind,
    objectType: row.objectType,
    objectId: row.objectId,
    clock: row.clock,
    country: row.country,
    region: row.region,
    level: row.level,
    levelName: row.levelName,
    recipients: row.recipients,
    raisedAt: row.raisedAt.toISOString(),
    escalatedAt: at(row.escalatedAt),
    acknowledgedAt: at(row.acknowledgedAt),
    acknowledgedBy: row.acknowledgedBy,
    resolvedAt: at(row.resolvedAt),
  };
}

/** What is announced on ALERT_CHANNEL: `seq` orders every change and is the SSE event id. */
export interface AlertAnnouncement {
  event: string;
  seq: string;
  alert: AlertView;
}

/**
 * Announces an alert change inside the caller's transaction, so listeners never see a rolled-back
 * one. The row keeps the change's sequence number and event, so a stream client that reconnects
 * with `Last-Event-ID` is replayed what it missed from the alerts table.
 */
export async function announceAlert(tx: Prisma.TransactionClient, row: AlertRow, event: string): Promise<void> {
  const [{ seq }] = await tx.$queryRaw<Array<{ seq: bigint }>>`
    UPDATE "Alert" SET "streamSeq" = nextval('alert_stream_seq'), "lastEvent" = ${event}
    WHERE "id" = ${row.id} RETURNING "streamSeq" AS seq`;
  const payload: AlertAnnouncement = { event, seq: seq.toString(), alert: alertView(row) };
  await tx.$executeRaw`SELECT pg_notify(${ALERT_CHANNEL}, ${JSON.stringify(payload)})`;
}
