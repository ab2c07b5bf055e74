import { Controller, Get, Headers, HttpCode, MessageEvent, Param, Post, Query, Req, Sse } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Observable } from 'rxjs';
import type { AlertView } from '../../../activities/alerts/alert-events';
import { CurrentUser, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { ApiErrors, ApiObject, ApiParams, ApiSecured } from '../common/openapi';
import { AlertStreamService } from './alert-stream.service';
import { AlertIdParam, AlertListDto, AlertListQuery, AlertViewDto } from './alerts.dto';
import { AlertsService } from './alerts.service';

@ApiTags('alerts')
@ApiSecured()
@ApiErrors(403)
@Roles('supervisor', 'coordinator')
@Controller('alerts')
export class AlertsController {
  constructor(
    private readonly alerts: AlertsService,
    private readonly stream: AlertStreamService,
  ) {}

  @Get()
  @ApiOperation({
    summary:
      'SLA and deadline escalation alerts in scope, newest first (regional coordinators: their region)',
  })
  @ApiOkResponse({ type: AlertListDto })
  @ApiParams()
  @ApiErrors(422)
  list(
    @CurrentUser() user: Principal,
    @Query() query: AlertListQuery,
  ): Promise<{ items: AlertView[]; nextCursor: string | null }> {
    return this.alerts.list(user, query);
  }

  /** Declared before `:id` so the path is not taken for an alert id. */
  @Sse('stream')
  @ApiOperation({
    summary: 'Server-Sent Events: one event per alert change in scope',
    description:
      'Event type is the change (raised, escalated, acknowledged, rearmed, resolved), data the alert JSON, ' +
      'id the change\'s sequence number; a comment is sent every 15 s. A client reconnecting with `Last-Event-ID` ' +
      'first gets every alert in scope changed since (its current state, oldest change first, at most 500). ' +
      'The stream ends when the token expires. EventSource cannot send headers, so this ' +
      'route alone also accepts the bearer token as `?access_token=`.',
  })
  @ApiProduces('text/event-stream')
  // Named as the @Headers parameter reads it, so the document has one optional header (an id it cannot use is ignored).
  @ApiHeader({ name: 'last-event-id', required: false, schema: { type: 'string' }, description: 'Last-Event-ID: id of the last event received; missed changes are replayed' })
  @ApiOkResponse({ description: 'an endless event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } })
  @ApiQuery({
    name: 'access_token',
    required: false,
    description: 'bearer token, for clients that cannot send an Authorization header',
  })
  events(@CurrentUser() user: Principal, @Headers('last-event-id') lastEventId?: string): Promise<Observable<MessageEvent>> {
    return this.stream.open(user, lastEventId);
  }

  @Get(':id')
  @ApiOkResponse({ type: AlertViewDto })
  @ApiObject()
  get(@CurrentUser() user: Principal, @Param() params: AlertIdParam): Promise<AlertView> {
    return this.alerts.get(user, params.id);
  }

  @Post(':id/ack')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Acknowledge an alert: stops its escalation; acknowledging twice answers the first acknowledgement',
  })
  @ApiOkResponse({ type: AlertViewDto })
  @ApiObject()
  acknowledge(
    @CurrentUser() user: Principal,
    @Param() params: AlertIdParam,
    @Req() request: { id?: unknown },
  ): Promise<AlertView> {
    return this.alerts.acknowledge(user, params.id, typeof request.id === 'string' ? request.id : undefined);
  }
}
