import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDateString,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { CATEGORIES, PRIORITIES } from '../../../workflows/common/domain';
import { ACTION_KINDS, MODES, SUPPORT_REQUEST_STATUSES } from '../../../workflows/support-request/support-request.messages';
import { IndicatorDto } from '../common/indicators';
import { PageQuery } from '../common/paging';
import { IsIsoCountry, OneOf } from '../common/validation';

class OnSiteDto {
  @ApiPropertyOptional() @IsOptional() @IsDateString()
  plannedStart?: string;

  @ApiPropertyOptional() @IsOptional() @IsDateString()
  plannedEnd?: string;

  @ApiPropertyOptional({ type: [String] }) @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true })
  team?: string[];
}

export class SubmitSupportRequestDto {
  @OneOf(CATEGORIES)
  category!: string;

  @OneOf(MODES)
  mode!: string;

  @OneOf(PRIORITIES)
  priority!: string;

  @ApiProperty({ example: 'Botnet C2 hosted on bulletproof infrastructure' }) @IsString() @Length(3, 300)
  title!: string;

  @ApiProperty() @IsString() @Length(1, 20_000)
  description!: string;

  @ApiProperty({ type: [IndicatorDto] })
  @IsArray()
  @ArrayMaxSize(500)
  @ValidateNested({ each: true })
  @Type(() => IndicatorDto)
  indicators!: IndicatorDto[];

  @ApiPropertyOptional({ type: [String], description: 'related case or request references' })
  @IsOptional() @IsArray() @ArrayMaxSize(50) @IsString({ each: true })
  relatedRefs?: string[];

  @ApiPropertyOptional({ type: OnSiteDto, description: 'planned deployment, for mode on_site' })
  @IsOptional() @ValidateNested() @Type(() => OnSiteDto)
  onSite?: OnSiteDto;
}

export class ListSupportRequestsQuery extends PageQuery {
  @OneOf(SUPPORT_REQUEST_STATUSES, { optional: true })
  status?: string;

  @IsIsoCountry({ optional: true })
  country?: string;

  @OneOf(PRIORITIES, { optional: true })
  priority?: string;

  @OneOf(CATEGORIES, { optional: true })
  category?: string;
}

export class RequestIdParam {
  @ApiProperty({ example: 'SR-1A2B3C4D5E6F' }) @Matches(/^SR-[0-9A-F]{12}$/, { message: 'id must look like SR-1A2B3C4D5E6F' })
  id!: string;
}

export class TriageDto {
  @OneOf(['accept', 'reject', 'duplicate'])
  decision!: 'accept' | 'reject' | 'duplicate';

  @ApiPropertyOptional() @ValidateIf((o: TriageDto) => o.decision === 'reject' || o.reason !== undefined) @IsString() @Length(1, 2000)
  reason?: string;

  @ApiPropertyOptional({ example: 'SR-1A2B3C4D5E6F' })
  @ValidateIf((o: TriageDto) => o.decision === 'duplicate' || o.duplicateOf !== undefined)
  @Matches(/^SR-[0-9A-F]{12}$/, { message: 'duplicateOf must be the id of the request this one duplicates' })
  duplicateOf?: string;
}

export class AssignDto {
  @ApiProperty({ example: 'officer.manila@cyberops.test' }) @IsString() @Length(1, 200)
  assignee!: string;
}

export class ActionDto {
  @OneOf(ACTION_KINDS)
  kind!: string;

  @ApiProperty() @IsString() @Length(1, 5000)
  note!: string;

  @ApiPropertyOptional() @ValidateIf((o: ActionDto) => o.kind === 'on_site_deployment' || o.startsAt !== undefined) @IsDateString()
  startsAt?: string;

  @ApiPropertyOptional() @ValidateIf((o: ActionDto) => o.kind === 'on_site_deployment' || o.endsAt !== undefined) @IsDateString()
  endsAt?: string;

  @ApiPropertyOptional({ type: [String] })
  @ValidateIf((o: ActionDto) => o.kind === 'on_site_deployment' || o.team !== undefined)
  @IsArray() @ArrayMaxSize(50) @IsString({ each: true })
  team?: string[];
}

export class RequestInfoDto {
  @ApiProperty() @IsString() @Length(1, 5000)
  question!: string;
}

export class ProvideInfoDto {
  @ApiProperty() @IsString() @Length(1, 20_000)
  answer!: string;
}

export class ResolveDto {
  @ApiProperty() @IsString() @Length(1, 20_000)
  summary!: string;
}

export class CloseDto {
  @ApiPropertyOptional({ description: 'requester feedback on the support received' }) @IsOptional() @IsString() @Length(0, 5000)
  feedback?: string;
}

export class PauseClockDto {
  @OneOf(['awaiting_partner', 'legal_process'])
  reason!: 'awaiting_partner' | 'legal_process';
}

export class ReasonDto {
  @ApiProperty() @IsString() @Length(1, 2000)
  reason!: string;
}
