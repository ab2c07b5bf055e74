import { Controller, Get, Header, Module, NotFoundException, Param, Query, Req, Res, UnprocessableEntityException } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { Prisma } from '@prisma/client';
import type { Request, Response } from 'express';
import type { Indicator } from '../../../workflows/common/domain';
import type { Tlp } from '../../../workflows/dissemination/dissemination.messages';
import type { Principal } from '../auth/principal';
import { CurrentUser } from '../auth/auth.guard';
import { ApiErrors, ApiObject, ApiParams, ApiSecured } from '../common/openapi';
import { Instant, Integer, Text } from '../common/validation';
import { IntelModule } from '../intel/intel.controller';
import { readAccess } from '../intel/intel-access';
import { accessInclude, factsOf, IntelService } from '../intel/intel.service';
import { identityObject, stixObjects, tlpMarkingObject, stableUuid } from '../intel/stix';
import { PrismaService } from '../infra/prisma.service';
import { TaxiiApiRootDto, TaxiiCollectionDto, TaxiiCollectionsDto, TaxiiDiscoveryDto, TaxiiEnvelopeDto } from './taxii.dto';

// A read-only TAXII 2.1 server over the intelligence items, with the same bearer tokens and TLP
// rules as the API, so a member country's MISP or OpenCTI can pull what was sent to it.

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
const MAX_PAGE = 1000;

class ObjectsQuery {
  @Instant({ optional: true, description: 'only objects added after this instant' })
  added_after?: string;

  @Integer(1, MAX_PAGE, { optional: true, fromQuery: true, default: 100 })
  limit?: number;

  @Text(500, { optional: true, pattern: /^[A-Za-z0-9_-]+$/, patternHint: 'be the `next` of the previous page', description: 'opaque: the `next` of the previous page' })
  next?: string;

  @Text(200, { optional: true, pattern: /^[a-z0-9-]+(,[a-z0-9-]+)*$/, patternHint: 'be comma-separated STIX types', description: 'comma-separated STIX types' })
  'match[type]'?: string;
}

class CollectionParam {
  @Text(36, { minLength: 36, pattern: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, patternHint: 'be a collection id (UUID)' })
  id!: string;
}

/** TAXII answers in its own media type; errors keep the shared JSON error body. */
const TaxiiOk = (description: string, type: new () => object) => ApiOkResponse({ description, content: { [TAXII_MEDIA_TYPE]: { schema: { $ref: getSchemaPath(type) } } } });

interface CollectionDef {
  id: string;
  title: string;
  description: string;
  where: (user: Principal) => Prisma.IntelItemWhereInput;
}

/** One collection per readable scope: the caller's own (country or role) and the public one. */
function collectionsFor(user: Principal, intel: IntelService): CollectionDef[] {
  const own: CollectionDef =
    user.role === 'member'
      ? {
          id: stableUuid(`cyberops/taxii/country/${user.country}`),
          title: `Intelligence for ${user.country}`,
          description: `items disseminated to ${user.country} or submitted by it`,
          where: (u) => intel.visibleWhere(u),
        }
      : { id: stableUuid(`cyberops/taxii/role/${user.role}`), title: `Intelligence readable by ${user.role}s`, description: 'every item this role may read', where: (u) => intel.visibleWhere(u) };
  const open: CollectionDef = {
    id: stableUuid('cyberops/taxii/public'),
    title: 'TLP:CLEAR and TLP:GREEN intelligence',
    description: 'items every authenticated member of the community may read',
    where: () => ({ tlp: { in: ['TLP:CLEAR', 'TLP:GREEN'] } }),
  };
  return [own, open];
}

const encodeNext = (at: Date, id: string, skip: number) => Buffer.from(JSON.stringify([at.toISOString(), id, skip])).toString('base64url');
function decodeNext(next: string): { at: Date; id: string; skip: number } {
  try {
    const [at, id, skip] = JSON.parse(Buffer.from(next, 'base64url').toString('utf8')) as [string, string, number];
    if (typeof id === 'string' && Number.isInteger(skip) && !Number.isNaN(Date.parse(at))) return { at: new Date(at), id, skip };
  } catch {
    // fall through
  }
  // Well-formed but not a position this server handed out: the schema cannot tell, so 422.
  throw new UnprocessableEntityException({ message: 'invalid next', details: [{ field: 'next', problem: 'not a value this server handed out' }] });
}

