import { applyDecorators, Body, Controller, Get, HttpCode, Module, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { AttendanceDto, ScheduleMeetingDto, WorkingGroupCountryParam, WorkingGroupErrorDto, WorkingGroupParam, WorkingGroupScheduledDto, WorkingGroupViewDto } from './working-groups.dto';
import { WorkingGroupsService } from './working-groups.service';

const requestIdOf = (req: Request) => String((req as Request & { id?: unknown }).id ?? '');
const Errors = (...statuses: Array<[number, string]>) =>
  applyDecorators(
    ApiResponse({ status: 401, type: WorkingGroupErrorDto, description: 'no token, or an invalid or expired one' }),
    ApiResponse({ status: 429, type: WorkingGroupErrorDto, description: 'too many requests' }),
    ...statuses.map(([status, description]) => ApiResponse({ status, type: WorkingGroupErrorDto, description })),
  );

@ApiTags('working-groups')
@ApiBearerAuth()
@Controller('working-groups')
export class WorkingGroupsController {
  constructor(private readonly groups: WorkingGroupsService) {}

  @Post()
  @Roles('coordinator', 'supervisor')
  @ApiOperation({ summary: "Schedule a region's annual working-group meeting (workflow working-group/<region>/<year>)" })
  @ApiCreatedResponse({ type: WorkingGroupScheduledDto, description: 'scheduled; invitations go out through the contact network' })
  @Errors(
    [400, 'a wrong field (each named in details): dates not in the future, deadline not before the meeting, year not the meeting\'s, unknown countries'],
    [403, 'a role that may not schedule, or a coordinator of another region (audited)'],
    [409, 'that region\'s meeting of that year is already scheduled'],
  )
  schedule(@CurrentUser() u: Principal, @Body() body: ScheduleMeetingDto, @Req() r: Request) {
    return this.groups.schedule(u, body, requestIdOf(r));
  }

  @Get(':region/:year')
  @Roles('coordinator', 'supervisor', 'analyst', 'member')
  @ApiOperation({ summary: 'The meeting, its agenda and attendance (a member sees its own country only)' })
  @ApiOkResponse({ type: WorkingGroupViewDto })
  @Errors([400, 'a wrong region or year'], [403, 'a role that may not read working groups'], [404, 'no such meeting, or not visible to the caller'])
  view(@CurrentUser() u: Principal, @Param() { region, year }: WorkingGroupParam) {
    return this.groups.view(u, region, year);
  }

  @Post(':region/:year/countries/:iso/attendance')
  @HttpCode(200)
  @Roles('member', 'coordinator', 'supervisor')
  @ApiOperation({ summary: 'Confirm or decline attendance for a country (its members, or a coordinator of the region)' })
  @ApiOkResponse({ type: WorkingGroupViewDto })
  @Errors(
    [400, 'a wrong region, year, country or body field'],
    [403, 'a role that may not answer'],
    [404, 'no such meeting, or another country\'s answer'],
    [409, 'the country is not invited, or the meeting has been held'],
  )
  attendance(@CurrentUser() u: Principal, @Param() { region, year, iso }: WorkingGroupCountryParam, @Body() body: AttendanceDto, @Req() r: Request) {
    return this.groups.attendance(u, region, year, iso, body, requestIdOf(r));
  }
}

@Module({ controllers: [WorkingGroupsController], providers: [WorkingGroupsService] })
export class WorkingGroupsModule {}
