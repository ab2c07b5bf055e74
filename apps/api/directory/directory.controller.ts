import { Body, Controller, Get, Module, NotFoundException, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { Prisma } from '@prisma/client';
import { CurrentUser, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { scopeOf } from '../auth/scope';
import { ApiErrors, ApiJsonBody, ApiParams, ApiSecured } from '../common/openapi';
import { AuditService } from '../infra/audit.service';
import { PrismaService } from '../infra/prisma.service';
import { ContactSecretsService } from './contact-secrets.service';
import { DirectoryCache } from './directory-cache.service';
import {
  ContactIdParam,
  ContactListDto,
  ContactQuery,
  CountryGroupListDto,
  CountryListDto,
  CountryQuery,
  PriorityParam,
  SigningSecretDto,
  SlaPolicyDto,
  SlaPolicyListDto,
  SlaPolicyViewDto,
} from './directory.dto';

@ApiTags('directory')
@ApiSecured()
@Controller()
export class DirectoryController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
    private readonly secrets: ContactSecretsService,
    private readonly cache: DirectoryCache,
  ) {}

  @Get('countries')
  @ApiOkResponse({ type: CountryListDto })
  @ApiParams()
  async countries(@Query() query: CountryQuery) {
    const items = await this.prisma.client.country.findMany({
      where: {
        region: query.region,
        groups: query.group ? { some: { groupCode: query.group.toUpperCase() } } : undefined,
      },
      include: { groups: { select: { groupCode: true } } },
      orderBy: { iso: 'asc' },
    });
    return {
      items: items.map((c) => ({ iso: c.iso, name: c.name, region: c.region, groups: c.groups.map((g) => g.groupCode) })),
      nextCursor: null,
    };
  }

  @Get('country-groups')
  @ApiOkResponse({ type: CountryGroupListDto })
  async groups() {
    const groups = await this.prisma.client.countryGroup.findMany({ include: { members: true }, orderBy: { code: 'asc' } });
    return {
      items: groups.map((g) => ({ code: g.code, name: g.name, members: g.members.map((m) => m.countryIso).sort() })),
      nextCursor: null,
    };
  }

  /** Members see their own chain and their region's officer; regional coordinators their region. */
  @Get('contacts')
  @ApiOkResponse({ type: ContactListDto })
  @ApiParams()
  async contacts(@CurrentUser() user: Principal, @Query() query: ContactQuery) {
    const scope = scopeOf(user);
    const where: Prisma.ContactWhereInput[] = [];
    if (query.country) where.push({ countryIso: query.country.toUpperCase() });
    if (query.region) where.push({ region: query.region });
    if (scope.country) {
      const own = await this.prisma.client.country.findUnique({ where: { iso: scope.country } });
      where.push({ OR: [{ countryIso: scope.country }, { countryIso: null, region: own?.region, role: 'regional_officer' }] });
    }
    if (scope.region) where.push({ region: scope.region });
    const rows = await this.prisma.client.contact.findMany({
      where: { AND: where },
      orderBy: [{ countryIso: 'asc' }, { rank: 'asc' }],
    });
    // The signing secret is never returned; only whether one was issued, and when.
    const items = rows.map(({ signingSecret, ...contact }) => ({ ...contact, hasSigningSecret: signingSecret !== null }));
    return { items, nextCursor: null };
  }

  /** Issues (or replaces) a contact's webhook signing secret and shows it this once. */
  @Post('contacts/:id/signing-secret')
  @Roles('admin')
  @ApiOperation({ summary: "Issue or rotate a contact's own webhook signing secret; the answer is the only time it is shown" })
  @ApiCreatedResponse({ type: SigningSecretDto })
  @ApiErrors(400, 403, 404)
  rotateSigningSecret(@CurrentUser() user: Principal, @Param() params: ContactIdParam, @Req() req: Request) {
    return this.secrets.rotate(user, params.id, typeof (req as { id?: unknown }).id === 'string' ? ((req as { id?: unknown }).id as string) : undefined);
  }

  @Get('sla-policies')
  @ApiOkResponse({ type: SlaPolicyListDto })
  async slaPolicies() {
    const items = await this.prisma.client.slaPolicy.findMany({ orderBy: { priority: 'asc' } });
    return { items, nextCursor: null };
  }

  @Put('sla-policies/:priority')
  @Roles('admin')
  @ApiOkResponse({ type: SlaPolicyViewDto })
  @ApiJsonBody()
  @ApiErrors(403)
  async putSlaPolicy(@CurrentUser() user: Principal, @Param() params: PriorityParam, @Body() body: SlaPolicyDto) {
    // Dropped after the commit too, so a submission racing the transaction cannot re-cache the old row.
    this.cache.invalidateSlaPolicy(params.priority);
    const saved = await this.prisma.client.$transaction(async (tx) => {
      const before = await tx.slaPolicy.findUnique({ where: { priority: params.priority } });
      if (!before) throw new NotFoundException(`no SLA policy ${params.priority}`);
      const after = await tx.slaPolicy.update({
        where: { priority: params.priority },
        data: { ...body, warnAt: body.warnAt ?? before.warnAt, version: { increment: 1 }, updatedBy: user.sub },
      });
      await this.audit.append(
        {
          actor: user,
          action: 'sla_policy.update',
          objectType: 'sla_policy',
          objectId: params.priority,
          beforeState: `v${before.version}`,
          afterState: `v${after.version}`,
          data: { before: { ...before, updatedAt: before.updatedAt.toISOString() }, after: { ...after, updatedAt: after.updatedAt.toISOString() } },
        },
        tx,
      );
      return after;
    });
    this.cache.invalidateSlaPolicy(params.priority);
    return saved;
  }
}

@Module({ controllers: [DirectoryController], providers: [AuditService, ContactSecretsService] })
export class DirectoryModule {}
