import { createHash, randomBytes } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import type { PartnerGrant, Prisma } from '@prisma/client';
import { Client, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { parseDurationMs } from '../../../workflows/common/duration';
import type { Tlp } from '../../../workflows/dissemination/dissemination.messages';
import { FINISHED_PHASES, OperationSnapshot, Phase, ResultCounts } from '../../../workflows/operation/operation.messages';
import {
  ceilingProblem,
  GrantContribution,
  GrantStatus,
  grantCreatedUpdate,
  INVALID_GRANT_CHANGE,
  partnerFeedbackUpdate,
  PartnerGrantInput,
  PartnerGrantSnapshot,
  partnerGrantWorkflowId,
  partnerResultsUpdate,
  revokeGrantUpdate,
  type PartnerGrantWorkflow,
} from '../../../workflows/partner-grant/partner-grant.messages';
import { OutOfScopeException, RefusedException } from '../auth/denials';
import type { Principal } from '../auth/principal';
import { FieldProblem, unprocessable } from '../common/errors';
import { normalizeIndicators } from '../common/indicators';
import { afterCursor, DEFAULT_PAGE_SIZE, toPage } from '../common/paging';
import { PrismaService } from '../infra/prisma.service';
import { InjectTemporalClient, TemporalClientHolder } from '../infra/temporal.module';
import { WorkflowUpdates } from '../infra/workflow-updates';
import { operationAccess } from '../operations/operation-access';
import type { ResultsDto } from '../operations/operations.dto';
import { readAccess } from '../intel/intel-access';
import { accessInclude, factsOf } from '../intel/intel.service';
import { actorOf } from '../support-requests/support-requests.service';
import { IDEMPOTENCY_KEY } from '../support-requests/support-requests.dto';
import { liveGrantsWhere, PartnerAccess } from './partner-access';
import { CreatePartnerGrantDto, ListPartnerGrantsQuery, MAX_GRANT_DAYS, PartnerFeedbackDto } from './partner-grants.dto';

const DEFAULT_REMIND_BEFORE = '1d';
const DAY_MS = 86_400_000;

/** The grant as the API shows it: `expired` as soon as its end date has passed, whatever the projection says. */
export function grantView(g: PartnerGrant, now = Date.now()) {
  const status: GrantStatus = g.status === 'active' && g.endsAt.getTime() <= now ? 'expired' : (g.status as GrantStatus);
  return {
    id: g.id,
    org: g.org,
    objectType: g.objectType,
    objectId: g.objectId,
    objectLabel: g.objectLabel,
    tlpCeiling: g.tlpCeiling as Tlp,
    namedSubs: g.namedSubs,
    purpose: g.purpose,
    endsAt: g.endsAt.toISOString(),
    remindAt: g.remindAt.toISOString(),
    grantedBy: g.grantedBy,
    status,
    remindedAt: g.remindedAt?.toISOString() ?? null,
    endedAt: g.endedAt?.toISOString() ?? (status === 'expired' ? g.endsAt.toISOString() : null),
    revokedBy: g.revokedBy,
    revokeReason: g.revokeReason,
    contributions: g.contributions as unknown as GrantContribution[],
    createdAt: g.createdAt.toISOString(),
  };
}

@Injectable()
export class PartnerGrantsService {
  constructor(
    private readonly prisma: PrismaService,
    @InjectTemporalClient() private readonly temporal: Client,
    private readonly temporalHolder: TemporalClientHolder,
    private readonly updates: WorkflowUpdates,
    private readonly access: PartnerAccess,
  ) {}

  async create(user: Principal, dto: CreatePartnerGrantDto, idempotencyKey: string | undefined, requestId?: string): Promise<{ created: boolean; body: ReturnType<typeof grantView> }> {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException({ message: 'invalid Idempotency-Key', details: [{ field: 'Idempotency-Key', problem: 'must be 1-200 visible ASCII characters' }] });
    }
    const namedSubs = dto.namedSubs ?? [];
    const requestHash = createHash('sha256').update(JSON.stringify([dto.org, dto.objectType, dto.objectId, dto.tlpCeiling, namedSubs, dto.purpose, dto.endsAt, dto.remindBefore ?? null])).digest('hex');
    const id = idempotencyKey === undefined ? `PG-${randomBytes(5).toString('hex').toUpperCase()}` : `PG-${createHash('sha256').update(`${user.sub}\n${idempotencyKey}`).digest('hex').slice(0, 10).toUpperCase()}`;
    if (idempotencyKey !== undefined) {
      const existing = await this.prisma.client.partnerGrant.findUnique({ where: { id } });
      if (existing) return { created: false, body: grantView(this.sameRequest(existing.requestHash, requestHash, existing)) };
    }

    const problems: FieldProblem[] = [];
    const prefix = dto.objectType === 'operation' ? 'OP-' : 'IN-';
    if (!dto.objectId.startsWith(prefix)) problems.push({ field: 'objectId', problem: `must be an ${dto.objectType === 'operation' ? 'operation (OP-…)' : 'intelligence item (IN-…)'} id for objectType ${dto.objectType}` });
    const now = Date.now();
    const endsAt = Date.parse(dto.endsAt);
    if (endsAt <= now) problems.push({ field: 'endsAt', problem: 'must be in the future' });
    if (endsAt > now + MAX_GRANT_DAYS * DAY_MS) problems.push({ field: 'endsAt', problem: `must be at most ${MAX_GRANT_DAYS} days ahead` });
    if (problems.length) throw unprocessable(problems);

    const object = dto.objectType === 'operation' ? await this.grantableOperation(user, dto.objectId) : await this.grantableIntel(user, dto.objectId);
    const problem = ceilingProblem({ ceiling: dto.tlpCeiling, namedSubs, itemTlp: object.tlp, granterIsOriginator: object.originatorSub === user.sub });
    if (problem) throw unprocessable([{ field: problem.includes('namedSubs') ? 'namedSubs' : 'tlpCeiling', problem }]);

    // Remind a day before (or as asked), but never before half the grant has run.
    const before = Math.min(parseDurationMs(dto.remindBefore ?? DEFAULT_REMIND_BEFORE), Math.floor((endsAt - now) / 2));
    const input: PartnerGrantInput = {
      id,
      org: dto.org,
      objectType: dto.objectType,
      objectId: dto.objectId,
      objectLabel: object.label,
      tlpCeiling: dto.tlpCeiling,
      namedSubs,
      purpose: dto.purpose,
      endsAt: new Date(endsAt).toISOString(),
      remindAt: new Date(endsAt - before).toISOString(),
      grantedBy: actorOf(user, requestId),
      requestHash,
    };
    let snapshot: PartnerGrantSnapshot;
    try {
      snapshot = await this.temporal.workflow.executeUpdateWithStart(grantCreatedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation<PartnerGrantWorkflow>('partnerGrantWorkflow', {
          workflowId: partnerGrantWorkflowId(id),
          taskQueue: this.temporalHolder.taskQueue,
          args: [input],
          // A retry with the same key joins the grant it started, never a second one.
          workflowIdConflictPolicy: idempotencyKey === undefined ? 'FAIL' : 'USE_EXISTING',
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
        }),
      });
    } catch (error) {
      // A keyed grant that has already ended: its read model answers.
      const row = idempotencyKey !== undefined ? await this.prisma.client.partnerGrant.findUnique({ where: { id } }) : null;
      if (!row) throw error;
      return { created: false, body: grantView(this.sameRequest(row.requestHash, requestHash, row)) };
    }
    if (snapshot.requestHash !== requestHash) this.sameRequest(snapshot.requestHash, requestHash, null);
    const row = await this.prisma.client.partnerGrant.findUniqueOrThrow({ where: { id } });
    return { created: true, body: grantView(row) };
  }

  private sameRequest<T>(stored: string | null, given: string, value: T): T {
    if (stored !== given) {
      throw new UnprocessableEntityException({
        message: 'this Idempotency-Key was already used for a different grant',
        details: [{ field: 'Idempotency-Key', problem: 'already used with another body' }],
      });
    }
    return value;
  }

  /** Coordinators grant operations they steer (404 if they may not see it, 403 if they only read it). */
  private async grantableOperation(user: Principal, id: string) {
    const target = { objectType: 'operation', objectId: id };
    if (user.role !== 'coordinator') throw new RefusedException('operations are granted to partners by coordinators', target);
    const row = await this.prisma.client.operation.findUnique({ where: { id } });
    if (!row) throw new NotFoundException(`operation ${id} not found`);
    const access = operationAccess(user, { lead: row.lead, countries: (row.snapshot as unknown as OperationSnapshot).countries });
    if (access === 'none') throw new OutOfScopeException(`operation ${id} not found`, target);
    if (access !== 'steer') throw new RefusedException(`operation ${id} is opened to partners by those who steer it`, target);
    if (FINISHED_PHASES.includes(row.phase as Phase)) throw new ConflictException(`operation ${id} is ${row.phase}; it is not opened to partners any more`);
    return { label: row.name, tlp: undefined, originatorSub: undefined as string | undefined };
  }

  /** Analysts grant items they may read under the TLP rules, once graded and not duplicates. */
  private async grantableIntel(user: Principal, id: string) {
    const target = { objectType: 'intel', objectId: id };
    if (user.role !== 'analyst') throw new RefusedException('intelligence items are granted to partners by analysts', target);
    const item = await this.prisma.client.intelItem.findUnique({ where: { id }, include: accessInclude(user) });
    if (!item) throw new NotFoundException(`intel item ${id} not found`);
    if (readAccess(user, factsOf(item)) !== 'read') throw new OutOfScopeException(`intel item ${id} not found`, target);
    if (item.status === 'duplicate') throw new ConflictException(`intel item ${id} is a duplicate of ${item.duplicateOf}; grant that one`);
    if (item.status === 'awaiting_grading') throw new ConflictException(`intel item ${id} awaits grading; grade it first`);
    return { label: id, tlp: item.tlp as Tlp, originatorSub: item.originatorSub };
  }

  async list(user: Principal, query: ListPartnerGrantsQuery, requestId?: string) {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const where: Prisma.PartnerGrantWhereInput[] = [{ objectType: query.objectType, objectId: query.objectId }];
    // Partners: their organisation's live grants. Granters: theirs. Supervisors: all.
    if (user.role === 'partner') where.push(liveGrantsWhere(user));
    else if (user.role !== 'supervisor') where.push({ grantedBy: user.sub });
    if (query.status === 'active') where.push({ status: 'active', endsAt: { gt: new Date() } });
    if (query.status === 'expired') where.push({ OR: [{ status: 'expired' }, { status: 'active', endsAt: { lte: new Date() } }] });
    if (query.status === 'revoked') where.push({ status: 'revoked' });
    if (query.cursor) where.push(afterCursor(query.cursor, 'createdAt'));
    const rows = await this.prisma.client.partnerGrant.findMany({ where: { AND: where }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 });
    const page = toPage(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
    if (user.role === 'partner') await this.access.auditReads(user, 'partner_grant', page.rows.map((g) => ({ objectId: g.id, grantId: g.id })), 'list', requestId);
    return { items: page.rows.map((g) => grantView(g)), nextCursor: page.nextCursor };
  }

  /** Partners: their organisation's live grant only. Staff: the granter and supervisors. Others: 404. */
  private async visible(user: Principal, id: string): Promise<PartnerGrant> {
    const target = { objectType: 'partner_grant', objectId: id };
    if (user.role === 'partner') {
      const row = await this.prisma.client.partnerGrant.findFirst({ where: { id, ...liveGrantsWhere(user) } });
      if (!row) {
        const exists = await this.prisma.client.partnerGrant.count({ where: { id } });
        if (exists) throw new OutOfScopeException(`partner grant ${id} not found`, target);
        throw new NotFoundException(`partner grant ${id} not found`);
      }
      return row;
    }
    const row = await this.prisma.client.partnerGrant.findUnique({ where: { id } });
    if (!row) throw new NotFoundException(`partner grant ${id} not found`);
    if (user.role !== 'supervisor' && row.grantedBy !== user.sub) throw new OutOfScopeException(`partner grant ${id} not found`, target);
    return row;
  }

  async detail(user: Principal, id: string, requestId?: string) {
    const row = await this.visible(user, id);
    if (user.role === 'partner') await this.access.auditReads(user, 'partner_grant', [{ objectId: id, grantId: id }], 'api', requestId);
    return grantView(row);
  }

  /** Revocation takes effect when this answers: the workflow projects it before replying. */
  async revoke(user: Principal, id: string, reason: string, requestId?: string) {
    const stamp = this.updates.stamp();
    const row = await this.visible(user, id);
    const view = grantView(row);
    if (view.status !== 'active') throw new ConflictException(`partner grant ${id} is already ${view.status}`);
    await this.send(row, () => this.updates.execute(row.workflowId, revokeGrantUpdate, { actor: actorOf(user, requestId), reason, ...stamp }));
    return grantView(await this.prisma.client.partnerGrant.findUniqueOrThrow({ where: { id } }));
  }

  /** A partner's results and indicators for the operation it is granted (indicators feed deconfliction). */
  async results(user: Principal, id: string, dto: ResultsDto, requestId?: string) {
    const stamp = this.updates.stamp();
    const row = await this.visible(user, id);
    if (row.objectType !== 'operation') throw new ConflictException(`partner grant ${id} is for an intelligence item; results go to operation grants`);
    const op = await this.prisma.client.operation.findUnique({ where: { id: row.objectId }, select: { phase: true } });
    if (!op || FINISHED_PHASES.includes(op.phase as Phase)) throw new ConflictException(`operation ${row.objectId} is ${op?.phase ?? 'gone'}; it takes no more results`);
    const indicators = normalizeIndicators(dto.indicators ?? []);
    await this.send(row, () =>
      this.updates.execute(row.workflowId, partnerResultsUpdate, { actor: actorOf(user, requestId), counts: dto.counts as ResultCounts, notes: dto.notes, indicators, ...stamp }),
    );
    return grantView(await this.prisma.client.partnerGrant.findUniqueOrThrow({ where: { id } }));
  }

  async feedback(user: Principal, id: string, dto: PartnerFeedbackDto, requestId?: string) {
    const stamp = this.updates.stamp();
    const row = await this.visible(user, id);
    await this.send(row, () => this.updates.execute(row.workflowId, partnerFeedbackUpdate, { actor: actorOf(user, requestId), outcome: dto.outcome, note: dto.note, ...stamp }));
    return grantView(await this.prisma.client.partnerGrant.findUniqueOrThrow({ where: { id } }));
  }

  private async send(row: PartnerGrant, change: () => Promise<unknown>): Promise<void> {
    try {
      await change();
    } catch (error) {
      const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === INVALID_GRANT_CHANGE) throw new ConflictException(cause.message);
      if (error instanceof WorkflowNotFoundError || (error as Error)?.name === 'WorkflowNotFoundError') {
        throw new ConflictException(`partner grant ${row.id} has ended; it accepts no more changes`);
      }
      throw error;
    }
  }
}
