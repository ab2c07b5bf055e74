import { applyDecorators, Body, Controller, Get, HttpCode, Param, Post, Put, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { ApiErrors, ApiJsonBody, ApiObject, ApiParams, ApiSecured } from '../common/openapi';
import {
  ActionItemParam,
  ActionItemViewDto,
  CreateActionItemDto,
  DueDateDto,
  ItemOperationCreatedDto,
  ItemOperationDto,
  ItemStatusDto,
  NoteDto,
  PlanQuery,
  PlanViewDto,
  TrainingDto,
} from './action-plan.dto';
import { ActionPlanService } from './action-plan.service';
import { WorkingGroupParam } from './working-groups.dto';

const requestIdOf = (req: Request) => String((req as Request & { id?: unknown }).id ?? '');

/** A change to one item: 404 out of scope (another country's item for a member), 409 when the item refuses it. */
const ItemChange = (...roles: Array<'member' | 'coordinator' | 'supervisor'>) =>
  applyDecorators(HttpCode(200), Roles(...roles), ApiOkResponse({ type: ActionItemViewDto }), ApiObject(), ApiJsonBody(), ApiErrors(403, 409, 422));

@ApiTags('working-groups')
@ApiSecured()
@Controller('working-groups')
export class ActionPlanController {
  constructor(private readonly plan: ActionPlanService) {}

  @Get(':region/:year/plan')
  @Roles('coordinator', 'supervisor', 'analyst', 'member')
  @ApiOperation({ summary: "The meeting's action plan: items (newest first) and totals of the whole plan by status, owner and overdue" })
  @ApiOkResponse({ type: PlanViewDto })
  @ApiObject() @ApiParams() @ApiErrors(403, 422)
  list(@CurrentUser() u: Principal, @Param() { region, year }: WorkingGroupParam, @Query() query: PlanQuery) {
    return this.plan.plan(u, region, year, query);
  }

  @Post(':region/:year/plan/items')
  @Roles('coordinator', 'supervisor')
  @ApiOperation({ summary: 'Record an action-plan item once the meeting is held (starts workflow working-group/<region>/<year>/item/<n>)' })
  @ApiCreatedResponse({ type: ActionItemViewDto })
  @ApiObject() @ApiJsonBody() @ApiErrors(403, 409, 422)
  create(@CurrentUser() u: Principal, @Param() { region, year }: WorkingGroupParam, @Body() body: CreateActionItemDto, @Req() r: Request) {
    return this.plan.create(u, region, year, body, requestIdOf(r));
  }

  @Get(':region/:year/plan/items/:n')
  @Roles('coordinator', 'supervisor', 'analyst', 'member')
  @ApiOperation({ summary: 'One item with its progress notes (a member: items its country owns)' })
  @ApiOkResponse({ type: ActionItemViewDto })
  @ApiObject() @ApiErrors(403)
  item(@CurrentUser() u: Principal, @Param() { region, year, n }: ActionItemParam) {
    return this.plan.item(u, region, year, n);
  }

  @Post(':region/:year/plan/items/:n/notes')
  @ApiOperation({ summary: "A progress note (the owner country's members, coordinators, supervisors); an open item goes in progress" })
  @ItemChange('member', 'coordinator', 'supervisor')
  note(@CurrentUser() u: Principal, @Param() { region, year, n }: ActionItemParam, @Body() body: NoteDto, @Req() r: Request) {
    return this.plan.note(u, region, year, n, body, requestIdOf(r));
  }

  @Post(':region/:year/plan/items/:n/status')
  @ApiOperation({ summary: "Mark the item in progress, done or cancelled (the owner country's members, coordinators, supervisors)" })
  @ItemChange('member', 'coordinator', 'supervisor')
  status(@CurrentUser() u: Principal, @Param() { region, year, n }: ActionItemParam, @Body() body: ItemStatusDto, @Req() r: Request) {
    return this.plan.status(u, region, year, n, body, requestIdOf(r));
  }

  @Post(':region/:year/plan/items/:n/due-date')
  @ApiOperation({ summary: 'Move the due date (coordinators, supervisors); an open overdue alert is resolved and the clock starts again' })
  @ItemChange('coordinator', 'supervisor')
  dueDate(@CurrentUser() u: Principal, @Param() { region, year, n }: ActionItemParam, @Body() body: DueDateDto, @Req() r: Request) {
    return this.plan.dueDate(u, region, year, n, body, requestIdOf(r));
  }

  @Put(':region/:year/plan/items/:n/training')
  @ApiOperation({ summary: "Record the Train-the-Trainer course of a training item: dates, host country, trainees per country" })
  @ItemChange('member', 'coordinator', 'supervisor')
  training(@CurrentUser() u: Principal, @Param() { region, year, n }: ActionItemParam, @Body() body: TrainingDto, @Req() r: Request) {
    return this.plan.training(u, region, year, n, body, requestIdOf(r));
  }

  @Post(':region/:year/plan/items/:n/operation')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Turn an operation item into a planned regional operation, prefilled from the item (coordinators)' })
  @ApiCreatedResponse({ type: ItemOperationCreatedDto })
  @ApiObject() @ApiJsonBody() @ApiErrors(403, 409, 422)
  operation(@CurrentUser() u: Principal, @Param() { region, year, n }: ActionItemParam, @Body() body: ItemOperationDto, @Req() r: Request) {
    return this.plan.operation(u, region, year, n, body, false, requestIdOf(r));
  }

  @Post(':region/:year/plan/items/:n/exercise')
  @Roles('coordinator')
  @ApiOperation({ summary: 'Run an exercise-mode operation for a training item (coordinators); countries default to the course’s host and trainees' })
  @ApiCreatedResponse({ type: ItemOperationCreatedDto })
  @ApiObject() @ApiJsonBody() @ApiErrors(403, 409, 422)
  exercise(@CurrentUser() u: Principal, @Param() { region, year, n }: ActionItemParam, @Body() body: ItemOperationDto, @Req() r: Request) {
    return this.plan.operation(u, region, year, n, body, true, requestIdOf(r));
  }
}
