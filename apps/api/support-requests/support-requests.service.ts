import { createHash, randomBytes } from 'node:crypto';
import {
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  Injectable,
  NotFoundException,
  UnprocessableEntityException,
} from '@nestjs/common';
import { Prisma, SlaPolicy, SupportRequest } from '@prisma/client';
import {
  Client,
  WithStartWorkflowOperation,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { Actor, Category, Indicator, Priority, Region } from '../../../workflows/common/domain';
import { parseDurationMs } from '../../../workflows/common/duration';
import { clockAt } from '../../../workflows/sla/sla-clock';
import {
  Deconfliction,
  getSnapshotQuery,
  LIFECYCLE_UPDATES,
  LifecycleChange,
  Mode,
  PolicySnapshot,
  submittedUpdate,
  supportRequestWorkflowId,
  SupportRequestInput,
  SupportRequestSnapshot,
  type SupportRequestWorkflow,
} from '../../../workflows/support-request/support-request.messages';
import { INVALID_TRANSITION, mergeNotes } from '../../../workflows/support-request/support-request.state';
import { CHANGE_ROLES } from '../../../workflows/support-request/support-request.rules';
import { OutOfScopeException, RefusedException } from '../auth/denials';
import type { Principal } from '../auth/principal';
import { inScope, scopeOf } from '../auth/scope';
import { FieldProblem, unprocessable } from '../common/errors';
import type { Consistency } from '../common/consistency';
import { normalizeIndicators } from '../common/indicators';
import { afterCursor, DEFAULT_PAGE_SIZE, toPage } from '../common/paging';
import { ReadCache } from '../common/read-cache';
import { DirectoryCache } from '../directory/directory-cache.service';
import { PrismaService } from '../infra/prisma.service';
import { StaffService } from '../staff/staff.service';
import { InjectTemporalClient, TemporalClientHolder } from '../infra/temporal.module';
import { WorkflowUpdates } from '../infra/workflow-updates';
import { ActionDto, IDEMPOTENCY_KEY, ListSupportRequestsQuery, SubmitSupportRequestDto, TriageDto } from './support-requests.dto';

/** JSON with sorted keys: the same body hashes the same whatever order its fields came in. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

/** Rules across fields that a schema cannot state: well-formed, but not possible as asked (422). */
function crossFieldProblems(change: LifecycleChange, body: object): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (change === 'triage') {
    const t = body as TriageDto;
    if (t.decision === 'reject' && !t.reason) problems.push({ field: 'reason', problem: 'a rejection needs a reason' });
    if (t.decision === 'duplicate' && !t.duplicateOf) problems.push({ field: 'duplicateOf', problem: 'name the request this one duplicates' });
  }
  if (change === 'actions' && (body as ActionDto).kind === 'on_site_deployment') {
    const a = body as ActionDto;
    for (const f of ['startsAt', 'endsAt', 'team'] as const) if (a[f] === undefined) problems.push({ field: f, problem: 'required for an on-site deployment' });
    if (a.startsAt && a.endsAt && Date.parse(a.startsAt) > Date.parse(a.endsAt)) problems.push({ field: 'endsAt', problem: 'must not be before startsAt' });
  }
  return problems;
}

/** Who may make each lifecycle change (scope is checked separately: out of scope is 404). */

export function actorOf(user: Principal, requestId?: string): Actor {
  return { sub: user.sub, role: user.role, country: user.country, region: user.region, requestId };
}

/** The requester sees hit/no-hit and whom to call; staff also see the other object and country. */
export function deconflictionFor(user: Principal, d: Deconfliction | null | undefined) {
  if (!d) return { hit: false, hits: [] };
  // Partners, like members, learn hit / no-hit and whom to call, never the other objects.
  if (user.role !== 'member' && user.role !== 'partner') return d;
  return {
    hit: d.hit,
    checkedAt: d.checkedAt,
    hits: d.hits.map((h) => ({ indicator: h.indicator, contact: h.contact })),
    alreadyActedUpon: d.alreadyActedUpon ?? false,
    actedUpon: (d.actedUpon ?? []).map((a) => ({ indicator: a.indicator, outcome: a.outcome, contact: a.contact })),
  };
}

/** The clocks at read time, as the detail shows them, so a list (the console's triage queue) can sort by time left without a query per row. */
function clocksOf(projected: SupportRequestSnapshot | null) {
  if (!projected?.sla) return null;
  const s = withClocksAt(projected, Date.now());
  const clock = (c: SupportRequestSnapshot['sla'][keyof SupportRequestSnapshot['sla']]) => ({ deadline: c.deadline, state: c.state, budgetMs: c.budgetMs, remainingMs: c.remainingMs, pausedMs: c.pausedMs });
  return { warnAt: s.policy.warnAt, triage: clock(s.sla.triage), firstResponse: clock(s.sla.firstResponse), resolution: clock(s.sla.resolution) };
}

