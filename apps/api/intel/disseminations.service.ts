import { ConflictException, ForbiddenException, GoneException, Injectable, NotFoundException, UnprocessableEntityException } from '@nestjs/common';
import { Prisma } from '@prisma/client';
import { Client, WithStartWorkflowOperation, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { ContactPoint, Priority, Region } from '../../../workflows/common/domain';
import { parseDurationMs } from '../../../workflows/common/duration';
import {
  acknowledgeUpdate,
  APPROVAL_MARKINGS,
  approvalUpdate,
  disseminationCreatedUpdate,
  DisseminationSnapshot,
  DisseminationTotals,
  disseminationWorkflowId,
  feedbackUpdate,
  INVALID_DISSEMINATION_CHANGE,
  recallUpdate,
  RecipientSpec,
  recipientWorkflowId,
  Tlp,
  type DisseminationWorkflow,
} from '../../../workflows/dissemination/dissemination.messages';
import type { Principal } from '../auth/principal';
import { ReadCache } from '../common/read-cache';
import { afterCursor, DEFAULT_PAGE_SIZE, toPage } from '../common/paging';
import { resolveCountries } from '../directory/participants';
import { PrismaService } from '../infra/prisma.service';
import { InjectTemporalClient, TemporalClientHolder } from '../infra/temporal.module';
import { actorOf } from '../support-requests/support-requests.service';
import type { ApprovalDto, DisseminateDto, FeedbackDto, ListDisseminationsQuery } from './intel.dto';
import { IntelService, newId } from './intel.service';

/** How long a dissemination's detail is served from memory (its totals are projected once a second). */
const DETAIL_CACHE_MS = 250;
/** A finished dissemination stays recallable this long before its workflow ends. */
const RETENTION_MS = 90 * 86_400_000;

type DisseminationRow = Prisma.DisseminationGetPayload<{ include: { recipients: true } }>;

// The body is well-formed, but the item's TLP or the directory makes it impossible as asked: 422.
const unprocessable = (details: Array<{ field: string; problem: string }>) => new UnprocessableEntityException({ message: `invalid ${details[0].field}`, details });

@Injectable()
export class DisseminationsService {
  /** Fifty readers polling one 196-country dissemination cost one read per 250 ms. */
  private readonly details = new ReadCache<DisseminationRow>(DETAIL_CACHE_MS);

  constructor(
    private readonly prisma: PrismaService,
    private readonly intel: IntelService,
    @InjectTemporalClient() private readonly temporal: Client,
    private readonly temporalHolder: TemporalClientHolder,
  ) {}

  /** Recipients as countries, groups and regions, or (TLP:RED, and only then) named contacts. */
  private async recipientsFor(tlp: Tlp, dto: DisseminateDto): Promise<RecipientSpec[]> {
    const audience = [...(dto.countries ?? []), ...(dto.groups ?? []), ...(dto.regions ?? [])];
    if (tlp === 'TLP:RED') {
      if (audience.length) throw new UnprocessableEntityException({ message: 'TLP:RED goes to named contacts only', details: [{ field: 'countries', problem: 'not allowed for TLP:RED; name contacts' }] });
      if (!dto.contacts?.length) throw unprocessable([{ field: 'contacts', problem: 'TLP:RED needs at least one named contact' }]);
      const rows = await this.prisma.client.contact.findMany({ where: { id: { in: dto.contacts } }, include: { country: true } });
      const unknown = dto.contacts.filter((id) => !rows.some((r) => r.id === id && r.country));
      if (unknown.length) throw unprocessable([{ field: 'contacts', problem: `not national contacts: ${unknown.join(', ')}` }]);
      const byCountry = new Map<string, { region: Region; named: ContactPoint[] }>();
      for (const r of rows) {
        const entry = byCountry.get(r.countryIso!) ?? { region: r.country!.region as Region, named: [] };
        entry.named.push({ id: r.id, name: r.name, role: r.role, channel: r.channel as ContactPoint['channel'], address: r.address });
        byCountry.set(r.countryIso!, entry);
      }
      return [...byCountry].map(([iso, e]) => ({ iso, region: e.region, named: e.named })).sort((a, b) => a.iso.localeCompare(b.iso));
    }
    if (dto.contacts?.length) throw new UnprocessableEntityException({ message: 'named contacts are for TLP:RED only', details: [{ field: 'contacts', problem: `not allowed for ${tlp}; name countries, groups or regions` }] });
    const countries = await resolveCountries(this.prisma.client, dto);
    if (countries.length === 0) throw unprocessable([{ field: 'countries', problem: 'name at least one country, group or region' }]);
    return countries;
  }

  async disseminate(user: Principal, intelId: string, dto: DisseminateDto, requestId?: string) {
    const item = await this.intel.readable(user, intelId);
    if (item.status === 'duplicate') throw new ConflictException(`intel item ${intelId} is a duplicate of ${item.duplicateOf}; disseminate that one`);
    if (item.status === 'awaiting_grading') throw new ConflictException(`intel item ${intelId} awaits an analyst's grading; grade it first`);
    const tlp = item.tlp as Tlp;
    const recipients = await this.recipientsFor(tlp, dto);
    const policy = await this.prisma.client.slaPolicy.findUniqueOrThrow({ where: { priority: item.priority } });
    const ackMs = parseDurationMs(policy.acknowledge);
    // Only the originator decides who hears a RED or AMBER+STRICT item beyond itself.
    const approvalRequired = APPROVAL_MARKINGS.includes(tlp) && user.sub !== item.originatorSub;
    const id = newId('DS');
    const snapshot = await this.temporal.workflow.executeUpdateWithStart(disseminationCreatedUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation<DisseminationWorkflow>('disseminationWorkflow', {
        workflowId: disseminationWorkflowId(id),
        taskQueue: this.temporalHolder.taskQueue,
        workflowIdConflictPolicy: 'FAIL',
        args: [
          {
            id,
            intelId,
            tlp,
            priority: item.priority as Priority,
            analyst: actorOf(user, requestId),
            recipients,
            policy: {
              ackMs,
              feedbackReminderMs: dto.feedbackReminder ? parseDurationMs(dto.feedbackReminder) : 3 * ackMs,
              approvalMs: dto.approvalWithin ? parseDurationMs(dto.approvalWithin) : ackMs,
              retentionMs: RETENTION_MS,
            },
            originatorSub: item.originatorSub,
            approvalRequired,
          },
        ],
      }),
    });
    return { id: snapshot.id, intelId, status: snapshot.status, recipients: snapshot.recipients.length, approvalRequired };
  }

  async list(user: Principal, query: ListDisseminationsQuery) {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const where: Prisma.DisseminationWhereInput[] = [{ status: query.status, intelId: query.intelId }];
    if (user.role === 'member') where.push({ recipients: { some: { iso: user.country } } });
    if (query.cursor) where.push(afterCursor(query.cursor, 'createdAt'));
    const rows = await this.prisma.client.dissemination.findMany({
      where: { AND: where },
      include: { recipients: { where: user.role === 'member' ? { iso: user.country } : { iso: '--' } } },
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit + 1,
    });
    const page = toPage(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
    return {
      items: page.rows.map((r) => ({
        id: r.id,
        intelId: r.intelId,
        tlp: r.tlp,
        priority: r.priority,
        status: r.status,
        createdAt: r.createdAt.toISOString(),
        ...(user.role === 'member' ? { recipient: r.recipients.map((x) => this.recipientView(x, false))[0] ?? null } : { recipients: r.recipientCount, totals: r.totals }),
      })),
      nextCursor: page.nextCursor,
    };
  }

  /** Staff see every recipient; a member only its own country's row (others: 404). */
  private async findVisible(user: Principal, id: string): Promise<DisseminationRow> {
    const row = await this.prisma.client.dissemination.findUnique({
      where: { id },
      include: { recipients: { where: user.role === 'member' ? { iso: user.country } : undefined, orderBy: { iso: 'asc' } } },
    });
    if (!row || (user.role === 'member' && row.recipients.length === 0 && row.intelId && !(await this.isOriginator(user, row.intelId)))) {
      throw new NotFoundException(`dissemination ${id} not found`);
    }
    return row;
  }

  private async isOriginator(user: Principal, intelId: string): Promise<boolean> {
    return (await this.prisma.client.intelItem.count({ where: { id: intelId, originatorSub: user.sub } })) > 0;
  }

  private recipientView(r: DisseminationRow['recipients'][number], attempts: boolean) {
    const feedback = r.feedback as { outcome: string; note: string; by: string; at: string } | null;
    return {
      iso: r.iso,
      region: r.region,
      status: r.status,
      level: r.level,
      levelName: r.levelName,
      deliveredAt: r.deliveredAt?.toISOString() ?? null,
      acknowledgedAt: r.acknowledgedAt?.toISOString() ?? null,
      acknowledgedBy: r.acknowledgedBy,
      feedback: feedback ? { outcome: feedback.outcome, note: feedback.note, at: feedback.at } : null,
      ...(attempts ? { attempts: r.attempts } : {}),
    };
  }

  async detail(user: Principal, id: string) {
    const full = await this.details.get(id, () =>
      this.prisma.client.dissemination.findUnique({ where: { id }, include: { recipients: { orderBy: { iso: 'asc' } } } }).then((r) => {
        if (!r) throw new NotFoundException(`dissemination ${id} not found`);
        return r;
      }),
    );
    const own = user.role === 'member' ? full.recipients.filter((r) => r.iso === user.country) : full.recipients;
    if (user.role === 'member' && own.length === 0 && !(await this.isOriginator(user, full.intelId))) throw new NotFoundException(`dissemination ${id} not found`);
    const row = { ...full, recipients: own };
    const member = user.role === 'member';
    // Totals are the workflow's own (kept live from its recipients' signals, projected at most a
    // second late): reading them never queries or scans the recipient workflows.
    const totals = row.totals as unknown as DisseminationTotals;
    const status = row.status;
    return {
      id: row.id,
      intelId: row.intelId,
      tlp: row.tlp,
      priority: row.priority,
      status,
      createdAt: row.createdAt.toISOString(),
      approval: member ? undefined : row.approval,
      recall: row.recalledAt ? { reason: row.recallReason, at: row.recalledAt.toISOString() } : null,
      recipients: row.recipients.map((r) => this.recipientView(r, true)),
      ...(member ? {} : { analyst: row.analystSub, totals }),
    };
  }

  /** Acknowledgement and feedback come from members of the recipient country only. */
  async answer(user: Principal, id: string, iso: string, kind: 'ack' | 'feedback', body: FeedbackDto | undefined, requestId?: string) {
    if (user.role === 'member' && user.country !== iso) throw new NotFoundException(`${iso} is not visible in dissemination ${id}`);
    const row = await this.findVisible(user, id);
    if (user.role !== 'member') throw new ForbiddenException(`only members of ${iso} answer for ${iso}`);
    const recipient = row.recipients.find((r) => r.iso === iso);
    if (!recipient) throw new NotFoundException(`${iso} is not a recipient of dissemination ${id}`);
    if (row.status === 'recalled') throw new GoneException(`dissemination ${id} was recalled`);
    const actor = actorOf(user, requestId);
    const handle = this.temporal.workflow.getHandle(recipientWorkflowId(id, iso));
    try {
      const snap =
        kind === 'ack'
          ? await handle.executeUpdate(acknowledgeUpdate, { args: [{ actor }] })
          : await handle.executeUpdate(feedbackUpdate, { args: [{ actor, outcome: body!.outcome, note: body!.note }] });
      return { id, iso, status: snap.status, acknowledgedAt: snap.acknowledgedAt, feedback: snap.feedback };
    } catch (error) {
      throw this.asHttpError(error, `${iso}'s part in dissemination ${id}`);
    }
  }

  async recall(user: Principal, id: string, reason: string, requestId?: string): Promise<DisseminationSnapshot> {
    const row = await this.findVisible(user, id);
    try {
      const recalled = await this.temporal.workflow.getHandle(row.workflowId).executeUpdate(recallUpdate, { args: [{ actor: actorOf(user, requestId), reason }] });
      this.details.forget(id);
      return recalled;
    } catch (error) {
      throw this.asHttpError(error, `dissemination ${id}`);
    }
  }

  async approve(user: Principal, id: string, dto: ApprovalDto, requestId?: string): Promise<DisseminationSnapshot> {
    const row = await this.findVisible(user, id);
    const originator = await this.isOriginator(user, row.intelId);
    if (!originator) throw new ForbiddenException(`only the originator of ${row.intelId} decides on its audience`);
    try {
      return await this.temporal.workflow.getHandle(row.workflowId).executeUpdate(approvalUpdate, { args: [{ actor: actorOf(user, requestId), decision: dto.decision, note: dto.note }] });
    } catch (error) {
      throw this.asHttpError(error, `dissemination ${id}`);
    }
  }

  private asHttpError(error: unknown, what: string): unknown {
    const cause = error instanceof WorkflowUpdateFailedError ? error.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === INVALID_DISSEMINATION_CHANGE) {
      if (/recalled/.test(cause.message) && !/already recalled/.test(cause.message)) return new GoneException(cause.message);
      return new ConflictException(cause.message);
    }
    if (error instanceof WorkflowNotFoundError || (error as Error)?.name === 'WorkflowNotFoundError') {
      return new ConflictException(`${what} has ended; it accepts no more changes`);
    }
    return error;
  }
}
