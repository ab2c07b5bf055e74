import { Body, Controller, HttpCode, Module, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiProperty, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { CurrentUser, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { IndicatorDto, normalizeIndicators } from '../common/indicators';
import { PrismaService } from '../infra/prisma.service';

class DeconflictionCheckDto {
  @ApiProperty({ type: [IndicatorDto] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => IndicatorDto)
  indicators!: IndicatorDto[];
}

@ApiTags('deconfliction')
@ApiBearerAuth()
@Controller('deconfliction')
export class DeconflictionController {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Hit / no-hit per indicator with the contact point to reach. It never returns content:
   * no titles, no object ids for members, nothing the caller could not see anyway.
   */
  @Post('check')
  @HttpCode(200)
  @Roles('member', 'coordinator', 'analyst')
  async check(@CurrentUser() user: Principal, @Body() body: DeconflictionCheckDto) {
    const indicators = normalizeIndicators(body.indicators);
    const sightings = await this.prisma.client.indicatorSighting.findMany({
      where: { OR: indicators.map((i) => ({ type: i.type, value: i.value })) },
    });
    const countries = [...new Set(sightings.map((s) => s.country).filter((c): c is string => !!c))];
    const contacts = await this.prisma.client.contact.findMany({ where: { countryIso: { in: countries }, rank: 1 } });
    const contactOf = new Map(contacts.map((c) => [c.countryIso, { name: c.name, channel: c.channel, address: c.address }]));
    const results = indicators.map((indicator) => {
      const own = sightings.filter((s) => s.type === indicator.type && s.value === indicator.value);
      const others = own.filter((s) => !(user.role === 'member' && s.country === user.country));
      return {
        indicator,
        hit: others.length > 0,
        contacts: [...new Map(others.filter((s) => s.country).map((s) => [s.country, contactOf.get(s.country!)])).values()].filter(Boolean),
        ...(user.role === 'member' ? {} : { objects: others.map((s) => ({ objectType: s.objectType, objectId: s.objectId, country: s.country })) }),
      };
    });
    return { hit: results.some((r) => r.hit), results };
  }
}

@Module({ controllers: [DeconflictionController] })
export class DeconflictionModule {}
