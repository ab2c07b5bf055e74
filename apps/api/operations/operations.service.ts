import { randomBytes } from 'node:crypto';
import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { Operation, Prisma } from '@prisma/client';
import { Client, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Region } from '../../../workflows/common/domain';
import { parseDurationMs } from '../../../workflows/common/duration';
import {
  abortUpdate,
  addCountriesUpdate,
  countryWorkflowId,
  CountrySnapshot,
  extendUpdate,
  finalReportUpdate,
  getCountryQuery,
  getOperationQuery,
  Instants,
  launchUpdate,
  operationCreatedUpdate,
  OperationEscalation,
  OperationSnapshot,
  operationWorkflowId,
  Participant,
  readinessUpdate,
  ResultCounts,
  resultsUpdate,
  withdrawUpdate,
  INVALID_PARTICIPATION,
  type OperationWorkflow,
} from '../../../workflows/operation/operation.messages';
import { INVALID_OPERATION_CHANGE, mergeReports } from '../../../workflows/operation/operation.state';
import { OutOfScopeException, RefusedException } from '../auth/denials';
import type { Principal } from '../auth/principal';
import { operationAccess } from './operation-access';
import type { Consistency } from '../common/consistency';
import { FieldProblem, unprocessable } from '../common/errors';
import { normalizeIndicators } from '../common/indicators';
import { MAX_REPORTS_PER_COUNTRY } from '../common/limits';
import { afterCursor, DEFAULT_PAGE_SIZE, toPage } from '../common/paging';
import { PrismaService } from '../infra/prisma.service';
import { resolveCountries } from '../directory/participants';
import { InjectTemporalClient, TemporalClientHolder } from '../infra/temporal.module';
import { WorkflowUpdates } from '../infra/workflow-updates';
import { PartnerAccess } from '../partner-grants/partner-access';
import { actorOf } from '../support-requests/support-requests.service';
import type { CreateOperationDto, ExtendDto, FinalReportDto, ListOperationsQuery, ReadinessDto, ResultsDto } from './operations.dto';

const INSTANT_NAMES: Array<keyof Instants> = ['readinessDeadline', 'actionStart', 'actionEnd', 'debriefDeadline'];
/** Exercise mode: the same workflows with escalation this many times faster (train-the-trainer sessions). */
const EXERCISE_SCALE = 60;

@Injectable()
export class OperationsService {
  constructor(
    private readonly prisma: PrismaService,
    @InjectTemporalClient() private readonly temporal: Client,
    private readonly temporalHolder: TemporalClientHolder,
    private readonly updates: WorkflowUpdates,
    private readonly partners: PartnerAccess,
  ) {}

  /** Explicit countries, named groups and whole regions, resolved against the directory. */
  async resolveParticipants(spec: { countries?: string[]; groups?: string[]; regions?: string[] }): Promise<Participant[]> {
    try {
      return await resolveCountries(this.prisma.client, spec);
    } catch (error) {
      // Unknown countries or groups are well-formed references to nothing: 422, fields named.
      if (error instanceof BadRequestException) throw unprocessable((error.getResponse() as { details: FieldProblem[] }).details);
      throw error;
    }
  }

