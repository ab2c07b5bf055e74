import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { lookupSightings, primaryContacts } from '../../../activities/deconfliction/deconfliction-index';
import { ACTED_UPON, ContactRef } from '../../../workflows/common/deconfliction';
import { CurrentUser, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { INDICATOR_SCHEMA, IndicatorDto, normalizeIndicators } from '../common/indicators';
import { ITEMS } from '../common/limits';
import { ApiErrors, ApiJsonBody, ApiSecured } from '../common/openapi';
import { Nested } from '../common/validation';
import { PrismaService } from '../infra/prisma.service';
import { DeconflictionCheckResultDto } from './deconfliction.dto';

class DeconflictionCheckDto {
  @Nested(() => IndicatorDto, {
    minItems: 1,
    maxItems: ITEMS.indicators,
    schema: { type: 'array', items: INDICATOR_SCHEMA, minItems: 1, maxItems: ITEMS.indicators },
  })
  indicators!: IndicatorDto[];
}


@ApiTags('deconfliction')
@ApiSecured()
@Controller('deconfliction')
export class DeconflictionController {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Hit / no-hit per indicator, "already acted upon" from recipients' feedback, and the contact
   * point to reach. It never returns content: no titles, no object ids for members.
   */
  @Post('check')
  @HttpCode(200)
  @Roles('member', 'coordinator', 'analyst')
  @ApiOkResponse({ type: DeconflictionCheckResultDto, description: 'hit / no-hit and already-acted-upon per indicator, with contact points' })
  @ApiJsonBody()
  @ApiErrors(403)
  async check(@CurrentUser() user: Principal, @Body() body: DeconflictionCheckDto) {
    const indicators = normalizeIndicators(body.indicators);
    const matches = await lookupSightings(this.prisma.client, indicators);
    const contactOf = await primaryContacts(this.prisma.client, matches.map((m) => m.country));
    const contact = (iso: string | null) => (iso && contactOf.get(iso)) || null;
    const granters = await partnerGranters(this.prisma.client, matches.map((m) => m.objectId));
    const results = indicators.map((indicator) => {
      const own = matches.filter((s) => s.indicator.type === indicator.type && s.indicator.value === indicator.value);
      // A member's own country's sightings are not news to it.
      const others = own.filter((s) => !(user.role === 'member' && s.country === user.country));
      const acted = others.filter((s) => s.objectType === 'feedback' && s.outcome && ACTED_UPON.includes(s.outcome));
      const seen = others.filter((s) => s.objectType !== 'feedback');
      return {
        indicator,
        hit: seen.length > 0 || acted.length > 0,
        alreadyActedUpon: acted.length > 0,
        contacts: [
          ...new Map([...seen, ...acted].filter((s) => s.country).map((s) => [s.country, contact(s.country)])).values(),
          // A partner's sighting has no country: the officer who granted it is the one to call.
          ...new Map(seen.filter((s) => granters.has(s.objectId)).map((s) => [granters.get(s.objectId)!.address, granters.get(s.objectId)!])).values(),
        ].filter(Boolean),
        ...(user.role === 'member'
          ? {}
          : {
              objects: seen.map((s) => ({ objectType: s.objectType, objectId: s.objectId, country: s.country })),
              actedUpon: acted.map((s) => ({ outcome: s.outcome, country: s.country })),
            }),
      };
    });
    return { hit: results.some((r) => r.hit), alreadyActedUpon: results.some((r) => r.alreadyActedUpon), results };
  }
}

/** The granting officer of each partner sighting (`<object>/partner/<org>`), from the staff directory when listed. */
async function partnerGranters(prisma: PrismaService['client'], objectIds: string[]): Promise<Map<string, ContactRef>> {
  const keys = [...new Set(objectIds)].map((id) => ({ id, m: /^((?:OP|IN)-[0-9A-F]{10})\/partner\/(.+)$/.exec(id) })).filter((k) => k.m);
  const found = new Map<string, ContactRef>();
  for (const { id, m } of keys) {
    const grant = await prisma.partnerGrant.findFirst({ where: { objectId: m![1], org: m![2] }, orderBy: { createdAt: 'desc' }, select: { grantedBy: true } });
    if (!grant) continue;
    const officer = await prisma.staffOfficer.findUnique({ where: { email: grant.grantedBy.toLowerCase() } });
    found.set(id, { name: officer?.name ?? 'granting officer', channel: 'email', address: officer?.email ?? grant.grantedBy });
  }
  return found;
}

@Module({ controllers: [DeconflictionController] })
export class DeconflictionModule {}
