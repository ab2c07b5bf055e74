import {
  ConflictException,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
} from '@nestjs/common';
import { Prisma } from '@prisma/client';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { alertView, announceAlert, AlertView } from '../../../activities/alerts/alert-events';
import { acknowledgeAlertSignal } from '../../../workflows/support-request/support-request.messages';
import { OutOfScopeException } from '../auth/denials';
import type { Principal } from '../auth/principal';
import { inScope, scopeOf } from '../auth/scope';
import { afterCursor, DEFAULT_PAGE_SIZE, toPage } from '../common/paging';
import { AuditService } from '../infra/audit.service';
import { PrismaService } from '../infra/prisma.service';
import { InjectTemporalClient } from '../infra/temporal.module';
import type { AlertListQuery } from './alerts.dto';

/** How long an acknowledgement may wait for Temporal to take the signal. */
const SIGNAL_DEADLINE_MS = 10_000;

@Injectable()
export class AlertsService {
  private readonly logger = new Logger(AlertsService.name);

  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    @InjectTemporalClient() private readonly temporal: Client,
  ) {}

  async list(
    user: Principal,
    query: AlertListQuery,
  ): Promise<{ items: AlertView[]; nextCursor: string | null }> {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const scope = scopeOf(user);
    const where: Prisma.AlertWhereInput[] = [];
    if (scope.region) where.push({ region: scope.region });
    switch (query.state ?? 'open') {
      case 'open':
        where.push({ resolvedAt: null });
        break;
      case 'acknowledged':
        where.push({ resolvedAt: null, acknowledgedAt: { not: null } });
        break;
      case 'resolved':
        where.push({ resolvedAt: { not: null } });
        break;
      case 'all':
        break;
    }
    if (query.kind) where.push({ kind: query.kind });
    if (query.objectType) where.push({ objectType: query.objectType });
    if (query.objectId) where.push({ objectId: query.objectId });
    if (query.cursor) where.push(afterCursor(query.cursor, 'raisedAt'));
    const rows = await this.prisma.client.alert.findMany({
      where: { AND: where },
      orderBy: [{ raisedAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const page = toPage(rows, limit, (r) => ({ at: r.raisedAt, id: r.id }));
    return { items: page.rows.map(alertView), nextCursor: page.nextCursor };
  }

  async get(user: Principal, id: string): Promise<AlertView> {
    const row = await this.prisma.client.alert.findUnique({ where: { id } });
    return alertView(this.inScopeOrThrow(user, id, row));
  }

  /**
   * Acknowledges an alert: the row, the audit event, the announcement and the signal to the owning
   * workflow succeed or fail together (the signal is sent last, before the commit), so a failed call
   * leaves nothing behind and can simply be retried. Acknowledging twice answers the first result.
   */
  async acknowledge(user: Principal, id: string, requestId?: string): Promise<AlertView> {
    return this.prisma.client.$transaction(
      async (tx) => {
        const current = this.inScopeOrThrow(user, id, await tx.alert.findUnique({ where: { id } }));
        if (current.resolvedAt) throw this.resolvedConflict(current);
        if (current.acknowledgedAt) return alertView(current);

        // Conditional update: a concurrent acknowledgement or resolution decides, never both.
        const { count } = await tx.alert.updateMany({
          where: { id, acknowledgedAt: null, resolvedAt: null },
          data: { acknowledgedAt: new Date(), acknowledgedBy: user.sub },
        });
        const row = await tx.alert.findUniqueOrThrow({ where: { id } });
        if (count === 0) {
          if (row.resolvedAt) throw this.resolvedConflict(row);
          return alertView(row);
        }

        await this.audit.append(
          {
            actor: user,
            action: 'alert.acknowledge',
            objectType: 'alert',
            objectId: id,
            beforeState: current.levelName === 'rearmed' ? 'rearmed' : 'open',
            afterState: 'acknowledged',
            data: {
              kind: row.kind,
              objectType: row.objectType,
              objectId: row.objectId,
              level: row.level,
              levelName: row.levelName,
              workflowId: row.workflowId,
            },
            requestId,
          },
          tx,
        );
        await announceAlert(tx, row, 'acknowledged');
        await this.signalWorkflow(row.workflowId, id, user.sub);
        return alertView(row);
      },
      { maxWait: 5_000, timeout: SIGNAL_DEADLINE_MS + 5_000 },
    );
  }

  /** 404 for a missing alert, and (audited) for one outside the caller's region. */
  private inScopeOrThrow<T extends { country: string | null; region: string | null }>(user: Principal, id: string, row: T | null): T {
    if (!row) throw new NotFoundException(`no alert ${id}`);
    if (!inScope(user, row)) throw new OutOfScopeException(`no alert ${id}`, { objectType: 'alert', objectId: id });
    return row;
  }

  private resolvedConflict(row: { id: string; resolvedAt: Date | null }): ConflictException {
    return new ConflictException(
      `alert ${row.id} was resolved at ${row.resolvedAt?.toISOString()}; a resolved alert cannot be acknowledged`,
    );
  }

  /** Tells the owning workflow to stop escalating; a workflow that has already ended needs no telling. */
  private async signalWorkflow(workflowId: string, alertId: string, by: string): Promise<void> {
    try {
      await this.temporal.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () =>
        this.temporal.workflow.getHandle(workflowId).signal(acknowledgeAlertSignal, { alertId, by }),
      );
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return;
      this.logger.warn(
        `could not signal ${workflowId} for alert ${alertId}: ${error instanceof Error ? error.message : String(error)}`,
      );
      throw new ServiceUnavailableException(
        'the workflow engine did not take the acknowledgement; nothing was changed, retry',
      );
    }
  }
}
