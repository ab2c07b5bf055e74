import { createHash, randomBytes } from 'node:crypto';
import { ConflictException, GoneException, Injectable, NotFoundException } from '@nestjs/common';
import type { PartnerGrant } from '@prisma/client';
import { Prisma } from '@prisma/client';
import { deconflict } from '../../../activities/deconfliction/deconfliction-index';
import { indicatorSetKey, normalizeIndicators } from '../../../activities/deconfliction/normalize';
import type { Deconfliction } from '../../../workflows/common/deconfliction';
import type { Indicator } from '../../../workflows/common/domain';
import type { Tlp } from '../../../workflows/dissemination/dissemination.messages';
import type { Principal } from '../auth/principal';
import { OutOfScopeException } from '../auth/denials';
import { unprocessable } from '../common/errors';
import { contentWithinCeiling } from '../../../workflows/partner-grant/partner-grant.messages';
import { PartnerAccess } from '../partner-grants/partner-access';
import type { GradeIntelDto } from '../partner-grants/partner-grants.dto';
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

const PARTNER_SOURCES: readonly string[] = ['private_sector', 'academia'];
/** How many partner accesses the originator's view lists (newest first). */
const PARTNER_ACCESS_ROWS = 500;

@Injectable()
export class IntelService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly partners: PartnerAccess,
  ) {}

  /**
   * Intake: normalise, deconflict against the one index, store. An item whose normalised set
   * equals an earlier item's is a `duplicate` of it (one index probe on the set's hash).
   */
  async submit(user: Principal, dto: SubmitIntelDto, requestId?: string) {
    // A partner is a private-sector or academic source; its item awaits an analyst's grading.
    const partner = user.role === 'partner';
    if (partner && !PARTNER_SOURCES.includes(dto.source.kind)) {
      throw unprocessable([{ field: 'source.kind', problem: `a partner's item comes from ${PARTNER_SOURCES.join(' or ')}` }]);
    }
    // The analyst who grades it must read it: TLP:RED would hide it from the fusion centre.
    if (partner && dto.tlp === 'TLP:RED') throw unprocessable([{ field: 'tlp', problem: 'a partner submits at TLP:AMBER+STRICT at most, so the fusion centre can grade it' }]);
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
          status: duplicateOf ? 'duplicate' : partner ? 'awaiting_grading' : 'received',
          duplicateOf,
          originatorSub: user.sub,
          originatorRole: user.role,
          originatorCountry,
          originatorOrg: partner ? user.org! : null,
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
          data: { org: user.org ?? null, tlp: dto.tlp, priority: dto.priority, grading: `${dto.source.reliability}${dto.credibility}`, indicators: indicators.length, duplicateOf, hit: found.hit },
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

  /**
   * A partner reaches an item through a live grant of its organisation, or as its submitter.
   * 404 (audited) otherwise: not granted, another organisation's, expired and revoked alike.
   */
  async partnerReadable(user: Principal, id: string): Promise<{ item: ItemWithAccess; grant: PartnerGrant | null; content: boolean }> {
    const item = await this.prisma.client.intelItem.findUnique({ where: { id }, include: accessInclude(user) });
    if (!item) throw new NotFoundException(`intel item ${id} not found`);
    if (item.originatorSub === user.sub) return { item, grant: null, content: true };
    const grant = await this.partners.requireGrant(user, 'intel', id, `intel item ${id}`);
    return { item, grant, content: contentWithinCeiling(item.tlp as Tlp, grant.tlpCeiling as Tlp) };
  }

  /** The content for a partner (STIX): refused (404) above the grant's ceiling, like any unreadable item. */
  async partnerContent(user: Principal, id: string, via: ReadVia, requestId?: string): Promise<ItemWithAccess> {
    const { item, grant, content } = await this.partnerReadable(user, id);
    if (!content) throw new OutOfScopeException(`intel item ${id} not found at a marking within the grant's ceiling`, { objectType: 'intel', objectId: id });
    await this.partners.auditReads(user, 'intel', [{ objectId: id, grantId: grant?.id ?? null }], via, requestId);
    return item;
  }

  async partnerDetail(user: Principal, id: string, requestId?: string) {
    const { item, grant, content } = await this.partnerReadable(user, id);
    await this.partners.auditReads(user, 'intel', [{ objectId: id, grantId: grant?.id ?? null }], 'api', requestId);
    return this.partnerView(user, item, grant, content, true);
  }

  /** Metadata always; title, summary and indicators only within the ceiling. */
  partnerView(user: Principal, item: ItemWithAccess, grant: PartnerGrant | null, content: boolean, full: boolean) {
    return {
      id: item.id,
      tlp: item.tlp,
      priority: item.priority,
      categories: item.categories,
      status: item.status,
      grading: `${item.reliability}${item.credibility}`,
      createdAt: item.createdAt.toISOString(),
      contentWithheld: !content,
      ...(grant ? { grant: { id: grant.id, tlpCeiling: grant.tlpCeiling, purpose: grant.purpose, endsAt: grant.endsAt.toISOString() } } : { submittedByYou: true }),
      ...(content ? { title: item.title, ...(full ? { summary: item.summary, indicators: item.indicators as unknown as Indicator[] } : {}) } : {}),
      ...(content && full && !grant ? { deconfliction: deconflictionFor(user, item.deconfliction as unknown as Deconfliction) } : {}),
    };
  }

  /** A partner's inbox: the items granted to its organisation now and its own submissions. */
  async partnerList(user: Principal, query: ListIntelQuery, requestId?: string) {
    const limit = query.limit ?? DEFAULT_PAGE_SIZE;
    const granted = await this.partners.granted(user, 'intel');
    const where: Prisma.IntelItemWhereInput[] = [
      { tlp: query.tlp, priority: query.priority, status: query.status, originatorCountry: query.country, ...(query.category ? { categories: { has: query.category } } : {}) },
      { OR: [{ id: { in: [...granted.keys()] } }, { originatorSub: user.sub }] },
    ];
    if (query.cursor) where.push(afterCursor(query.cursor, 'createdAt'));
    const rows = await this.prisma.client.intelItem.findMany({ where: { AND: where }, include: accessInclude(user), orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1 });
    const page = toPage(rows, limit, (r) => ({ at: r.createdAt, id: r.id }));
    const views = page.rows.map((r) => {
      const grant = r.originatorSub === user.sub ? null : granted.get(r.id) ?? null;
      return this.partnerView(user, r, grant, !grant || contentWithinCeiling(r.tlp as Tlp, grant.tlpCeiling as Tlp), false);
    });
    await this.partners.auditReads(user, 'intel', page.rows.map((r) => ({ objectId: r.id, grantId: granted.get(r.id)?.id ?? null })), 'list', requestId);
    return { items: views, nextCursor: page.nextCursor };
  }

  /** The analyst grades a partner's item once (Admiralty scale; optionally its marking): it may then be disseminated. */
  async grade(user: Principal, id: string, dto: GradeIntelDto, requestId?: string) {
    const item = await this.readable(user, id);
    if (item.status !== 'awaiting_grading') throw new ConflictException(`intel item ${id} is ${item.status}; only a partner's item awaiting grading is graded`);
    await this.prisma.client.$transaction(async (tx) => {
      const { count } = await tx.intelItem.updateMany({
        where: { id, status: 'awaiting_grading' },
        data: { status: 'received', reliability: dto.reliability, credibility: dto.credibility, tlp: dto.tlp ?? item.tlp, gradedBy: user.sub, gradedAt: new Date() },
      });
      if (count === 0) throw new ConflictException(`intel item ${id} was graded meanwhile`);
      await this.audit.append(
        {
          actor: user,
          action: 'intel.grade',
          objectType: 'intel',
          objectId: id,
          beforeState: 'awaiting_grading',
          afterState: 'received',
          data: { proposed: `${item.reliability}${item.credibility}`, grading: `${dto.reliability}${dto.credibility}`, tlp: dto.tlp ?? item.tlp },
          requestId,
        },
        tx,
      );
    });
    return this.detail(user, id, requestId);
  }

  /**
   * Which partners were granted the item and what they read or wrote, for its originator (the
   * submitting user, members of its country), analysts and supervisors; 404 for anyone else.
   */
  async partnerAccess(user: Principal, id: string) {
    const item = await this.readable(user, id);
    const originator = user.sub === item.originatorSub || (user.role === 'member' && !!user.country && user.country === item.originatorCountry);
    if (!originator && user.role !== 'analyst' && user.role !== 'supervisor') {
      throw new OutOfScopeException(`partner access to intel item ${id} is shown to its originator`, { objectType: 'intel', objectId: id });
    }
    const [grants, events] = await Promise.all([
      this.prisma.client.partnerGrant.findMany({ where: { objectType: 'intel', objectId: id }, orderBy: { createdAt: 'desc' } }),
      this.prisma.client.auditEvent.findMany({
        where: { objectType: 'intel', objectId: id, actorRole: 'partner', NOT: { afterState: 'denied' } },
        orderBy: { id: 'desc' },
        take: PARTNER_ACCESS_ROWS,
      }),
    ]);
    const now = Date.now();
    return {
      objectId: id,
      grants: grants.map((g) => ({
        id: g.id,
        org: g.org,
        tlpCeiling: g.tlpCeiling,
        status: g.status === 'active' && g.endsAt.getTime() <= now ? 'expired' : g.status,
        endsAt: g.endsAt.toISOString(),
        grantedBy: g.grantedBy,
      })),
      accesses: events.map((e) => {
        const data = (e.data ?? {}) as { org?: string; via?: string; grantId?: string };
        return { sub: e.actorSub, org: data.org ?? null, action: e.action, via: data.via ?? null, grantId: data.grantId ?? null, at: e.at.toISOString() };
      }),
    };
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