/** The SLA policy row as the workflow keeps it: fixed at submission, durations in ms. */
export function policySnapshot(policy: SlaPolicy): PolicySnapshot {
  return {
    priority: policy.priority as Priority,
    version: policy.version,
    triageMs: parseDurationMs(policy.triage),
    firstResponseMs: parseDurationMs(policy.firstResponse),
    resolutionMs: parseDurationMs(policy.resolution),
    warnAt: policy.warnAt,
    escalationStepMs: parseDurationMs(policy.escalationStep),
    escalationLoops: policy.escalationLoops,
    ackExpiryMs: parseDurationMs(policy.ackExpiry),
    autoCloseAfterMs: parseDurationMs(policy.autoCloseAfter),
  };
}

/** A projected snapshot as it stands at `now`: only the SLA clocks move between transitions. */
export function withClocksAt(s: SupportRequestSnapshot, now: number): SupportRequestSnapshot {
  const sla = { ...s.sla };
  for (const name of Object.keys(sla) as Array<keyof typeof sla>) sla[name] = clockAt(sla[name], s.policy.warnAt, now);
  return { ...s, sla };
}

/**
 * A new request's workflow and its first update, started together (update-with-start): answered
 * once the request is deconflicted and in the read model. The id is fresh: an existing workflow
 * with it is an error, never joined.
 */
export function submission(input: SupportRequestInput, taskQueue: string) {
  return {
    startWorkflowOperation: new WithStartWorkflowOperation<SupportRequestWorkflow>('supportRequestWorkflow', {
      workflowId: supportRequestWorkflowId(input.id),
      taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'FAIL',
    }),
  };
}

/** The workflow's input: plain data only, from the validated DTO and the directory rows. */
export function buildSupportRequestInput(parts: {
  id: string;
  country: { iso: string; region: string };
  requester: Actor;
  dto: SubmitSupportRequestDto;
  indicators: Indicator[];
  policy: SlaPolicy;
  idempotency?: SupportRequestInput['idempotency'];
}): SupportRequestInput {
  const { dto } = parts;
  return {
    id: parts.id,
    country: parts.country.iso,
    region: parts.country.region as Region,
    requester: parts.requester,
    category: dto.category as Category,
    mode: dto.mode as Mode,
    priority: dto.priority as Priority,
    title: dto.title,
    description: dto.description,
    indicators: parts.indicators,
    relatedRefs: dto.relatedRefs ?? [],
    onSite: dto.onSite ? { ...dto.onSite } : undefined,
    policy: policySnapshot(parts.policy),
    idempotency: parts.idempotency,
  };
}

/** What a detail read needs of the row: scope, the snapshot and its freshness. */
const DETAIL_COLUMNS = { id: true, workflowId: true, country: true, region: true, snapshot: true, updatedAt: true } as const;
type DetailRow = Prisma.SupportRequestGetPayload<{ select: typeof DETAIL_COLUMNS }>;
/**
 * Detail reads share one database read per request for this long (single flight): many desks
 * watching one request cost one query. This process's own changes forget it at once; the
 * projection is behind its workflow anyway, and the clocks are computed at each read.
 */
const DETAIL_CACHE_MS = 250;

@Injectable()
export class SupportRequestsService {
  private readonly details = new ReadCache<DetailRow>(DETAIL_CACHE_MS);

  constructor(
    private readonly prisma: PrismaService,
    @InjectTemporalClient() private readonly temporal: Client,
    private readonly temporalHolder: TemporalClientHolder,
    private readonly staff: StaffService,
    private readonly updates: WorkflowUpdates,
    private readonly directory: DirectoryCache,
  ) {}

