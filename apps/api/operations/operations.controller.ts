import { applyDecorators, Body, Controller, Get, HttpCode, Module, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { PartnerOperationViewDto } from '../partner-grants/partner-grants.dto';
import { PartnerAccess } from '../partner-grants/partner-access';
import { AuditService } from '../infra/audit.service';
import type { Request } from 'express';
import { CurrentUser, Roles } from '../auth/auth.guard';
import { ConsistencyQuery } from '../common/consistency';
import type { Principal } from '../auth/principal';
import { ApiErrors, ApiJsonBody, ApiObject, ApiParams, ApiSecured, linksById } from '../common/openapi';
import {
  AbortDto,
  CountriesDto,
  CountryParticipationDto,
  CreateOperationDto,
  OperationCreatedDto,
  OperationListDto,
  OperationViewDto,
  ExtendDto,
  FinalReportDto,
  ListOperationsQuery,
  OperationCountryParam,
  OperationIdParam,
  ReadinessDto,
  ResultsDto,
  WithdrawDto,
} from './operations.dto';
import { WorkflowUpdates } from '../infra/workflow-updates';
import { OperationsService } from './operations.service';

const requestIdOf = (req: Request) => String((req as Request & { id?: unknown }).id ?? '');

/** A change to an operation: 403 for other roles, 404 out of scope, 409 when its phase refuses it. */
const Steer = (body = true) =>
  applyDecorators(HttpCode(200), Roles('coordinator', 'supervisor'), ApiOkResponse({ type: OperationViewDto }), ApiObject(), ...(body ? [ApiJsonBody()] : []), ApiErrors(403, 409, 422));
const Participate = () =>
  applyDecorators(HttpCode(200), Roles('member', 'coordinator', 'supervisor'), ApiOkResponse({ type: CountryParticipationDto }), ApiObject(), ApiJsonBody(), ApiErrors(403, 409));

@ApiTags('operations')
@ApiSecured()
@Controller('operations')
export class OperationsController {
  constructor(private readonly operations: OperationsService) {}

  @Post()
  @Roles('coordinator')
  @ApiCreatedResponse({
    type: OperationCreatedDto,
    links: {
      ...linksById('OperationsController', ['detail', 'launch', 'addCountries', 'withdraw', 'extend', 'abort']),
      ...linksById('OperationsController', ['country', 'readiness', 'results', 'finalReport'], { iso: 'PH' }),
    },
  })
  @ApiJsonBody()
  @ApiErrors(403, 422)
  create(@CurrentUser() u: Principal, @Body() body: CreateOperationDto, @Req() r: Request) {
    return this.operations.create(u, body, requestIdOf(r));
  }

  @Get()
  @Roles('coordinator', 'supervisor', 'member', 'partner')
  @ApiOkResponse({ type: OperationListDto, description: 'partners: the operations their organisation is granted now' })
  @ApiParams()
  @ApiErrors(403, 422)
  list(@CurrentUser() u: Principal, @Query() query: ListOperationsQuery, @Req() r: Request) {
    return this.operations.list(u, query, requestIdOf(r));
  }

  @Get(':id')
  @Roles('coordinator', 'supervisor', 'member', 'partner')
  @ApiExtraModels(OperationViewDto, PartnerOperationViewDto)
  @ApiOkResponse({
    description: 'progress per country and totals; a partner with a live grant gets the plan and result sums only (PartnerOperationViewDto)',
    schema: { oneOf: [{ $ref: getSchemaPath(OperationViewDto) }, { $ref: getSchemaPath(PartnerOperationViewDto) }] },
  })
  @ApiObject()
  @ApiErrors(403)
  detail(@CurrentUser() u: Principal, @Param() { id }: OperationIdParam, @Query() { consistency }: ConsistencyQuery, @Req() r: Request) {
    if (u.role === 'partner') return this.operations.partnerDetail(u, id, requestIdOf(r));
    return this.operations.detail(u, id, consistency);
  }

  @Get(':id/countries/:iso')
  @Roles('coordinator', 'supervisor', 'member')
  @ApiOkResponse({ type: CountryParticipationDto })
  @ApiObject()
  @ApiErrors(403)
  country(@CurrentUser() u: Principal, @Param() { id, iso }: OperationCountryParam) {
    return this.operations.countryDetail(u, id, iso);
  }

  @Post(':id/launch') @Steer(false)
  launch(@CurrentUser() u: Principal, @Param() { id }: OperationIdParam, @Req() r: Request) {
    return this.operations.steer(u, id, 'launch', {}, requestIdOf(r));
  }

  @Post(':id/countries') @Steer()
  addCountries(@CurrentUser() u: Principal, @Param() { id }: OperationIdParam, @Body() b: CountriesDto, @Req() r: Request) {
    return this.operations.steer(u, id, 'countries', { ...b }, requestIdOf(r));
  }

  @Post(':id/withdraw') @Steer()
  withdraw(@CurrentUser() u: Principal, @Param() { id }: OperationIdParam, @Body() b: WithdrawDto, @Req() r: Request) {
    return this.operations.steer(u, id, 'withdraw', { ...b }, requestIdOf(r));
  }

  @Post(':id/extend') @Steer()
  extend(@CurrentUser() u: Principal, @Param() { id }: OperationIdParam, @Body() b: ExtendDto, @Req() r: Request) {
    return this.operations.steer(u, id, 'extend', { ...b }, requestIdOf(r));
  }

  @Post(':id/abort') @Steer()
  abort(@CurrentUser() u: Principal, @Param() { id }: OperationIdParam, @Body() b: AbortDto, @Req() r: Request) {
    return this.operations.steer(u, id, 'abort', { ...b }, requestIdOf(r));
  }

  @Post(':id/countries/:iso/readiness') @Participate()
  readiness(@CurrentUser() u: Principal, @Param() { id, iso }: OperationCountryParam, @Body() b: ReadinessDto, @Req() r: Request) {
    return this.operations.participate(u, id, iso, 'readiness', b, requestIdOf(r));
  }

  @Post(':id/countries/:iso/results') @Participate()
  results(@CurrentUser() u: Principal, @Param() { id, iso }: OperationCountryParam, @Body() b: ResultsDto, @Req() r: Request) {
    return this.operations.participate(u, id, iso, 'results', b, requestIdOf(r));
  }

  @Post(':id/countries/:iso/final-report') @Participate()
  finalReport(@CurrentUser() u: Principal, @Param() { id, iso }: OperationCountryParam, @Body() b: FinalReportDto, @Req() r: Request) {
    return this.operations.participate(u, id, iso, 'final-report', b, requestIdOf(r));
  }
}

@Module({ controllers: [OperationsController], providers: [OperationsService, WorkflowUpdates, PartnerAccess, AuditService], exports: [OperationsService] })
export class OperationsModule {}
