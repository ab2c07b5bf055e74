import { createHash, randomBytes } from 'node:crypto';
import { GoneException, Injectable, NotFoundException } from '@nestjs/common';
import { Prisma } from '@prisma/client';
import { deconflict } from '../../../activities/deconfliction/deconfliction-index';
import { indicatorSetKey, normalizeIndicators } from '../../../activities/deconfliction/normalize';
import type { Deconfliction } from '../../../workflows/common/deconfliction';
import type { Indicator } from '../../../workflows/common/domain';
import type { Tlp } from '../../../workflows/dissemination/dissemination.messages';
import type { Principal } from '../auth/principal';
import { afterCursor, DEFAULT_PAGE_SIZE, toPage } from '../common/paging';
import { AuditService } from '../infra/audit.service';
import { PrismaService } from '../infra/prisma.service';
import { deconflictionFor } from '../support-requests/support-requests.service';
import { AccessFacts, readAccess } from './intel-access';
import type { ListIntelQuery, SubmitIntelDto } from './intel.dto';

export const newId = (prefix: 'IN' | 'DS') => `${prefix}-${randomBytes(5).toString('hex').toUpperCase()}`;

/** What the TLP rules need about an item's disseminations, for one caller (an index lookup per item). */
export const accessInclude = (user: Principal) =>
  ({
    disseminations: {
      select: {
        id: true,
        status: true,
        analystSub: true,
        namedAddresses: true,
        createdAt: true,
        recipients: { where: { iso: user.country ?? '--' }, select: { iso: true } },
      },
    },
  }) satisfies Prisma.IntelItemInclude;

export type ItemWithAccess = Prisma.IntelItemGetPayload<{ include: ReturnType<typeof accessInclude> }>;

export const factsOf = (item: ItemWithAccess): AccessFacts => ({
  tlp: item.tlp as Tlp,
  originatorSub: item.originatorSub,
  originatorCountry: item.originatorCountry,
  disseminations: item.disseminations.map((d) => ({ status: d.status, analystSub: d.analystSub, namedAddresses: d.namedAddresses, recipientIsos: d.recipients.map((r) => r.iso) })),
});

export type ReadVia = 'api' | 'stix' | 'taxii' | 'list';