  async submit(user: Principal, dto: SubmitSupportRequestDto, idempotencyKey: string | undefined, requestId?: string) {
    // The database must be reachable: a submission during an outage answers 503 at once instead
    // of starting a workflow that waits on its first projection (and lands after the caller gave up).
    const [country] = await Promise.all([this.directory.country(user.country!), this.prisma.assertReachable()]);
    if (!country) throw new ForbiddenException(`country ${user.country} is not a member country`);
    const policy = await this.directory.slaPolicy(dto.priority);
    if (!policy) throw new UnprocessableEntityException(`no SLA policy for ${dto.priority}`);
    const indicators: Indicator[] = normalizeIndicators(dto.indicators);
    const requestHash = createHash('sha256').update(canonicalJson({ ...dto, indicators })).digest('hex');

    if (idempotencyKey === undefined) {
      const id = `SR-${randomBytes(6).toString('hex').toUpperCase()}`;
      const input = buildSupportRequestInput({ id, country, requester: actorOf(user, requestId), dto, indicators, policy });
      const snapshot = await this.temporal.workflow.executeUpdateWithStart(submittedUpdate, submission(input, this.temporalHolder.taskQueue));
      return { created: true, body: this.submitAnswer(user, snapshot) };
    }

    if (!IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new BadRequestException({ message: 'invalid Idempotency-Key', details: [{ field: 'Idempotency-Key', problem: 'must be 1-200 visible ASCII characters' }] });
    }
    // The key names the request: every retry, concurrent or late, reaches the same workflow id.
    const id = `SR-${createHash('sha256').update(`${user.sub}\n${idempotencyKey}`).digest('hex').slice(0, 12).toUpperCase()}`;
    const sameRequest = (hash: string | null | undefined) => {
      if (hash !== requestHash) throw new UnprocessableEntityException({
        message: 'this Idempotency-Key was already used for a different request',
        details: [{ field: 'Idempotency-Key', problem: 'already used with another body' }],
      });
    };
    const existing = await this.prisma.client.supportRequest.findUnique({ where: { id } });
    if (existing) {
      sameRequest(existing.requestHash);
      return { created: false, body: this.submitAnswer(user, existing.snapshot as unknown as SupportRequestSnapshot) };
    }

    // Temporal decides who is first: exactly one start succeeds (201); the id is never reused, so
    // every other caller, concurrent or later, joins that workflow and is answered 200 (or 422).
    const workflowId = supportRequestWorkflowId(id);
    const input = buildSupportRequestInput({
      id, country, requester: actorOf(user, requestId), dto, indicators, policy, idempotency: { key: idempotencyKey, requestHash },
    });
    let created = true;
    try {
      await this.temporal.workflow.start<SupportRequestWorkflow>('supportRequestWorkflow', {
        workflowId,
        taskQueue: this.temporalHolder.taskQueue,
        args: [input],
        workflowIdConflictPolicy: 'FAIL',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
      created = false;
    }
    let snapshot: SupportRequestSnapshot;
    try {
      snapshot = await this.temporal.workflow.getHandle(workflowId).executeUpdate(submittedUpdate);
    } catch (error) {
      // The workflow has already ended: its last projection answers.
      const row = await this.prisma.client.supportRequest.findUnique({ where: { id } });
      if (created || !row) throw error;
      snapshot = row.snapshot as unknown as SupportRequestSnapshot;
    }
    if (!created) sameRequest(snapshot.idempotency?.requestHash);
    return { created, body: this.submitAnswer(user, snapshot) };
  }

  private submitAnswer(user: Principal, s: SupportRequestSnapshot) {
    return {
      id: s.id,
      status: s.status,
      country: s.country,
      priority: s.priority,
      category: s.category,
      submittedAt: s.submittedAt,
      deconfliction: deconflictionFor(user, s.deconfliction),
    };
  }

  /** The read-model row, or 404 when it does not exist or lies outside the caller's scope. */
  async findInScope(user: Principal, id: string): Promise<SupportRequest> {
    const row = await this.prisma.client.supportRequest.findUnique({ where: { id } });
    if (!row) throw new NotFoundException(`support request ${id} not found`);
    if (!inScope(user, row)) throw new OutOfScopeException(`support request ${id} not found`, { objectType: 'support_request', objectId: id });
    return row;
  }

  async list(user: Principal, query: ListSupportRequestsQuery) {
    const scope = scopeOf(user);
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const where: Prisma.SupportRequestWhereInput = {
      status: query.status,
      priority: query.priority,
      category: query.category,
      AND: [
        query.country ? { country: query.country } : {},
        scope.country ? { country: scope.country } : {},
        scope.region ? { region: scope.region } : {},
      ],
    };
    if (query.cursor) (where.AND as Prisma.SupportRequestWhereInput[]).push(afterCursor(query.cursor, 'createdAt'));
    const rows = await this.prisma.client.supportRequest.findMany({
      where,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const page = toPage(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
    return {
      items: page.rows.map((r) => ({
        id: r.id,
        status: r.status,
        country: r.country,
        region: r.region,
        priority: r.priority,
        category: r.category,
        mode: r.mode,
        title: r.title,
        assignee: r.assignee,
        sla: clocksOf(r.snapshot as unknown as SupportRequestSnapshot),
        createdAt: r.createdAt.toISOString(),
        updatedAt: r.updatedAt.toISOString(),
      })),
      nextCursor: page.nextCursor,
    };
  }

  /**
   * The projected snapshot with its clocks brought to now; `live` asks the workflow instead
   * (falling back to the projection when it cannot answer, e.g. once it has ended).
   */
  async detail(user: Principal, id: string, consistency: Consistency = 'projected') {
    // A missing row is thrown, not cached: a request projected a moment later is found at once.
    const row = await this.details.get(id, async () => {
      const found = await this.prisma.client.supportRequest.findUnique({ where: { id }, select: DETAIL_COLUMNS });
      if (!found) throw new NotFoundException(`support request ${id} not found`);
      return found;
    });
    if (!inScope(user, row)) throw new OutOfScopeException(`support request ${id} not found`, { objectType: 'support_request', objectId: id });
    const projected = row.snapshot as unknown as SupportRequestSnapshot;
    if (consistency === 'live') {
      try {
        const snapshot = mergeNotes(projected, await this.temporal.workflow.getHandle(row.workflowId).query(getSnapshotQuery));
        return this.view(user, snapshot, true, row.updatedAt);
      } catch {
        // ended or unreachable workflow: the read model below
      }
    }
    return this.view(user, withClocksAt(projected, Date.now()), false, row.updatedAt);
  }

  /** `live` says where the answer came from; `version` and `projectedAt` how fresh the read model is. */
  view(user: Principal, s: SupportRequestSnapshot, live = true, projectedAt?: Date) {
    const { idempotency: _hidden, ...rest } = s;
    return {
      ...rest,
      deconfliction: deconflictionFor(user, s.deconfliction),
      live,
      projectedAt: projectedAt?.toISOString() ?? null,
    };
  }

  async history(user: Principal, id: string) {
    await this.findInScope(user, id);
    const events = await this.prisma.client.auditEvent.findMany({
      where: { objectType: 'support_request', objectId: id },
      orderBy: { id: 'asc' },
    });
    return {
      items: events.map((e) => ({
        id: e.id.toString(),
        at: e.at.toISOString(),
        action: e.action,
        actor: { sub: e.actorSub, role: e.actorRole, country: e.actorCountry },
        before: e.beforeState,
        after: e.afterState,
        data: e.data,
        requestId: e.requestId,
      })),
      nextCursor: null,
    };
  }

  async change(user: Principal, id: string, change: LifecycleChange, body: object, requestId?: string) {
    // "Received" is defined here, by the API: the SLA judges the change by this instant.
    const stamp = this.updates.stamp();
    const row = await this.findInScope(user, id);
    if (!CHANGE_ROLES[change].includes(user.role)) {
      throw new RefusedException(`role ${user.role} may not ${change} a support request`, { objectType: 'support_request', objectId: id });
    }
    const problems = crossFieldProblems(change, body);
    if (change === 'triage' && (body as TriageDto).duplicateOf) {
      const original = await this.prisma.client.supportRequest.findUnique({ where: { id: (body as TriageDto).duplicateOf } });
      if (!original || !inScope(user, original)) problems.push({ field: 'duplicateOf', problem: 'no such support request' });
    }
    if (problems.length) throw unprocessable(problems);
    if (change === 'assign') {
      // The assignee is paged by escalations: only an active officer of the directory, by their stored address.
      const officer = await this.staff.activeOfficer((body as { assignee: string }).assignee);
      body = { ...body, assignee: officer.email };
    }
    const command = { ...body, actor: actorOf(user, requestId), ...stamp };
    try {
      const snapshot = await this.updates.execute(row.workflowId, LIFECYCLE_UPDATES[change] as typeof LIFECYCLE_UPDATES.close, command);
      this.details.forget(id); // read-your-writes: the next detail reads the new projection
      return this.view(user, snapshot);
    } catch (error) {
      throw this.asHttpError(error, row);
    }
  }

  private asHttpError(error: unknown, row: SupportRequest): unknown {
    if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure && error.cause.type === INVALID_TRANSITION) {
      return new ConflictException(error.cause.message);
    }
    if (error instanceof WorkflowNotFoundError || (error as Error)?.name === 'WorkflowNotFoundError') {
      return new ConflictException(`support request ${row.id} is ${row.status}; it accepts no more changes`);
    }
    if (error instanceof HttpException) return error;
    return error;
  }
}