  async create(user: Principal, dto: CreateOperationDto, requestId?: string) {
    const participants = await this.resolveParticipants(dto);
    const problems: FieldProblem[] = [];
    if (participants.length === 0) problems.push({ field: 'countries', problem: 'name at least one country, group or region' });
    const now = Date.now();
    const times = INSTANT_NAMES.map((k) => new Date(dto[k]).getTime());
    INSTANT_NAMES.forEach((k, i) => {
      if (times[i] <= now) problems.push({ field: k, problem: 'must be in the future' });
    });
    if (!(times[0] <= times[1] && times[1] < times[2] && times[2] < times[3])) {
      problems.push({ field: 'instants', problem: 'must be in order: readinessDeadline <= actionStart < actionEnd < debriefDeadline' });
    }
    if (problems.length) throw unprocessable(problems);

    const policy = await this.prisma.client.slaPolicy.findUniqueOrThrow({ where: { priority: 'P2' } });
    const scale = dto.exercise ? EXERCISE_SCALE : 1;
    const escalation: OperationEscalation = {
      stepMs: Math.max(1_000, Math.round(parseDurationMs(policy.escalationStep) / scale)),
      loops: policy.escalationLoops,
      ackExpiryMs: Math.max(1_000, Math.round(parseDurationMs(policy.ackExpiry) / scale)),
    };
    const id = `OP-${randomBytes(5).toString('hex').toUpperCase()}`;
    const snapshot = await this.temporal.workflow.executeUpdateWithStart(operationCreatedUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation<OperationWorkflow>('operationWorkflow', {
        workflowId: operationWorkflowId(id),
        taskQueue: this.temporalHolder.taskQueue,
        workflowIdConflictPolicy: 'FAIL',
        args: [
          {
            id,
            name: dto.name,
            objective: dto.objective,
            categories: dto.categories,
            participants,
            instants: { readinessDeadline: dto.readinessDeadline, actionStart: dto.actionStart, actionEnd: dto.actionEnd, debriefDeadline: dto.debriefDeadline },
            lead: actorOf(user, requestId),
            exercise: dto.exercise ?? false,
            escalation,
          },
        ],
      }),
    });
    return { id: snapshot.id, phase: snapshot.phase, countries: snapshot.countries.length, exercise: snapshot.exercise };
  }

  async list(user: Principal, query: ListOperationsQuery, requestId?: string) {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const granted = user.role === 'partner' ? await this.partners.granted(user, 'operation') : undefined;
    const visible = granted ? { id: { in: [...granted.keys()] } } : await this.visibleWhere(user);
    const where: Prisma.OperationWhereInput = { phase: query.phase, exercise: query.exercise, AND: [visible] };
    if (query.cursor) (where.AND as Prisma.OperationWhereInput[]).push(afterCursor(query.cursor, 'createdAt'));
    const rows = await this.prisma.client.operation.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 });
    const page = toPage(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
    if (granted) await this.partners.auditReads(user, 'operation', page.rows.map((r) => ({ objectId: r.id, grantId: granted.get(r.id)?.id ?? null })), 'list', requestId);
    return {
      items: page.rows.map((r) => ({
        id: r.id,
        name: r.name,
        phase: r.phase,
        exercise: r.exercise,
        categories: r.categories,
        countries: user.role === 'member' || granted ? undefined : r.countries.length,
        instants: r.instants,
        // A partner sees the result sums only, as on the detail.
        totals: granted ? { results: (r.totals as { results?: Record<string, number> }).results ?? {} } : r.totals,
        createdAt: r.createdAt.toISOString(),
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** The list's counterpart of operationAccess (on current participants; detail also counts withdrawn ones). */
  private async visibleWhere(user: Principal): Promise<Prisma.OperationWhereInput> {
    if (user.role === 'member') return { countries: { has: user.country } };
    if (user.role === 'coordinator' && user.region) {
      const inRegion = await this.prisma.client.country.findMany({ where: { region: user.region }, select: { iso: true } });
      return { OR: [{ lead: user.sub }, { countries: { hasSome: inRegion.map((c) => c.iso) } }] };
    }
    return {};
  }

  /**
   * The operation and what the caller may do with it; 404 (audited) when it may not see it,
   * and 403 (audited) when it must steer but may only read.
   */
  private async findVisible(user: Principal, id: string, need: 'read' | 'steer' = 'read'): Promise<Operation> {
    const row = await this.prisma.client.operation.findUnique({ where: { id } });
    if (!row) throw new NotFoundException(`operation ${id} not found`);
    const snapshot = row.snapshot as unknown as OperationSnapshot;
    const access = operationAccess(user, { lead: row.lead, countries: snapshot.countries });
    const target = { objectType: 'operation', objectId: id };
    if (access === 'none') throw new OutOfScopeException(`operation ${id} not found`, target);
    if (need === 'steer' && access !== 'steer') {
      throw new RefusedException(`operation ${id} is steered by its lead (${row.lead}), global coordinators and supervisors`, target);
    }
    return row;
  }

  /**
   * A partner's view through its live grant: the plan and the result sums, never a country's
   * rows or notes. 404 (audited) without a live grant of its organisation; every read audited.
   */
  async partnerDetail(user: Principal, id: string, requestId?: string) {
    const grant = await this.partners.requireGrant(user, 'operation', id, `operation ${id}`);
    const row = await this.prisma.client.operation.findUnique({ where: { id } });
    if (!row) throw new NotFoundException(`operation ${id} not found`);
    await this.partners.auditReads(user, 'operation', [{ objectId: id, grantId: grant.id }], 'api', requestId);
    const totals = row.totals as { results?: Record<string, number> };
    return {
      id: row.id,
      name: row.name,
      objective: row.objective,
      categories: row.categories,
      phase: row.phase,
      exercise: row.exercise,
      instants: row.instants,
      results: totals.results ?? {},
      grant: { id: grant.id, tlpCeiling: grant.tlpCeiling, purpose: grant.purpose, endsAt: grant.endsAt.toISOString() },
    };
  }

  /** The projection (progress is batched, so it may trail by a second); `live` asks the workflow. */
  async detail(user: Principal, id: string, consistency: Consistency = 'projected') {
    const row = await this.findVisible(user, id);
    const projectedAt = row.updatedAt.toISOString();
    // The link is kept on the action-plan item (one place); the operation finds it there.
    const actionPlanItem = await this.prisma.client.actionPlanItem.findFirst({
      where: { OR: [{ operationId: id }, { exerciseOperationIds: { has: id } }] },
      select: { id: true, workingGroupId: true, region: true, year: true, n: true, title: true, kind: true, ownerCountry: true },
    });
    if (consistency === 'live') {
      try {
        const snapshot = await this.temporal.workflow.getHandle(row.workflowId).query(getOperationQuery);
        return { ...snapshot, live: true, projectedAt, actionPlanItem };
      } catch {
        // ended or unreachable workflow: the read model below
      }
    }
    return { ...(row.snapshot as unknown as OperationSnapshot), live: false, projectedAt, actionPlanItem };
  }

  async countryDetail(user: Principal, id: string, iso: string): Promise<CountrySnapshot> {
    await this.findVisible(user, id);
    // A member reads only its own country's participation (notes included).
    if (user.role === 'member' && user.country !== iso) {
      throw new OutOfScopeException(`${iso} is not visible in operation ${id}`, { objectType: 'operation_country', objectId: `${id}/${iso}` });
    }
    const row = await this.prisma.client.operationCountry.findUnique({ where: { operationId_iso: { operationId: id, iso } } });
    if (!row) throw new NotFoundException(`${iso} does not take part in operation ${id}`);
    try {
      const live = await this.temporal.workflow.getHandle(countryWorkflowId(id, iso)).query(getCountryQuery);
      return { ...live, reports: mergeReports(row.reports as unknown as CountrySnapshot['reports'], live.reports) };
    } catch {
      return {
        operationId: id,
        iso,
        region: row.region as Region,
        phase: 'closed',
        status: row.status as CountrySnapshot['status'],
        ready: row.ready,
        late: row.late,
        pointOfContact: row.pointOfContact,
        teamSize: row.teamSize,
        reports: row.reports as unknown as CountrySnapshot['reports'],
        counts: row.counts as ResultCounts,
        finalReport: row.finalReport as unknown as CountrySnapshot['finalReport'],
        openAlerts: [],
      };
    }
  }

  async steer(user: Principal, id: string, change: 'launch' | 'countries' | 'withdraw' | 'extend' | 'abort', body: Record<string, unknown>, requestId?: string) {
    const stamp = this.updates.stamp();
    const row = await this.findVisible(user, id, 'steer');
    const actor = actorOf(user, requestId);
    const send = <Cmd extends object>(update: Parameters<WorkflowUpdates['execute']>[1], cmd: Cmd) =>
      this.updates.execute(row.workflowId, update, { ...cmd, ...stamp }) as Promise<OperationSnapshot>;
    try {
      switch (change) {
        case 'launch':
          return await send(launchUpdate, { actor });
        case 'countries': {
          const participants = await this.resolveParticipants({ countries: body.countries as string[] });
          return await send(addCountriesUpdate, { actor, participants });
        }
        case 'withdraw':
          return await send(withdrawUpdate, { actor, iso: body.country as string });
        case 'extend': {
          const instants = Object.fromEntries(INSTANT_NAMES.filter((k) => (body as ExtendDto)[k] !== undefined).map((k) => [k, (body as ExtendDto)[k]]));
          if (Object.keys(instants).length === 0) throw unprocessable([{ field: 'instants', problem: 'name at least one instant to move' }]);
          return await send(extendUpdate, { actor, instants });
        }
        case 'abort':
          return await send(abortUpdate, { actor, reason: body.reason as string });
      }
    } catch (error) {
      throw this.asHttpError(error, `operation ${id}`);
    }
  }

  async participate(user: Principal, id: string, iso: string, kind: 'readiness' | 'results' | 'final-report', body: ReadinessDto | ResultsDto | FinalReportDto, requestId?: string) {
    const stamp = this.updates.stamp();
    await this.findVisible(user, id);
    const target = { objectType: 'operation_country', objectId: `${id}/${iso}` };
    if (user.role !== 'member') throw new RefusedException(`only members of ${iso} take part for ${iso}`, target);
    // Another country's participation is invisible to a member: 404, as for its other objects.
    if (user.country !== iso) throw new OutOfScopeException(`${iso} is not visible in operation ${id}`, target);
    const member = await this.prisma.client.operationCountry.findUnique({ where: { operationId_iso: { operationId: id, iso } } });
    if (!member) throw new NotFoundException(`${iso} does not take part in operation ${id}`);
    if (kind === 'results' && Array.isArray(member.reports) && member.reports.length >= MAX_REPORTS_PER_COUNTRY) {
      throw new ConflictException(`${iso} has sent ${MAX_REPORTS_PER_COUNTRY} result reports in operation ${id}, the most one country may send; send a final report`);
    }
    const actor = actorOf(user, requestId);
    const workflowId = countryWorkflowId(id, iso);
    try {
      if (kind === 'readiness') return await this.updates.execute(workflowId, readinessUpdate, { actor, ...(body as ReadinessDto), ...stamp });
      if (kind === 'results') {
        const dto = body as ResultsDto;
        return await this.updates.execute(workflowId, resultsUpdate, {
          actor, counts: dto.counts as ResultCounts, notes: dto.notes, indicators: dto.indicators ? normalizeIndicators(dto.indicators) : undefined, ...stamp,
        });
      }
      const dto = body as FinalReportDto;
      return await this.updates.execute(workflowId, finalReportUpdate, { actor, summary: dto.summary, counts: dto.counts as ResultCounts | undefined, ...stamp });
    } catch (error) {
      throw this.asHttpError(error, `${iso}'s part in operation ${id}`);
    }
  }

  private asHttpError(error: unknown, what: string): unknown {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && (cause.type === INVALID_OPERATION_CHANGE || cause.type === INVALID_PARTICIPATION)) {
      return new ConflictException(cause.message);
    }
    if (error instanceof WorkflowNotFoundError || (error as Error)?.name === 'WorkflowNotFoundError') {
      return new ConflictException(`${what} has ended; it accepts no more changes`);
    }
    return error;
  }
}
