import { Body, Controller, Get, Headers, HttpCode, Module, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { ApiErrors, ApiJsonBody, ApiObject, ApiParams, ApiSecured, linksById } from '../common/openapi';
import { AuditService } from '../infra/audit.service';
import { WorkflowUpdates } from '../infra/workflow-updates';
import { ResultsDto } from '../operations/operations.dto';
import { IDEMPOTENCY_KEY } from '../support-requests/support-requests.dto';
import { PartnerAccess } from './partner-access';
import {
  CreatePartnerGrantDto,
  ListPartnerGrantsQuery,
  PartnerFeedbackDto,
  PartnerGrantIdParam,
  PartnerGrantListDto,
  PartnerGrantViewDto,
  RevokeGrantDto,
} from './partner-grants.dto';
import { PartnerGrantsService } from './partner-grants.service';

const requestIdOf = (req: Request) => String((req as Request & { id?: unknown }).id ?? '');

/**
 * Time-boxed partner access (`partner-grant/<id>`): a coordinator (operation) or an analyst
 * (intelligence item) grants one object to a partner organisation; access ends by itself at
 * `endsAt` or at once on revocation. Partners read their organisation's live grants here and
 * send results and feedback through them.
 */
@ApiTags('partner-grants')
@ApiSecured()
@Controller('partner-grants')
export class PartnerGrantsController {
  constructor(private readonly grants: PartnerGrantsService) {}

  @Post()
  @Roles('coordinator', 'analyst')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'a retry with the same key and body returns the same grant (200); the same key with another body is 422',
    schema: { type: 'string', pattern: IDEMPOTENCY_KEY.source, minLength: 1, maxLength: 200 },
  })
  @ApiCreatedResponse({ type: PartnerGrantViewDto, description: 'granted; the workflow has projected it', links: linksById('PartnerGrantsController', ['detail', 'revoke']) })
  @ApiOkResponse({ type: PartnerGrantViewDto, description: 'a retry with the same Idempotency-Key: the grant it made' })
  @ApiJsonBody()
  @ApiErrors(403, 404, 409, 422)
  async create(
    @CurrentUser() u: Principal,
    @Body() body: CreatePartnerGrantDto,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @Req() r: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    const result = await this.grants.create(u, body, idempotencyKey, requestIdOf(r));
    res.status(result.created ? 201 : 200);
    return result.body;
  }

  @Get()
  @Roles('coordinator', 'analyst', 'supervisor', 'partner')
  @ApiOkResponse({ type: PartnerGrantListDto, description: 'granters: their grants; supervisors: all; partners: their organisation\'s live grants' })
  @ApiParams()
  @ApiErrors(403, 422)
  list(@CurrentUser() u: Principal, @Query() query: ListPartnerGrantsQuery, @Req() r: Request) {
    return this.grants.list(u, query, requestIdOf(r));
  }

  @Get(':id')
  @Roles('coordinator', 'analyst', 'supervisor', 'partner')
  @ApiOkResponse({ type: PartnerGrantViewDto })
  @ApiObject()
  @ApiErrors(403)
  detail(@CurrentUser() u: Principal, @Param() { id }: PartnerGrantIdParam, @Req() r: Request) {
    return this.grants.detail(u, id, requestIdOf(r));
  }

  /** Access ends when this answers. */
  @Post(':id/revoke')
  @HttpCode(200)
  @Roles('coordinator', 'analyst', 'supervisor')
  @ApiOkResponse({ type: PartnerGrantViewDto, description: 'the grant, revoked' })
  @ApiObject()
  @ApiJsonBody()
  @ApiErrors(403, 409)
  revoke(@CurrentUser() u: Principal, @Param() { id }: PartnerGrantIdParam, @Body() body: RevokeGrantDto, @Req() r: Request) {
    return this.grants.revoke(u, id, body.reason, requestIdOf(r));
  }

  /** A partner's results and indicators for the granted operation; the indicators feed deconfliction. */
  @Post(':id/results')
  @HttpCode(200)
  @Roles('partner')
  @ApiOkResponse({ type: PartnerGrantViewDto, description: 'the grant with the contribution recorded' })
  @ApiObject()
  @ApiJsonBody()
  @ApiErrors(403, 409)
  results(@CurrentUser() u: Principal, @Param() { id }: PartnerGrantIdParam, @Body() body: ResultsDto, @Req() r: Request) {
    return this.grants.results(u, id, body, requestIdOf(r));
  }

  /** A partner's feedback on what it received through the grant (actioned, no_action, already_known). */
  @Post(':id/feedback')
  @HttpCode(200)
  @Roles('partner')
  @ApiOkResponse({ type: PartnerGrantViewDto, description: 'the grant with the feedback recorded' })
  @ApiObject()
  @ApiJsonBody()
  @ApiErrors(403, 409)
  feedback(@CurrentUser() u: Principal, @Param() { id }: PartnerGrantIdParam, @Body() body: PartnerFeedbackDto, @Req() r: Request) {
    return this.grants.feedback(u, id, body, requestIdOf(r));
  }
}

@Module({ controllers: [PartnerGrantsController], providers: [PartnerGrantsService, PartnerAccess, AuditService, WorkflowUpdates] })
export class PartnerGrantsModule {}