@Injectable()
export class IntelService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Intake: normalise, deconflict against the one index, store. An item whose normalised set
   * equals an earlier item's is a `duplicate` of it (one index probe on the set's hash).
   */
  async submit(user: Principal, dto: SubmitIntelDto, requestId?: string) {
    const indicators = normalizeIndicators(dto.indicators);
    const setHash = indicators.length ? createHash('sha256').update(indicatorSetKey(indicators)).digest('hex') : null;
    const id = newId('IN');
    const originatorCountry = user.role === 'member' ? user.country! : null;
    const { item, deconfliction } = await this.prisma.client.$transaction(async (tx) => {
      let duplicateOf: string | null = null;
      if (setHash) {
        // Two identical submissions at once: the second waits for the first and sees it.
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${setHash}, 0))`;
        const earlier = await tx.intelItem.findFirst({ where: { indicatorSetHash: setHash, status: { not: 'duplicate' } }, orderBy: { createdAt: 'asc' }, select: { id: true } });
        duplicateOf = earlier?.id ?? null;
      }
      const found: Deconfliction = await deconflict(tx, { objectType: 'intel', objectId: id, country: originatorCountry }, indicators);
      const created = await tx.intelItem.create({
        data: {
          id,
          title: dto.title,
          summary: dto.summary,
          categories: dto.categories,
          indicators: indicators as unknown as Prisma.InputJsonValue,
          indicatorSetHash: setHash,
          priority: dto.priority,
          tlp: dto.tlp,
          sourceKind: dto.source.kind,
          sourceName: dto.source.name ?? null,
          reliability: dto.source.reliability,
          credibility: dto.credibility,
          status: duplicateOf ? 'duplicate' : 'received',
          duplicateOf,
          originatorSub: user.sub,
          originatorRole: user.role,
          originatorCountry,
          deconfliction: found as unknown as Prisma.InputJsonValue,
        },
      });
      await this.audit.append(
        {
          actor: user,
          action: 'intel.submit',
          objectType: 'intel',
          objectId: id,
          afterState: created.status,
          data: { tlp: dto.tlp, priority: dto.priority, grading: `${dto.source.reliability}${dto.credibility}`, indicators: indicators.length, duplicateOf, hit: found.hit },
          requestId,
        },
        tx,
      );
      return { item: created, deconfliction: found };
    }, { maxWait: 10_000, timeout: 20_000 });
    return { id: item.id, status: item.status, duplicateOf: item.duplicateOf, deconfliction: deconflictionFor(user, deconfliction) };
  }

  /** The item if the caller may read its content: 404 otherwise, 410 for a recalled recipient. */
  async readable(user: Principal, id: string): Promise<ItemWithAccess> {
    const item = await this.prisma.client.intelItem.findUnique({ where: { id }, include: accessInclude(user) });
    const access = item ? readAccess(user, factsOf(item)) : 'hidden';
    if (!item || access === 'hidden') throw new NotFoundException(`intel item ${id} not found`);
    if (access === 'recalled') throw new GoneException(`intel item ${id} was recalled; it is no longer served`);
    return item;
  }

  /** Every read of content is on the audit trail (who, what, when, through which door). */
  async auditReads(user: Principal, ids: string[], via: ReadVia, requestId?: string): Promise<void> {
    if (ids.length === 0) return;
    await this.prisma.client.$transaction(async (tx) => {
      for (const objectId of ids) await this.audit.append({ actor: user, action: 'intel.read', objectType: 'intel', objectId, data: { via }, requestId }, tx);
    });
  }

  async detail(user: Principal, id: string, requestId?: string) {
    const item = await this.readable(user, id);
    await this.auditReads(user, [item.id], 'api', requestId);
    return this.view(user, item, true);
  }

  view(user: Principal, item: ItemWithAccess, full: boolean) {
    const staff = user.role !== 'member';
    const own = user.sub === item.originatorSub || (user.role === 'member' && user.country === item.originatorCountry);
    return {
      id: item.id,
      title: item.title,
      tlp: item.tlp,
      priority: item.priority,
      categories: item.categories,
      status: item.status,
      duplicateOf: item.duplicateOf,
      source: { kind: item.sourceKind, name: item.sourceName, reliability: item.reliability },
      credibility: item.credibility,
      grading: `${item.reliability}${item.credibility}`,
      originator: { country: item.originatorCountry, role: item.originatorRole, ...(staff || own ? { sub: item.originatorSub } : {}) },
      createdAt: item.createdAt.toISOString(),
      ...(full
        ? {
            summary: item.summary,
            indicators: item.indicators as unknown as Indicator[],
            ...(staff || own ? { deconfliction: deconflictionFor(user, item.deconfliction as unknown as Deconfliction) } : {}),
            ...(staff ? { disseminations: item.disseminations.map((d) => ({ id: d.id, status: d.status, createdAt: d.createdAt.toISOString() })) } : {}),
          }
        : {}),
    };
  }

  /**
   * Inbox. Members: what was sent to their country and what they (or their country) submitted.
   * Staff: everything their role may read. Each row is checked against the TLP rules again.
   */
  async list(user: Principal, query: ListIntelQuery, requestId?: string) {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const where: Prisma.IntelItemWhereInput[] = [
      { tlp: query.tlp, priority: query.priority, status: query.status, originatorCountry: query.country, ...(query.category ? { categories: { has: query.category } } : {}) },
      this.visibleWhere(user),
    ];
    if (query.cursor) where.push(afterCursor(query.cursor, 'createdAt'));
    const rows = await this.prisma.client.intelItem.findMany({ where: { AND: where }, include: accessInclude(user), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 });
    const page = toPage(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
    const items = page.rows.filter((r) => readAccess(user, factsOf(r)) === 'read');
    await this.auditReads(user, items.map((r) => r.id), 'list', requestId);
    return { items: items.map((r) => this.view(user, r, false)), nextCursor: page.nextCursor };
  }

  /** The same rules as readAccess, as a query (so pages are full and nothing is scanned in memory). */
  visibleWhere(user: Principal): Prisma.IntelItemWhereInput {
    const live = { in: ['active', 'completed'] };
    const mine: Prisma.IntelItemWhereInput = { originatorSub: user.sub };
    const namedTo: Prisma.IntelItemWhereInput = { tlp: 'TLP:RED', disseminations: { some: { status: live, namedAddresses: { has: user.sub } } } };
    switch (user.role) {
      case 'member':
        return {
          OR: [
            mine,
            namedTo,
            { originatorCountry: user.country, tlp: { not: 'TLP:RED' } },
            { tlp: { not: 'TLP:RED' }, disseminations: { some: { status: live, recipients: { some: { iso: user.country } } } } },
          ],
        };
      case 'analyst':
        return { OR: [mine, namedTo, { tlp: { not: 'TLP:RED' } }, { tlp: 'TLP:RED', disseminations: { some: { analystSub: user.sub } } }] };
      case 'supervisor':
        return { OR: [mine, namedTo, { tlp: { not: 'TLP:RED' } }] };
      case 'coordinator':
        return { OR: [mine, namedTo, { tlp: { in: ['TLP:CLEAR', 'TLP:GREEN', 'TLP:AMBER'] } }] };
      default:
        return { OR: [mine, namedTo, { tlp: { in: ['TLP:CLEAR', 'TLP:GREEN'] } }] };
    }
  }
}
