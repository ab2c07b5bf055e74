import { ConflictException, Injectable } from '@nestjs/common';
import { ActionPlanItem, Prisma } from '@prisma/client';
import { ApplicationFailure, WorkflowIdReusePolicy } from '@temporalio/common';
import { Client, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { Region } from '../../../workflows/common/domain';
import { parseDurationMs } from '../../../workflows/common/duration';
import {
  ActionItemInput,
  ActionItemSnapshot,
  actionItemWorkflowId,
  CLOSED_ITEM_STATUSES,
  getActionItemQuery,
  INVALID_ITEM_CHANGE,
  ITEM_STATUSES,
  itemCreatedUpdate,
  itemDueDateUpdate,
  ItemKind,
  itemLinkOperationUpdate,
  itemNoteUpdate,
  itemStatusUpdate,
  itemTrainingUpdate,
  MAX_ITEMS_PER_PLAN,
  StatusCommand,
  type ActionItemWorkflow,
} from '../../../workflows/working-group/action-item.messages';
import { workingGroupWorkflowId, WorkingGroupSnapshot } from '../../../workflows/working-group/working-group.messages';
import { OutOfScopeException, RefusedException } from '../auth/denials';
import type { Principal } from '../auth/principal';
import { FieldProblem, unprocessable } from '../common/errors';
import { afterCursor, DEFAULT_PAGE_SIZE, toPage } from '../common/paging';
import { PrismaService } from '../infra/prisma.service';
import { InjectTemporalClient, TemporalClientHolder } from '../infra/temporal.module';
import { WorkflowUpdates } from '../infra/workflow-updates';
import { OperationsService } from '../operations/operations.service';
import { actorOf } from '../support-requests/support-requests.service';
import type { CreateActionItemDto, DueDateDto, ItemOperationDto, ItemStatusDto, NoteDto, PlanQuery, TrainingDto } from './action-plan.dto';
import { WorkingGroupsService } from './working-groups.service';

const DEFAULT_REMINDER_BEFORE = '14d';
const DEFAULT_ESCALATION_STEP = '3d';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Default instants of the operation an item becomes (planning leaves time to adjust them), and of an exercise. */
const OPERATION_OFFSETS = { readinessDeadline: 7 * DAY, actionStart: 14 * DAY, actionEnd: 21 * DAY, debriefDeadline: 35 * DAY };
const EXERCISE_OFFSETS = { readinessDeadline: 10 * MINUTE, actionStart: 15 * MINUTE, actionEnd: 45 * MINUTE, debriefDeadline: 60 * MINUTE };

/** How the caller stands toward a working group's plan. */
type PlanRole = 'manage' | 'read' | 'member';

const isUniqueViolation = (e: unknown) => e instanceof Prisma.PrismaClientKnownRequestError && e.code === 'P2002';

/**
 * The action plan of a working group: one workflow per item (`working-group/<region>/<year>/item/<n>`)
 * and the ActionPlanItem read model for lists and totals. Coordinators of the region (or global),
 * and supervisors manage it; analysts read it; members read the plan of a meeting their country
 * takes part in, the detail of the items their country owns, and write only to those.
 */
@Injectable()
export class ActionPlanService {
  constructor(
    private readonly prisma: PrismaService,
    @InjectTemporalClient() private readonly temporal: Client,
    private readonly temporalHolder: TemporalClientHolder,
    private readonly updates: WorkflowUpdates,
    private readonly meetings: WorkingGroupsService,
    private readonly operations: OperationsService,
  ) {}

  /** 404 for a working group the caller may not see (a coordinator of another region, a member of a country not in it). */
  private async access(user: Principal, region: Region, year: number): Promise<{ role: PlanRole; meeting: WorkingGroupSnapshot }> {
    const id = workingGroupWorkflowId(region, year);
    const meeting = await this.meetings.meeting(id);
    const target = { objectType: 'working_group', objectId: id };
    if (user.role === 'coordinator') {
      if (user.region && user.region !== region) throw new OutOfScopeException(`${id} not found`, target);
      return { role: 'manage', meeting };
    }
    if (user.role === 'supervisor') return { role: 'manage', meeting };
    if (user.role === 'member') {
      const country = user.country ? await this.prisma.client.country.findUnique({ where: { iso: user.country }, select: { region: true } }) : null;
      if (!meeting.countries.some((c) => c.iso === user.country) && country?.region !== region) throw new OutOfScopeException(`${id} not found`, target);
      return { role: 'member', meeting };
    }
    return { role: 'read', meeting };
  }

  private refuseUnlessManager(role: PlanRole, what: string, objectId: string): void {
    if (role !== 'manage') throw new RefusedException(`${what}: coordinators of the region, global coordinators and supervisors only`, { objectType: 'action_item', objectId });
  }

  /** The item's row, 404 when missing or (for a member) owned by another country. */
  private async itemRow(user: Principal, role: PlanRole, region: Region, year: number, n: number): Promise<ActionPlanItem> {
    const id = actionItemWorkflowId(region, year, n);
    const row = await this.prisma.client.actionPlanItem.findUnique({ where: { id } });
    if (!row) throw new OutOfScopeException(`${id} not found`, { objectType: 'action_item', objectId: id });
    if (role === 'member' && row.ownerCountry !== user.country) throw new OutOfScopeException(`${id} not found`, { objectType: 'action_item', objectId: id });
    return row;
  }

  /** Live from the workflow while it runs; the read model once it has ended. */
  private async itemSnapshot(row: ActionPlanItem): Promise<ActionItemSnapshot> {
    if (!CLOSED_ITEM_STATUSES.includes(row.status as ActionItemSnapshot['status'])) {
      try {
        return await this.temporal.workflow.getHandle(row.id).query(getActionItemQuery);
      } catch (error) {
        if (!(error instanceof WorkflowNotFoundError || (error as Error)?.name === 'WorkflowNotFoundError') && row.version === 0) throw error;
      }
    }
    return row.snapshot as unknown as ActionItemSnapshot;
  }

  async plan(user: Principal, region: Region, year: number, query: PlanQuery) {
    await this.access(user, region, year);
    const workingGroupId = workingGroupWorkflowId(region, year);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const where: Prisma.ActionPlanItemWhereInput = { workingGroupId, status: query.status, ownerCountry: query.owner, AND: [] };
    if (query.cursor) (where.AND as Prisma.ActionPlanItemWhereInput[]).push(afterCursor(query.cursor, 'createdAt'));
    const [rows, byStatus, overdue, byOwner] = await Promise.all([
      this.prisma.client.actionPlanItem.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 }),
      this.prisma.client.actionPlanItem.groupBy({ by: ['status'], where: { workingGroupId }, _count: { _all: true } }),
      this.prisma.client.actionPlanItem.count({ where: { workingGroupId, status: { in: ['open', 'in_progress'] }, dueDate: { lt: new Date() } } }),
      this.prisma.client.actionPlanItem.groupBy({ by: ['ownerCountry'], where: { workingGroupId }, _count: { _all: true } }),
    ]);
    const page = toPage(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
    const statusCounts = Object.fromEntries(ITEM_STATUSES.map((s) => [s, byStatus.find((b) => b.status === s)?._count._all ?? 0]));
    return {
      workingGroupId,
      items: page.rows.map((r) => {
        const s = r.snapshot as unknown as Partial<ActionItemSnapshot>;
        const notes = s.notes ?? [];
        return {
          id: r.id,
          n: r.n,
          ownerCountry: r.ownerCountry,
          kind: r.kind,
          title: r.title,
          status: r.status,
          dueDate: r.dueDate.toISOString(),
          overdue: r.overdue || (!CLOSED_ITEM_STATUSES.includes(r.status as ActionItemSnapshot['status']) && r.dueDate.getTime() < Date.now()),
          operationId: r.operationId,
          exerciseOperationIds: r.exerciseOperationIds,
          notes: notes.length,
          lastNoteAt: notes.length ? notes[notes.length - 1].at : null,
          updatedAt: r.updatedAt.toISOString(),
        };
      }),
      nextCursor: page.nextCursor,
      totals: {
        items: Object.values(statusCounts).reduce((a, b) => a + b, 0),
        byStatus: statusCounts,
        overdue,
        byOwner: Object.fromEntries(byOwner.map((b) => [b.ownerCountry, b._count._all])),
      },
    };
  }

  async create(user: Principal, region: Region, year: number, dto: CreateActionItemDto, requestId?: string): Promise<ActionItemSnapshot> {
    const { role, meeting } = await this.access(user, region, year);
    const workingGroupId = workingGroupWorkflowId(region, year);
    this.refuseUnlessManager(role, `recording the action plan of ${workingGroupId}`, workingGroupId);
    if (meeting.status !== 'held') throw new ConflictException(`${workingGroupId} has not been held yet; record the action plan after the meeting (mark it held)`);
    const problems: FieldProblem[] = [];
    if (!meeting.countries.some((c) => c.iso === dto.ownerCountry)) problems.push({ field: 'ownerCountry', problem: `${dto.ownerCountry} does not take part in ${workingGroupId}` });
    if (!(Date.parse(dto.dueDate) > Date.now())) problems.push({ field: 'dueDate', problem: 'dueDate must be in the future' });
    if (dto.kind !== 'operation' && (dto.categories || dto.countries)) problems.push({ field: dto.categories ? 'categories' : 'countries', problem: 'categories and countries prefill an operation item only' });
    const countries = [...new Set(dto.countries ?? [dto.ownerCountry])].sort();
    if (dto.countries) {
      const known = new Set((await this.prisma.client.country.findMany({ where: { iso: { in: countries } }, select: { iso: true } })).map((c) => c.iso));
      const unknown = countries.filter((c) => !known.has(c));
      if (unknown.length) problems.push({ field: 'countries', problem: `unknown member countries: ${unknown.join(', ')}` });
    }
    if (problems.length) throw unprocessable(problems);

    // The item's number: the next free one in the plan; the row reserves it before the workflow starts.
    let row: ActionPlanItem | null = null;
    for (let attempt = 0; !row; attempt++) {
      const last = await this.prisma.client.actionPlanItem.findFirst({ where: { workingGroupId }, orderBy: { n: 'desc' }, select: { n: true } });
      const n = (last?.n ?? 0) + 1;
      if (n > MAX_ITEMS_PER_PLAN) throw new ConflictException(`${workingGroupId} has ${MAX_ITEMS_PER_PLAN} action items, the most one plan holds`);
      try {
        row = await this.prisma.client.actionPlanItem.create({
          data: {
            id: actionItemWorkflowId(region, year, n), workingGroupId, region, year, n, ownerCountry: dto.ownerCountry, kind: dto.kind, title: dto.title,
            status: 'open', dueDate: new Date(dto.dueDate), snapshot: {}, createdBy: user.sub,
          },
        });
      } catch (error) {
        if (!isUniqueViolation(error) || attempt >= 5) throw error;
      }
    }
    const input: ActionItemInput = {
      workingGroupId,
      region,
      year,
      n: row.n,
      ownerCountry: dto.ownerCountry,
      kind: dto.kind as ItemKind,
      title: dto.title,
      description: dto.description,
      dueDate: new Date(dto.dueDate).toISOString(),
      categories: dto.categories ?? [],
      countries,
      reminderBeforeMs: parseDurationMs(dto.reminderBefore ?? DEFAULT_REMINDER_BEFORE),
      escalationStepMs: parseDurationMs(dto.escalationStep ?? DEFAULT_ESCALATION_STEP),
      createdBy: actorOf(user, requestId),
    };
    try {
      return await this.temporal.workflow.executeUpdateWithStart(itemCreatedUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation<ActionItemWorkflow>('actionItemWorkflow', {
          workflowId: row.id,
          taskQueue: this.temporalHolder.taskQueue,
          workflowIdConflictPolicy: 'FAIL',
          workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
          args: [input],
        }),
      });
    } catch (error) {
      // Nothing half-done: the reserved number goes back if the workflow never started.
      const started = await this.temporal.workflow.getHandle(row.id).describe().then(() => true, () => false);
      if (!started) await this.prisma.client.actionPlanItem.delete({ where: { id: row.id } }).catch(() => undefined);
      throw error;
    }
  }

  async item(user: Principal, region: Region, year: number, n: number): Promise<ActionItemSnapshot> {
    const { role } = await this.access(user, region, year);
    return this.itemSnapshot(await this.itemRow(user, role, region, year, n));
  }

  /** A progress note: the owner country's members, or those who manage the plan. */
  async note(user: Principal, region: Region, year: number, n: number, dto: NoteDto, requestId?: string) {
    const stamp = this.updates.stamp();
    const { role } = await this.access(user, region, year);
    const row = await this.itemRow(user, role, region, year, n);
    this.refuseReader(role, row.id);
    return this.send(row.id, () => this.updates.execute(row.id, itemNoteUpdate, { actor: actorOf(user, requestId), text: dto.text, ...stamp }));
  }

  /** Done, cancelled or in progress: the owner country's members, or those who manage the plan. */
  async status(user: Principal, region: Region, year: number, n: number, dto: ItemStatusDto, requestId?: string) {
    const stamp = this.updates.stamp();
    const { role } = await this.access(user, region, year);
    const row = await this.itemRow(user, role, region, year, n);
    this.refuseReader(role, row.id);
    return this.send(row.id, () =>
      this.updates.execute(row.id, itemStatusUpdate, { actor: actorOf(user, requestId), status: dto.status as StatusCommand['status'], reason: dto.reason, ...stamp }),
    );
  }

  async dueDate(user: Principal, region: Region, year: number, n: number, dto: DueDateDto, requestId?: string) {
    const stamp = this.updates.stamp();
    const { role } = await this.access(user, region, year);
    const row = await this.itemRow(user, role, region, year, n);
    this.refuseUnlessManager(role, `moving the due date of ${row.id}`, row.id);
    if (!(Date.parse(dto.dueDate) > Date.now())) throw unprocessable([{ field: 'dueDate', problem: 'dueDate must be in the future' }]);
    return this.send(row.id, () =>
      this.updates.execute(row.id, itemDueDateUpdate, { actor: actorOf(user, requestId), dueDate: new Date(dto.dueDate).toISOString(), reason: dto.reason, ...stamp }),
    );
  }

  async training(user: Principal, region: Region, year: number, n: number, dto: TrainingDto, requestId?: string) {
    const stamp = this.updates.stamp();
    const { role } = await this.access(user, region, year);
    const row = await this.itemRow(user, role, region, year, n);
    this.refuseReader(role, row.id);
    const problems: FieldProblem[] = [];
    if (!(Date.parse(dto.endDate) > Date.parse(dto.startDate))) problems.push({ field: 'endDate', problem: 'endDate must be after startDate' });
    if (new Set(dto.trainees.map((t) => t.iso)).size !== dto.trainees.length) problems.push({ field: 'trainees', problem: 'one entry per country' });
    const isos = [...new Set([dto.hostCountry, ...dto.trainees.map((t) => t.iso)])];
    const known = new Set((await this.prisma.client.country.findMany({ where: { iso: { in: isos } }, select: { iso: true } })).map((c) => c.iso));
    const unknown = isos.filter((iso) => !known.has(iso));
    if (unknown.length) problems.push({ field: unknown.includes(dto.hostCountry) ? 'hostCountry' : 'trainees', problem: `unknown member countries: ${unknown.join(', ')}` });
    if (problems.length) throw unprocessable(problems);
    const course = {
      startDate: new Date(dto.startDate).toISOString(),
      endDate: new Date(dto.endDate).toISOString(),
      hostCountry: dto.hostCountry,
      trainees: dto.trainees.map((t) => ({ iso: t.iso, count: t.count })),
    };
    return this.send(row.id, () => this.updates.execute(row.id, itemTrainingUpdate, { actor: actorOf(user, requestId), course, ...stamp }));
  }

  /**
   * One action: an operation item becomes a planned operation (prefilled from the item), or a
   * training item runs an exercise-mode operation. The link is kept on the item; the operation's
   * detail finds the item through the read model.
   */
  async operation(user: Principal, region: Region, year: number, n: number, dto: ItemOperationDto, exercise: boolean, requestId?: string) {
    const { role } = await this.access(user, region, year);
    const row = await this.itemRow(user, role, region, year, n);
    this.refuseUnlessManager(role, `turning ${row.id} into an operation`, row.id);
    const item = await this.itemSnapshot(row);
    // Refused before anything is created; the workflow checks again when it takes the link.
    if (CLOSED_ITEM_STATUSES.includes(item.status)) throw new ConflictException(`${row.id} is ${item.status}; it takes no more changes`);
    if (exercise && item.kind !== 'training') throw new ConflictException(`${row.id} is of kind ${item.kind}; only a training item runs exercises`);
    if (!exercise && item.kind !== 'operation') throw new ConflictException(`${row.id} is of kind ${item.kind}; only an operation item becomes an operation`);
    if (!exercise && item.operationId) throw new ConflictException(`${row.id} became operation ${item.operationId} already`);
    const categories = dto.categories ?? (item.categories.length ? item.categories : exercise ? ['other'] : []);
    if (categories.length === 0) throw unprocessable([{ field: 'categories', problem: `${row.id} names no categories; name them` }]);
    const countries = dto.countries ?? (exercise && item.training ? [...new Set([item.training.hostCountry, ...item.training.trainees.map((t) => t.iso)])] : item.countries.length ? item.countries : [item.ownerCountry]);
    const offsets = exercise ? EXERCISE_OFFSETS : OPERATION_OFFSETS;
    const now = Date.now();
    const at = (k: keyof typeof offsets) => dto[k] ?? new Date(now + offsets[k]).toISOString();
    const created = await this.operations.create(
      user,
      {
        name: dto.name ?? (exercise ? `Exercise: ${item.title}` : item.title).slice(0, 200),
        objective: dto.objective ?? item.description,
        categories,
        countries,
        readinessDeadline: at('readinessDeadline'),
        actionStart: at('actionStart'),
        actionEnd: at('actionEnd'),
        debriefDeadline: at('debriefDeadline'),
        exercise,
      },
      requestId,
    );
    try {
      const linked = await this.updates.execute(row.id, itemLinkOperationUpdate, { actor: actorOf(user, requestId), operationId: created.id, exercise });
      return { operationId: created.id, phase: created.phase, exercise, item: linked };
    } catch (error) {
      // Another call linked the item first: this operation is not wanted.
      await this.operations.steer(user, created.id, 'abort', { reason: `duplicate of ${row.id}'s operation` }, requestId).catch(() => undefined);
      throw this.asHttpError(error, row.id);
    }
  }

  /** Analysts read the plan; they do not write to it. */
  private refuseReader(role: PlanRole, objectId: string): void {
    if (role === 'read') throw new RefusedException('analysts read action plans; the owner country and coordinators write to them', { objectType: 'action_item', objectId });
  }

  private async send(id: string, change: () => Promise<ActionItemSnapshot>): Promise<ActionItemSnapshot> {
    try {
      return await change();
    } catch (error) {
      throw this.asHttpError(error, id);
    }
  }

  private asHttpError(error: unknown, id: string): unknown {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === INVALID_ITEM_CHANGE) return new ConflictException(cause.message);
    if (error instanceof WorkflowNotFoundError || (error as Error)?.name === 'WorkflowNotFoundError') return new ConflictException(`${id} has ended; it takes no more changes`);
    return error;
  }
}
