import { Body, Controller, Get, HttpCode, Module, Param, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { AttendanceDto, ScheduleMeetingDto, WorkingGroupCountryParam, WorkingGroupParam, WorkingGroupScheduledDto, WorkingGroupViewDto } from './working-groups.dto';
import { ApiErrors, ApiJsonBody, ApiObject, ApiSecured } from '../common/openapi';
import { WorkingGroupsService } from './working-groups.service';
import { ActionPlanController } from './action-plan.controller';
import { ActionPlanService } from './action-plan.service';
import { OperationsModule } from '../operations/operations.controller';
import { WorkflowUpdates } from '../infra/workflow-updates';

const requestIdOf = (req: Request) => String((req as Request & { id?: unknown }).id ?? '');

@ApiTags('working-groups')
@ApiSecured()
@Controller('working-groups')
export class WorkingGroupsController {
  constructor(private readonly groups: WorkingGroupsService) {}

  @Post()
  @Roles('coordinator', 'supervisor')
  @ApiOperation({ summary: "Schedule a region's annual working-group meeting (workflow working-group/<region>/<year>)" })
  @ApiCreatedResponse({ type: WorkingGroupScheduledDto, description: 'scheduled; invitations go out through the contact network' })
  @ApiJsonBody() @ApiErrors(403, 409, 422)
  schedule(@CurrentUser() u: Principal, @Body() body: ScheduleMeetingDto, @Req() r: Request) {
    return this.groups.schedule(u, body, requestIdOf(r));
  }

  @Get(':region/:year')
  @Roles('coordinator', 'supervisor', 'analyst', 'member')
  @ApiOperation({ summary: 'The meeting, its agenda and attendance (a member sees its own country only)' })
  @ApiOkResponse({ type: WorkingGroupViewDto })
  @ApiObject() @ApiErrors(403)
  view(@CurrentUser() u: Principal, @Param() { region, year }: WorkingGroupParam) {
    return this.groups.view(u, region, year);
  }

  @Post(':region/:year/held')
  @HttpCode(200)
  @Roles('coordinator', 'supervisor')
  @ApiOperation({ summary: 'Mark the meeting held (after the attendance deadline); the action plan can then be recorded' })
  @ApiOkResponse({ type: WorkingGroupViewDto })
  @ApiObject() @ApiErrors(403, 409)
  hold(@CurrentUser() u: Principal, @Param() { region, year }: WorkingGroupParam, @Req() r: Request) {
    return this.groups.hold(u, region, year, requestIdOf(r));
  }

  @Post(':region/:year/countries/:iso/attendance')
  @HttpCode(200)
  @Roles('member', 'coordinator', 'supervisor')
  @ApiOperation({ summary: 'Confirm or decline attendance for a country (its members, or a coordinator of the region)' })
  @ApiOkResponse({ type: WorkingGroupViewDto })
  @ApiObject() @ApiJsonBody() @ApiErrors(403, 409)
  attendance(@CurrentUser() u: Principal, @Param() { region, year, iso }: WorkingGroupCountryParam, @Body() body: AttendanceDto, @Req() r: Request) {
    return this.groups.attendance(u, region, year, iso, body, requestIdOf(r));
  }
}

@Module({
  imports: [OperationsModule],
  controllers: [WorkingGroupsController, ActionPlanController],
  providers: [WorkingGroupsService, ActionPlanService, WorkflowUpdates],
})
export class WorkingGroupsModule {}
