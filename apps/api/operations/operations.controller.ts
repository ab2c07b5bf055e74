import { Body, Controller, Get, HttpCode, Module, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Roles } from '../auth/auth.guard';
import { ConsistencyQuery } from '../common/consistency';
import type { Principal } from '../auth/principal';
import {
  AbortDto,
  CountriesDto,
  CreateOperationDto,
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

@ApiTags('operations')
@ApiBearerAuth()
@Controller('operations')
export class OperationsController {
  constructor(private readonly operations: OperationsService) {}

  @Post()
  @Roles('coordinator')
  create(@CurrentUser() u: Principal, @Body() body: CreateOperationDto, @Req() r: Request) {
    return this.operations.create(u, body, requestIdOf(r));
  }

  @Get()
  @Roles('coordinator', 'supervisor', 'member')
  list(@CurrentUser() u: Principal, @Query() query: ListOperationsQuery) {
    return this.operations.list(u, query);
  }

  @Get(':id')
  @Roles('coordinator', 'supervisor', 'member')
  detail(@CurrentUser() u: Principal, @Param() { id }: OperationIdParam, @Query() { consistency }: ConsistencyQuery) {
    return this.operations.detail(u, id, consistency);
  }

  @Get(':id/countries/:iso')
  @Roles('coordinator', 'supervisor', 'member')
  country(@CurrentUser() u: Principal, @Param() { id, iso }: OperationCountryParam) {
    return this.operations.countryDetail(u, id, iso);
  }

  @Post(':id/launch') @HttpCode(200) @Roles('coordinator', 'supervisor')
  launch(@CurrentUser() u: Principal, @Param() { id }: OperationIdParam, @Req() r: Request) {
    return this.operations.steer(u, id, 'launch', {}, requestIdOf(r));
  }

  @Post(':id/countries') @HttpCode(200) @Roles('coordinator', 'supervisor')
  addCountries(@CurrentUser() u: Principal, @Param() { id }: OperationIdParam, @Body() b: CountriesDto, @Req() r: Request) {
    return this.operations.steer(u, id, 'countries', { ...b }, requestIdOf(r));
  }

  @Post(':id/withdraw') @HttpCode(200) @Roles('coordinator', 'supervisor')
  withdraw(@CurrentUser() u: Principal, @Param() { id }: OperationIdParam, @Body() b: WithdrawDto, @Req() r: Request) {
    return this.operations.steer(u, id, 'withdraw', { ...b }, requestIdOf(r));
  }

  @Post(':id/extend') @HttpCode(200) @Roles('coordinator', 'supervisor')
  extend(@CurrentUser() u: Principal, @Param() { id }: OperationIdParam, @Body() b: ExtendDto, @Req() r: Request) {
    return this.operations.steer(u, id, 'extend', { ...b }, requestIdOf(r));
  }

  @Post(':id/abort') @HttpCode(200) @Roles('coordinator', 'supervisor')
  abort(@CurrentUser() u: Principal, @Param() { id }: OperationIdParam, @Body() b: AbortDto, @Req() r: Request) {
    return this.operations.steer(u, id, 'abort', { ...b }, requestIdOf(r));
  }

  @Post(':id/countries/:iso/readiness') @HttpCode(200) @Roles('member', 'coordinator', 'supervisor')
  readiness(@CurrentUser() u: Principal, @Param() { id, iso }: OperationCountryParam, @Body() b: ReadinessDto, @Req() r: Request) {
    return this.operations.participate(u, id, iso, 'readiness', b, requestIdOf(r));
  }

  @Post(':id/countries/:iso/results') @HttpCode(200) @Roles('member', 'coordinator', 'supervisor')
  results(@CurrentUser() u: Principal, @Param() { id, iso }: OperationCountryParam, @Body() b: ResultsDto, @Req() r: Request) {
    return this.operations.participate(u, id, iso, 'results', b, requestIdOf(r));
  }

  @Post(':id/countries/:iso/final-report') @HttpCode(200) @Roles('member', 'coordinator', 'supervisor')
  finalReport(@CurrentUser() u: Principal, @Param() { id, iso }: OperationCountryParam, @Body() b: FinalReportDto, @Req() r: Request) {
    return this.operations.participate(u, id, iso, 'final-report', b, requestIdOf(r));
  }
}

@Module({ controllers: [OperationsController], providers: [OperationsService, WorkflowUpdates] })
export class OperationsModule {}
