import { applyDecorators, Controller, Get, Module, Param, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { AllRegionsTrendsDto, RegionParam, RegionTrendsDto, TrendsQuery } from './trends.dto';
import { ApiErrors, ApiParams, ApiSecured } from '../common/openapi';
import { TrendsService } from './trends.service';

const Errors = () => applyDecorators(ApiParams(), ApiErrors(403, 422));

@ApiTags('regions')
@ApiSecured()
@Controller('regions')
export class TrendsController {
  constructor(private readonly trends: TrendsService) {}

  @Get('trends')
  // Members and regional coordinators get through the guard to a 403 that points at their region's route.
  @Roles('coordinator', 'analyst', 'supervisor', 'member')
  @ApiOperation({
    summary: 'Trends of every working-group region side by side',
    description: 'Global coordinators, analysts and supervisors. Same figures as the per-region route, one entry per region.',
  })
  @ApiOkResponse({ type: AllRegionsTrendsDto })
  @Errors()
  all(@CurrentUser() u: Principal, @Query() query: TrendsQuery): Promise<AllRegionsTrendsDto> {
    return this.trends.all(u, query);
  }

  @Get(':region/trends')
  @Roles('coordinator', 'analyst', 'supervisor', 'member')
  @ApiOperation({
    summary: "A working-group region's trend assessment for a period",
    description:
      'Support requests by category and priority (submitted, resolved, SLA met vs breached, median time to triage and to resolution), ' +
      "intelligence items (contributed by the region's countries, delivered to them), disseminations to the region's countries " +
      '(acknowledged within the deadline, late, overdue; feedback outcomes) by category and priority, ' +
      'and operations with result totals, per interval bucket (UTC calendar; weeks start on Monday) and for the whole period. ' +
      "Global coordinators, analysts and supervisors read every region; regional coordinators their own; members their country's region.",
  })
  @ApiOkResponse({ type: RegionTrendsDto })
  @Errors()
  region(@CurrentUser() u: Principal, @Param() { region }: RegionParam, @Query() query: TrendsQuery): Promise<RegionTrendsDto> {
    return this.trends.region(u, region, query);
  }
}

@Module({ controllers: [TrendsController], providers: [TrendsService] })
export class TrendsModule {}
