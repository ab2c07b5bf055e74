import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, Roles } from '../auth/auth.guard';
import type { Principal } from '../auth/principal';
import { ApiErrors, ApiJsonBody, ApiObject, ApiParams, ApiSecured } from '../common/openapi';
import { CreateOfficerDto, OfficerDto, OfficerIdParam, OfficerListDto, StaffQuery, UpdateOfficerDto } from './staff.dto';
import { StaffService } from './staff.service';

const requestIdOf = (req: Request) => String((req as Request & { id?: unknown }).id ?? '');

@ApiTags('staff')
@ApiSecured()
@ApiErrors(403)
@Controller('staff')
export class StaffController {
  constructor(private readonly staff: StaffService) {}

  @Get()
  @Roles('admin', 'supervisor', 'coordinator')
  @ApiOperation({ summary: 'The staff directory: officers who can be assigned work and are paged by escalations' })
  @ApiOkResponse({ type: OfficerListDto })
  @ApiParams()
  list(@Query() query: StaffQuery) {
    return this.staff.list(query);
  }

  @Get(':id')
  @Roles('admin', 'supervisor', 'coordinator')
  @ApiOkResponse({ type: OfficerDto })
  @ApiObject()
  get(@Param() { id }: OfficerIdParam) {
    return this.staff.get(id);
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ type: OfficerDto })
  @ApiJsonBody()
  @ApiErrors(409)
  create(@CurrentUser() user: Principal, @Body() body: CreateOfficerDto, @Req() req: Request) {
    return this.staff.create(user, body, requestIdOf(req));
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOkResponse({ type: OfficerDto })
  @ApiObject()
  @ApiJsonBody()
  @ApiErrors(409)
  update(@CurrentUser() user: Principal, @Param() { id }: OfficerIdParam, @Body() body: UpdateOfficerDto, @Req() req: Request) {
    return this.staff.update(user, id, body, requestIdOf(req));
  }

  @Post(':id/deactivate')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Deactivate an officer: no longer assignable, no longer paged (the history keeps them)' })
  @ApiOkResponse({ type: OfficerDto })
  @ApiObject()
  deactivate(@CurrentUser() user: Principal, @Param() { id }: OfficerIdParam, @Req() req: Request) {
    return this.staff.deactivate(user, id, requestIdOf(req));
  }
}
