import { Body, Controller, Get, HttpCode, Module, Param, Post, Query, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Indicator } from '../../../workflows/common/domain';
import type { Tlp } from '../../../workflows/dissemination/dissemination.messages';
import { CurrentUser, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { ApiErrors } from '../common/api-errors';
import { AuditService } from '../infra/audit.service';
import { DisseminationsService } from './disseminations.service';
import {
  ApprovalDto,
  DisseminateDto,
  DisseminationIdParam,
  FeedbackDto,
  IntelIdParam,
  ListDisseminationsQuery,
  ListIntelQuery,
  RecallDto,
  RecipientParam,
  SubmitIntelDto,
} from './intel.dto';
import { IntelService } from './intel.service';
import { stixBundle } from './stix';

const requestIdOf = (req: Request) => String((req as Request & { id?: unknown }).id ?? '');

@ApiTags('intel')
@ApiBearerAuth()
@Controller('intel')
export class IntelController {
  constructor(
    private readonly intel: IntelService,
    private readonly disseminations: DisseminationsService,
  ) {}

  /** Intake: normalised, deconflicted, stored as `received` or as a `duplicate` of an earlier item. */
  @Post()
  @Roles('analyst', 'member')
  @ApiCreatedResponse({ description: 'taken in: `{ id, status: received | duplicate, duplicateOf, deconfliction }`' })
  @ApiErrors(400, 401, 403, 503)
  submit(@CurrentUser() u: Principal, @Body() body: SubmitIntelDto, @Req() r: Request) {
    return this.intel.submit(u, body, requestIdOf(r));
  }

  /** Inbox: what the caller may read under the TLP rules (members: sent to or submitted by their country). */
  @Get()
  @ApiOkResponse({ description: '`{ items, nextCursor }`, newest first, without summaries or indicators' })
  @ApiErrors(400, 401, 503)
  list(@CurrentUser() u: Principal, @Query() query: ListIntelQuery, @Req() r: Request) {
    return this.intel.list(u, query, requestIdOf(r));
  }

  @Get(':id')
  @ApiOkResponse({ description: 'the item with its content' })
  @ApiErrors(400, 401, 404, 410, 503)
  detail(@CurrentUser() u: Principal, @Param() { id }: IntelIdParam, @Req() r: Request) {
    return this.intel.detail(u, id, requestIdOf(r));
  }

  /** The item as a STIX 2.1 bundle, under the same TLP rules. */
  @Get(':id/stix')
  @ApiOkResponse({ description: 'a STIX 2.1 bundle (identity, marking definition, indicators, report)' })
  @ApiErrors(400, 401, 404, 410, 503)
  async stix(@CurrentUser() u: Principal, @Param() { id }: IntelIdParam, @Req() r: Request) {
    const item = await this.intel.readable(u, id);
    await this.intel.auditReads(u, [item.id], 'stix', requestIdOf(r));
    return stixBundle({ ...item, tlp: item.tlp as Tlp, indicators: item.indicators as unknown as Indicator[] });
  }

  @Post(':id/disseminate')
  @Roles('analyst')
  @ApiCreatedResponse({ description: '`{ id: DS-…, intelId, status: active | pending_approval, recipients, approvalRequired }`' })
  @ApiErrors(400, 401, 403, 404, 409, 410, 422, 503)
  disseminate(@CurrentUser() u: Principal, @Param() { id }: IntelIdParam, @Body() body: DisseminateDto, @Req() r: Request) {
    return this.disseminations.disseminate(u, id, body, requestIdOf(r));
  }
}

@ApiTags('intel')
@ApiBearerAuth()
@Controller('disseminations')
export class DisseminationsController {
  constructor(private readonly disseminations: DisseminationsService) {}

  @Get()
  @Roles('analyst', 'supervisor', 'member')
  @ApiOkResponse({ description: '`{ items, nextCursor }`; a member gets its own row per dissemination' })
  @ApiErrors(400, 401, 403, 503)
  list(@CurrentUser() u: Principal, @Query() query: ListDisseminationsQuery) {
    return this.disseminations.list(u, query);
  }

  /** Per-recipient status, attempts and live totals; a member sees its own country's row only. */
  @Get(':id')
  @Roles('analyst', 'supervisor', 'member')
  @ApiOkResponse({ description: 'per-recipient status, level, attempts, acknowledgement and feedback; totals for staff' })
  @ApiErrors(400, 401, 403, 404, 503)
  detail(@CurrentUser() u: Principal, @Param() { id }: DisseminationIdParam) {
    return this.disseminations.detail(u, id);
  }

  @Post(':id/recipients/:iso/ack')
  @HttpCode(200)
  @Roles('member', 'analyst', 'supervisor')
  @ApiOkResponse({ description: 'the recipient\'s status after the acknowledgement (a repeat changes nothing)' })
  @ApiErrors(400, 401, 403, 404, 409, 410, 503)
  ack(@CurrentUser() u: Principal, @Param() { id, iso }: RecipientParam, @Req() r: Request) {
    return this.disseminations.answer(u, id, iso, 'ack', undefined, requestIdOf(r));
  }

  @Post(':id/recipients/:iso/feedback')
  @HttpCode(200)
  @Roles('member', 'analyst', 'supervisor')
  @ApiOkResponse({ description: 'the recipient\'s status with its feedback' })
  @ApiErrors(400, 401, 403, 404, 409, 410, 503)
  feedback(@CurrentUser() u: Principal, @Param() { id, iso }: RecipientParam, @Body() body: FeedbackDto, @Req() r: Request) {
    return this.disseminations.answer(u, id, iso, 'feedback', body, requestIdOf(r));
  }

  /** Recipients are told; content is no longer served to them (410), nor shown to others (404). */
  @Post(':id/recall')
  @HttpCode(200)
  @Roles('analyst')
  @ApiOkResponse({ description: 'the dissemination, recalled' })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  recall(@CurrentUser() u: Principal, @Param() { id }: DisseminationIdParam, @Body() body: RecallDto, @Req() r: Request) {
    return this.disseminations.recall(u, id, body.reason, requestIdOf(r));
  }

  /** The originator's answer to a widened RED / AMBER+STRICT audience. */
  @Post(':id/approval')
  @HttpCode(200)
  @Roles('member', 'analyst')
  @ApiOkResponse({ description: 'the dissemination after the originator\'s decision' })
  @ApiErrors(400, 401, 403, 404, 409, 503)
  approval(@CurrentUser() u: Principal, @Param() { id }: DisseminationIdParam, @Body() body: ApprovalDto, @Req() r: Request) {
    return this.disseminations.approve(u, id, body, requestIdOf(r));
  }
}

@Module({ controllers: [IntelController, DisseminationsController], providers: [IntelService, DisseminationsService, AuditService], exports: [IntelService] })
export class IntelModule {}
