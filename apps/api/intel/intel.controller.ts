import { Body, Controller, Get, HttpCode, Module, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiExtraModels, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import type { Indicator } from '../../../workflows/common/domain';
import type { Tlp } from '../../../workflows/dissemination/dissemination.messages';
import { ROLES } from '../../../workflows/common/domain';
import { CurrentUser, Roles } from '../auth/auth.guard';
import { GradeIntelDto, PartnerAccessDto } from '../partner-grants/partner-grants.dto';
import { PartnerAccess } from '../partner-grants/partner-access';
import type { Principal } from '../auth/principal';
import { ApiErrors, ApiJsonBody, ApiObject, ApiParams, ApiSecured, linksById } from '../common/openapi';
import { AuditService } from '../infra/audit.service';
import { DisseminationsService } from './disseminations.service';
import {
  ApprovalDto,
  DisseminateDto,
  DisseminationCreatedDto,
  DisseminationDetailDto,
  DisseminationIdParam,
  DisseminationListDto,
  DisseminationStateDto,
  FeedbackDto,
  INTEL_DETAIL_SCHEMA,
  IntelIdParam,
  IntelItemDto,
  IntelListDto,
  IntelSubmittedDto,
  ListDisseminationsQuery,
  ListIntelQuery,
  PartnerIntelItemDto,
  RecallDto,
  RecipientAnswerDto,
  RecipientParam,
  SubmitIntelDto,
} from './intel.dto';
import { IntelService } from './intel.service';
import { stixBundle } from './stix';
import { StixBundleDto } from './stix.dto';

const requestIdOf = (req: Request) => String((req as Request & { id?: unknown }).id ?? '');

@ApiTags('intel')
@ApiExtraModels(IntelItemDto, PartnerIntelItemDto)
@ApiSecured()
@Controller('intel')
export class IntelController {
  constructor(
    private readonly intel: IntelService,
    private readonly disseminations: DisseminationsService,
  ) {}

  /** Intake: normalised, deconflicted, stored as `received` or as a `duplicate` of an earlier item. */
  @Post()
  @Roles('analyst', 'member', 'partner')
  @ApiCreatedResponse({ type: IntelSubmittedDto, links: linksById('IntelController', ['detail', 'stix', 'grade', 'partnerAccess', 'disseminate']), description: 'taken in: `{ id, status: received | duplicate | awaiting_grading, duplicateOf, deconfliction }`; a partner\'s item awaits an analyst\'s grading' })
  @ApiJsonBody() @ApiErrors(403, 422)
  submit(@CurrentUser() u: Principal, @Body() body: SubmitIntelDto, @Req() r: Request) {
    return this.intel.submit(u, body, requestIdOf(r));
  }

  /** Inbox: what the caller may read under the TLP rules (members: sent to or submitted by their country). */
  @Get()
  @Roles(...ROLES)
  @ApiOkResponse({ type: IntelListDto, description: '`{ items, nextCursor }`, newest first, without summaries or indicators; partners: the items granted to their organisation now and their own submissions' })
  @ApiParams() @ApiErrors(422)
  list(@CurrentUser() u: Principal, @Query() query: ListIntelQuery, @Req() r: Request) {
    if (u.role === 'partner') return this.intel.partnerList(u, query, requestIdOf(r));
    return this.intel.list(u, query, requestIdOf(r));
  }

  @Get(':id')
  @Roles(...ROLES)
  @ApiOkResponse({ schema: INTEL_DETAIL_SCHEMA, description: 'the item with its content; a partner gets the content only when the item\'s marking is within its grant\'s ceiling (`contentWithheld` otherwise)' })
  @ApiObject() @ApiErrors(410)
  detail(@CurrentUser() u: Principal, @Param() { id }: IntelIdParam, @Req() r: Request) {
    if (u.role === 'partner') return this.intel.partnerDetail(u, id, requestIdOf(r));
    return this.intel.detail(u, id, requestIdOf(r));
  }

  /** The item as a STIX 2.1 bundle, under the same TLP rules. */
  @Get(':id/stix')
  @Roles(...ROLES)
  @ApiOkResponse({ type: StixBundleDto, description: 'a STIX 2.1 bundle (identity, marking definition, indicators, report); partners only within their grant\'s ceiling' })
  @ApiObject() @ApiErrors(410)
  async stix(@CurrentUser() u: Principal, @Param() { id }: IntelIdParam, @Req() r: Request) {
    const item = u.role === 'partner' ? await this.intel.partnerContent(u, id, 'stix', requestIdOf(r)) : await this.intel.readable(u, id);
    if (u.role !== 'partner') await this.intel.auditReads(u, [item.id], 'stix', requestIdOf(r));
    return stixBundle({ ...item, tlp: item.tlp as Tlp, indicators: item.indicators as unknown as Indicator[] });
  }

  /** The analyst's grading of a partner's item (Admiralty scale, marking): it may then be disseminated. */
  @Post(':id/grade')
  @HttpCode(200)
  @Roles('analyst')
  @ApiOkResponse({ type: IntelItemDto, description: 'the item, graded (`status: received`), with its content' })
  @ApiObject() @ApiJsonBody() @ApiErrors(403, 409)
  grade(@CurrentUser() u: Principal, @Param() { id }: IntelIdParam, @Body() body: GradeIntelDto, @Req() r: Request) {
    return this.intel.grade(u, id, body, requestIdOf(r));
  }

  /** Which partners were granted the item and every read and write they made (originator country, analysts, supervisors). */
  @Get(':id/partner-access')
  @Roles('analyst', 'supervisor', 'member')
  @ApiOkResponse({ type: PartnerAccessDto })
  @ApiObject() @ApiErrors(403)
  partnerAccess(@CurrentUser() u: Principal, @Param() { id }: IntelIdParam) {
    return this.intel.partnerAccess(u, id);
  }

  @Post(':id/disseminate')
  @Roles('analyst')
  @ApiCreatedResponse({
    type: DisseminationCreatedDto,
    description: '`{ id: DS-…, intelId, status: active | pending_approval, recipients, approvalRequired }`',
    links: { ...linksById('DisseminationsController', ['detail', 'recall', 'approval']), ...linksById('DisseminationsController', ['ack', 'feedback'], { iso: 'PH' }) },
  })
  @ApiObject() @ApiJsonBody() @ApiErrors(403, 409, 410, 422)
  disseminate(@CurrentUser() u: Principal, @Param() { id }: IntelIdParam, @Body() body: DisseminateDto, @Req() r: Request) {
    return this.disseminations.disseminate(u, id, body, requestIdOf(r));
  }
}

@ApiTags('intel')
@ApiSecured()
@Controller('disseminations')
export class DisseminationsController {
  constructor(private readonly disseminations: DisseminationsService) {}

  @Get()
  @Roles('analyst', 'supervisor', 'member')
  @ApiOkResponse({ type: DisseminationListDto, description: '`{ items, nextCursor }`; a member gets its own row per dissemination' })
  @ApiParams() @ApiErrors(403, 422)
  list(@CurrentUser() u: Principal, @Query() query: ListDisseminationsQuery) {
    return this.disseminations.list(u, query);
  }

  /** Per-recipient status, attempts and live totals; a member sees its own country's row only. */
  @Get(':id')
  @Roles('analyst', 'supervisor', 'member')
  @ApiOkResponse({ type: DisseminationDetailDto, description: 'per-recipient status, level, attempts, acknowledgement and feedback; totals for staff' })
  @ApiObject() @ApiErrors(403)
  detail(@CurrentUser() u: Principal, @Param() { id }: DisseminationIdParam) {
    return this.disseminations.detail(u, id);
  }

  @Post(':id/recipients/:iso/ack')
  @HttpCode(200)
  @Roles('member', 'analyst', 'supervisor')
  @ApiOkResponse({ type: RecipientAnswerDto, description: 'the recipient\'s status after the acknowledgement (a repeat changes nothing)' })
  @ApiObject() @ApiErrors(403, 409, 410)
  ack(@CurrentUser() u: Principal, @Param() { id, iso }: RecipientParam, @Req() r: Request) {
    return this.disseminations.answer(u, id, iso, 'ack', undefined, requestIdOf(r));
  }

  @Post(':id/recipients/:iso/feedback')
  @HttpCode(200)
  @Roles('member', 'analyst', 'supervisor')
  @ApiOkResponse({ type: RecipientAnswerDto, description: 'the recipient\'s status with its feedback' })
  @ApiObject() @ApiJsonBody() @ApiErrors(403, 409, 410)
  feedback(@CurrentUser() u: Principal, @Param() { id, iso }: RecipientParam, @Body() body: FeedbackDto, @Req() r: Request) {
    return this.disseminations.answer(u, id, iso, 'feedback', body, requestIdOf(r));
  }

  /** Recipients are told; content is no longer served to them (410), nor shown to others (404). */
  @Post(':id/recall')
  @HttpCode(200)
  @Roles('analyst')
  @ApiOkResponse({ type: DisseminationStateDto, description: 'the dissemination, recalled' })
  @ApiObject() @ApiJsonBody() @ApiErrors(403, 409)
  recall(@CurrentUser() u: Principal, @Param() { id }: DisseminationIdParam, @Body() body: RecallDto, @Req() r: Request) {
    return this.disseminations.recall(u, id, body.reason, requestIdOf(r));
  }

  /** The originator's answer to a widened RED / AMBER+STRICT audience. */
  @Post(':id/approval')
  @HttpCode(200)
  @Roles('member', 'analyst')
  @ApiOkResponse({ type: DisseminationStateDto, description: 'the dissemination after the originator\'s decision' })
  @ApiObject() @ApiJsonBody() @ApiErrors(403, 409)
  approval(@CurrentUser() u: Principal, @Param() { id }: DisseminationIdParam, @Body() body: ApprovalDto, @Req() r: Request) {
    return this.disseminations.approve(u, id, body, requestIdOf(r));
  }
}

@Module({ controllers: [IntelController, DisseminationsController], providers: [IntelService, DisseminationsService, AuditService, PartnerAccess], exports: [IntelService] })
export class IntelModule {}