@ApiTags('taxii')
@ApiExtraModels(TaxiiDiscoveryDto, TaxiiApiRootDto, TaxiiCollectionDto, TaxiiCollectionsDto, TaxiiEnvelopeDto)
@ApiSecured()
@Controller('taxii2')
export class TaxiiController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly intel: IntelService,
  ) {}

  private base(req: Request): string {
    return `${req.protocol}://${req.get('host')}/taxii2`;
  }

  @Get()
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @TaxiiOk('TAXII discovery', TaxiiDiscoveryDto)
  discovery(@Req() req: Request) {
    const root = `${this.base(req)}/api/`;
    return { title: 'Cyber Fusion Centre TAXII', description: 'Intelligence disseminated by the fusion centre, under TLP 2.0', default: root, api_roots: [root] };
  }

  @Get('api')
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @TaxiiOk('the API root', TaxiiApiRootDto)
  apiRoot() {
    return { title: 'Intelligence', versions: [TAXII_MEDIA_TYPE], max_content_length: 10_485_760 };
  }

  @Get('api/collections')
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @TaxiiOk('the caller\'s collections', TaxiiCollectionsDto)
  collections(@CurrentUser() user: Principal) {
    return { collections: collectionsFor(user, this.intel).map((c) => this.collectionView(c)) };
  }

  @Get('api/collections/:id')
  @Header('Content-Type', TAXII_MEDIA_TYPE)
  @TaxiiOk('one collection', TaxiiCollectionDto)
  @ApiObject()
  collection(@CurrentUser() user: Principal, @Param() { id }: CollectionParam) {
    return this.collectionView(this.find(user, id));
  }

  @Get('api/collections/:id/objects')
  @TaxiiOk('an envelope of STIX objects (`more`, `next`, `objects`)', TaxiiEnvelopeDto)
  @ApiObject()
  @ApiParams() @ApiErrors(422)
  async objects(@CurrentUser() user: Principal, @Param() { id }: CollectionParam, @Query() query: ObjectsQuery, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const collection = this.find(user, id);
    const limit = query.limit ?? 100;
    const types = query['match[type]']?.split(',').map((t) => t.trim()).filter(Boolean);
    const cursor = query.next ? decodeNext(query.next) : null;
    const where: Prisma.IntelItemWhereInput[] = [collection.where(user), { status: { not: 'duplicate' } }];
    if (query.added_after) where.push({ createdAt: { gt: new Date(query.added_after) } });
    if (cursor) where.push({ OR: [{ createdAt: { gt: cursor.at } }, { createdAt: cursor.at, id: { gte: cursor.id } }] });
    // Each item gives at least two objects, so `limit` items always fill a page.
    const items = await this.prisma.client.intelItem.findMany({ where: { AND: where }, include: accessInclude(user), orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: limit + 1 });
    const page: Array<Record<string, unknown>> = [];
    const header = new Set<string>();
    const read: string[] = [];
    const added: Date[] = [];
    let next: string | null = null;
    for (const item of items.slice(0, limit)) {
      if (readAccess(user, factsOf(item)) !== 'read') continue;
      const [, , ...own] = stixObjects({ ...item, tlp: item.tlp as Tlp, indicators: item.indicators as unknown as Indicator[] });
      const objects = own.filter((o) => !types || types.includes(o.type as string));
      const skip = cursor && cursor.id === item.id ? cursor.skip : 0;
      for (let i = skip; i < objects.length; i++) {
        // The identity and the TLP marking once per page, before the first object that needs them.
        const needed = [identityObject(), tlpMarkingObject(item.tlp as Tlp)].filter((o) => !header.has(o.id) && (!types || types.includes(o.type)));
        if (page.length + needed.length + 1 > limit) {
          next = encodeNext(item.createdAt, item.id, i);
          break;
        }
        for (const o of needed) {
          header.add(o.id);
          page.push(o);
        }
        page.push(objects[i]);
      }
      if (next) break;
      if (objects.length) {
        read.push(item.id);
        added.push(item.createdAt);
      }
    }
    if (!next && items.length > limit) next = encodeNext(items[limit].createdAt, items[limit].id, 0);
    await this.intel.auditReads(user, read, 'taxii', String((req as Request & { id?: unknown }).id ?? ''));
    res.setHeader('Content-Type', TAXII_MEDIA_TYPE);
    if (added.length) {
      res.setHeader('X-TAXII-Date-Added-First', added[0].toISOString());
      res.setHeader('X-TAXII-Date-Added-Last', added[added.length - 1].toISOString());
    }
    return { more: next !== null, ...(next ? { next } : {}), ...(page.length ? { objects: page } : {}) };
  }

  private find(user: Principal, id: string): CollectionDef {
    const found = collectionsFor(user, this.intel).find((c) => c.id === id);
    if (!found) throw new NotFoundException(`collection ${id} not found`);
    return found;
  }

  private collectionView(c: CollectionDef) {
    return { id: c.id, title: c.title, description: c.description, can_read: true, can_write: false, media_types: ['application/stix+json;version=2.1'] };
  }
}

@Module({ imports: [IntelModule], controllers: [TaxiiController] })
export class TaxiiModule {}
