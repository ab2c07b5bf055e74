import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { applyDecorators } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../auth/auth.guard';
import { ApiErrors, ApiJsonBody, ApiObject, ApiParams, ApiSecured, linksById } from '../common/openapi';
import { ConsistencyQuery } from '../common/consistency';
import type { Principal } from '../auth/principal';
import {
  ActionDto,
  AssignDto,
  CloseDto,
  ResumeClockDto,
  HistoryDto,
  IDEMPOTENCY_KEY,
  ListSupportRequestsQuery,
  PauseClockDto,
  ProvideInfoDto,
  ReasonDto,
  RequestIdParam,
  RequestInfoDto,
  ResolveDto,
  SubmitAnswerDto,
  SubmitSupportRequestDto,
  SupportRequestListDto,
  SupportRequestViewDto,
  TriageDto,
} from './support-requests.dto';
import { SupportRequestsService } from './support-requests.service';

const requestIdOf = (req: Request) => String((req as Request & { id?: unknown }).id ?? '');

const SUBMITTED_LINKS = linksById('SupportRequestsController', [
  'detail', 'history', 'triage', 'assign', 'actions', 'requestInfo', 'provideInfo', 'resolve', 'close', 'cancel', 'reopen', 'pauseClock', 'resumeClock',
]);

/** A lifecycle change: a JSON body, a role check (403), a state check (409), cross-field rules (422). */
const LifecycleChange = () =>
  applyDecorators(HttpCode(200), ApiOkResponse({ type: SupportRequestViewDto }), ApiObject(), ApiJsonBody(), ApiErrors(403, 409, 422));

@ApiTags('support-requests')
@ApiSecured()
@Controller('support-requests')
export class SupportRequestsController {
  constructor(private readonly requests: SupportRequestsService) {}

  @Post()
  @Roles('member')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'a retry with the same key and body returns the same request (200); the same key with another body is 422',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source, minLength: 1, maxLength: 200 },
  })
  @ApiCreatedResponse({ type: SubmitAnswerDto, description: 'submitted', links: SUBMITTED_LINKS })
  @ApiOkResponse({ type: SubmitAnswerDto, description: 'a retry with the same Idempotency-Key: the request it created' })
  @ApiJsonBody()
  @ApiErrors(403, 422)
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
  @ApiOkResponse({ type: SupportRequestListDto })
  @ApiParams()
  @ApiErrors(422)
  list(@CurrentUser() user: Principal, @Query() query: ListSupportRequestsQuery) {
    return this.requests.list(user, query);
  }

  @Get(':id')
  @ApiOkResponse({ type: SupportRequestViewDto })
  @ApiObject()
  detail(@CurrentUser() user: Principal, @Param() { id }: RequestIdParam, @Query() { consistency }: ConsistencyQuery) {
    return this.requests.detail(user, id, consistency);
  }

  @Get(':id/history')
  @ApiOkResponse({ type: HistoryDto })
  @ApiObject()
  history(@CurrentUser() user: Principal, @Param() { id }: RequestIdParam) {
    return this.requests.history(user, id);
  }

  @Post(':id/triage') @LifecycleChange()
  triage(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: TriageDto, @Req() r: Request) {
    return this.requests.change(u, id, 'triage', b, requestIdOf(r));
  }

  @Post(':id/assign') @LifecycleChange()
  assign(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: AssignDto, @Req() r: Request) {
    return this.requests.change(u, id, 'assign', b, requestIdOf(r));
  }

  @Post(':id/actions') @LifecycleChange()
  actions(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: ActionDto, @Req() r: Request) {
    return this.requests.change(u, id, 'actions', b, requestIdOf(r));
  }

  @Post(':id/request-info') @LifecycleChange()
  requestInfo(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: RequestInfoDto, @Req() r: Request) {
    return this.requests.change(u, id, 'request-info', b, requestIdOf(r));
  }

  @Post(':id/provide-info') @LifecycleChange()
  provideInfo(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: ProvideInfoDto, @Req() r: Request) {
    return this.requests.change(u, id, 'provide-info', b, requestIdOf(r));
  }

  @Post(':id/resolve') @LifecycleChange()
  resolve(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: ResolveDto, @Req() r: Request) {
    return this.requests.change(u, id, 'resolve', b, requestIdOf(r));
  }

  @Post(':id/close') @LifecycleChange()
  close(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: CloseDto, @Req() r: Request) {
    return this.requests.change(u, id, 'close', b, requestIdOf(r));
  }

  @Post(':id/cancel') @LifecycleChange()
  cancel(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: ReasonDto, @Req() r: Request) {
    return this.requests.change(u, id, 'cancel', b, requestIdOf(r));
  }

  @Post(':id/reopen') @LifecycleChange()
  reopen(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: ReasonDto, @Req() r: Request) {
    return this.requests.change(u, id, 'reopen', b, requestIdOf(r));
  }

  /** Stops the resolution clock for a reason outside the requester (partner answer, legal process). */
  @Post(':id/pause-clock') @LifecycleChange()
  pauseClock(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: PauseClockDto, @Req() r: Request) {
    return this.requests.change(u, id, 'pause-clock', b, requestIdOf(r));
  }

  @Post(':id/resume-clock') @LifecycleChange()
  resumeClock(@CurrentUser() u: Principal, @Param() { id }: RequestIdParam, @Body() b: ResumeClockDto, @Req() r: Request) {
    return this.requests.change(u, id, 'resume-clock', b, requestIdOf(r));
  }
}
