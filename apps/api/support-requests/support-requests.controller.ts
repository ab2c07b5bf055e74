import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../auth/auth.guard';
import { ConsistencyQuery } from '../common/consistency';
import type { Principal } from '../auth/principal';
import {
  ActionDto,
  AssignDto,
  CloseDto,
  ListSupportRequestsQuery,
  PauseClockDto,
  ProvideInfoDto,
  ReasonDto,
  RequestIdParam,
  RequestInfoDto,
  ResolveDto,
  SubmitSupportRequestDto,
  TriageDto,
} from './support-requests.dto';
import { SupportRequestsService } from './support-requests.service';

const requestIdOf = (req: Request) => String((req as Request & { id?: unknown }).id ?? '');

@ApiTags('support-requests')
@ApiBearerAuth()
@Controller('support-requests')
export class SupportRequestsController {
  constructor(private readonly requests: SupportRequestsService) {}

  @Post()
  @Roles('member')
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'a retry with the same key returns the same request' })
  async submit(
    @CurrentUser() user: Principal,
    @Body() body: SubmitSupportRequestDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.requests.submit(user, body, idempotencyKey, requestIdOf(req));
    res.status(result.created ? 201 : 200);
    return result.body;
  }

  @Get()
  list(@CurrentUser() user: Principal, @Query() query: ListSupportRequestsQuery) {
    return this.requests.list(user, query);
  }

  @Get(':id')
  detail(@CurrentUser() user: Principal, @Param() { id }: RequestIdParam, @Query() { consistency }: ConsistencyQuery) {
    return this.requests.detail(user, id, consistency);
  }

  @Get(':id/history')
  history(@CurrentUser() user: Principal, @Param() { id }: RequestIdParam) {
    return this.requests.history(user, id);
  }

  @Post(':id/triage') @HttpCode(200)
  triage(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: TriageDto, @Req() r: Request) {
    return this.requests.change(u, id, 'triage', b, requestIdOf(r));
  }

  @Post(':id/assign') @HttpCode(200)
  assign(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: AssignDto, @Req() r: Request) {
    return this.requests.change(u, id, 'assign', b, requestIdOf(r));
  }

  @Post(':id/actions') @HttpCode(200)
  actions(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: ActionDto, @Req() r: Request) {
    return this.requests.change(u, id, 'actions', b, requestIdOf(r));
  }

  @Post(':id/request-info') @HttpCode(200)
  requestInfo(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: RequestInfoDto, @Req() r: Request) {
    return this.requests.change(u, id, 'request-info', b, requestIdOf(r));
  }

  @Post(':id/provide-info') @HttpCode(200)
  provideInfo(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: ProvideInfoDto, @Req() r: Request) {
    return this.requests.change(u, id, 'provide-info', b, requestIdOf(r));
  }

  @Post(':id/resolve') @HttpCode(200)
  resolve(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: ResolveDto, @Req() r: Request) {
    return this.requests.change(u, id, 'resolve', b, requestIdOf(r));
  }

  @Post(':id/close') @HttpCode(200)
  close(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: CloseDto, @Req() r: Request) {
    return this.requests.change(u, id, 'close', b, requestIdOf(r));
  }

  @Post(':id/cancel') @HttpCode(200)
  cancel(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: ReasonDto, @Req() r: Request) {
    return this.requests.change(u, id, 'cancel', b, requestIdOf(r));
  }

  @Post(':id/reopen') @HttpCode(200)
  reopen(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: ReasonDto, @Req() r: Request) {
    return this.requests.change(u, id, 'reopen', b, requestIdOf(r));
  }

  /** Stops the resolution clock for a reason outside the requester (partner answer, legal process). */
  @Post(':id/pause-clock') @HttpCode(200)
  pauseClock(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: PauseClockDto, @Req() r: Request) {
    return this.requests.change(u, id, 'pause-clock', b, requestIdOf(r));
  }

  @Post(':id/resume-clock') @HttpCode(200)
  resumeClock(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: CloseDto, @Req() r: Request) {
    return this.requests.change(u, id, 'resume-clock', b, requestIdOf(r));
  }
}
