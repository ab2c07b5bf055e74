import { Body, Controller, Get, Module, NotFoundException, Param, Put, Req } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Contact } from '@prisma/client';
import type { Request } from 'express';
import { CurrentUser, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { inScope } from '../auth/scope';
import { ApiErrors, ApiSecured } from '../common/openapi';
import { unprocessable } from '../common/errors';
import { AuditService } from '../infra/audit.service';
import { PrismaService } from '../infra/prisma.service';
import { ContactChainDto, ContactChainViewDto, ContactDto, CountryParam, RegionalOfficerViewDto, RegionParam } from './contacts.dto';

/** The role each rank of a chain plays; ids follow `<ISO>-<role>` so the seed and edits agree. */
const CHAIN_ROLES = ['primary', 'backup', 'duty_desk', 'reserve_4', 'reserve_5'];
const requestIdOf = (req: Request) => String((req as Request & { id?: unknown }).id ?? '');
const view = (c: Contact) => ({ id: c.id, rank: c.rank, role: c.role, name: c.name, channel: c.channel, address: c.address });

/**
 * The 24/7 contact network, editable by admins. Running disseminations and operations read the
 * chain when they escalate, so an edit applies to them from their next level on.
 */
@ApiTags('directory')
@ApiSecured()
@Controller('contacts')
export class ContactsController {
  constructor(
    private readonly prisma: PrismaService,
    private readonly audit: AuditService,
  ) {}

  @Get('countries/:iso')
  @ApiOkResponse({ description: 'the country\'s ordered chain', type: ContactChainViewDto })
  @ApiErrors(400, 401, 404, 503)
  async chain(@CurrentUser() user: Principal, @Param() { iso }: CountryParam) {
    const country = await this.prisma.client.country.findUnique({ where: { iso }, include: { contacts: { orderBy: { rank: 'asc' } } } });
    if (!country || !inScope(user, { country: iso, region: country.region })) throw new NotFoundException(`country ${iso} not found`);
    return { iso, region: country.region, contacts: country.contacts.map(view) };
  }

  @Put('countries/:iso')
  @Roles('admin')
  @ApiOkResponse({ description: 'the chain as stored', type: ContactChainViewDto })
  @ApiErrors(400, 401, 403, 404, 422, 503)
  async putChain(@CurrentUser() user: Principal, @Param() { iso }: CountryParam, @Body() body: ContactChainDto, @Req() r: Request) {
    const addresses = body.contacts.map((c) => `${c.channel}:${c.address.toLowerCase()}`);
    // Well-formed item by item, but a chain cannot reach one address twice (a schema cannot say so): 422.
    if (new Set(addresses).size !== addresses.length) throw unprocessable([{ field: 'contacts', problem: 'each contact of a chain must have its own address' }]);
    return this.prisma.client.$transaction(async (tx) => {
      const country = await tx.country.findUnique({ where: { iso } });
      if (!country) throw new NotFoundException(`country ${iso} not found`);
      const before = await tx.contact.findMany({ where: { countryIso: iso }, orderBy: { rank: 'asc' } });
      await tx.contact.deleteMany({ where: { countryIso: iso } });
      // A contact that keeps its rank, channel and address keeps its webhook signing secret; a new
      // address needs a newly issued one.
      const kept = (id: string, c: ContactDto) => before.find((b) => b.id === id && b.channel === c.channel && b.address === c.address);
      await tx.contact.createMany({
        data: body.contacts.map((c: ContactDto, i) => {
          const id = `${iso}-${CHAIN_ROLES[i]}`;
          const old = kept(id, c);
          return { id, countryIso: iso, region: country.region, role: CHAIN_ROLES[i], rank: i + 1, name: c.name, channel: c.channel, address: c.address, signingSecret: old?.signingSecret ?? null, signingSecretRotatedAt: old?.signingSecretRotatedAt ?? null };
        }),
      });
      const after = await tx.contact.findMany({ where: { countryIso: iso }, orderBy: { rank: 'asc' } });
      await this.audit.append(
        { actor: user, action: 'contacts.update', objectType: 'contact_chain', objectId: iso, beforeState: `${before.length} contacts`, afterState: `${after.length} contacts`, data: { before: before.map(view), after: after.map(view) }, requestId: requestIdOf(r) },
        tx,
      );
      return { iso, region: country.region, contacts: after.map(view) };
    });
  }

  @Put('regions/:region')
  @Roles('admin')
  @ApiOkResponse({ description: 'the regional officer as stored', type: RegionalOfficerViewDto })
  @ApiErrors(400, 401, 403, 503)
  async putRegionalOfficer(@CurrentUser() user: Principal, @Param() { region }: RegionParam, @Body() body: ContactDto, @Req() r: Request) {
    const id = `${region}-regional_officer`;
    return this.prisma.client.$transaction(async (tx) => {
      const before = await tx.contact.findUnique({ where: { id } });
      const data = { countryIso: null, region, role: 'regional_officer', rank: 1, name: body.name, channel: body.channel, address: body.address };
      const after = await tx.contact.upsert({ where: { id }, create: { id, ...data }, update: data });
      await this.audit.append({ actor: user, action: 'contacts.update', objectType: 'regional_officer', objectId: region, data: { before: before ? view(before) : null, after: view(after) }, requestId: requestIdOf(r) }, tx);
      return { region, contact: view(after) };
    });
  }
}

@Module({ controllers: [ContactsController], providers: [AuditService] })
export class ContactsModule {}
