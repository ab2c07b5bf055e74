import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { FEEDBACK_OUTCOMES } from '../../../workflows/common/deconfliction';
import { CATEGORIES, PRIORITIES, REGIONS } from '../../../workflows/common/domain';
import {
  DISSEMINATION_STATUSES,
  INTEL_STATUSES,
  RELIABILITY,
  SOURCE_KINDS,
  TLP_MARKINGS,
} from '../../../workflows/dissemination/dissemination.messages';
import { IndicatorDto } from '../common/indicators';
import { PageQuery } from '../common/paging';
import { Duration, IsIsoCountry, OneOf } from '../common/validation';

const ISO = /^[A-Z]{2}$/;
const upper = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.toUpperCase() : v)) : value);

export class IntelSourceDto {
  @OneOf(SOURCE_KINDS)
  kind!: (typeof SOURCE_KINDS)[number];

  @ApiPropertyOptional({ example: 'CERT-PH', maxLength: 200 }) @IsOptional() @IsString() @Length(1, 200)
  name?: string;

  @OneOf(RELIABILITY)
  reliability!: (typeof RELIABILITY)[number];
}

export class SubmitIntelDto {
  @ApiProperty({ example: 'Bulletproof hoster serving ransomware C2', minLength: 3, maxLength: 300 }) @IsString() @Length(3, 300)
  title!: string;

  @ApiProperty({ minLength: 1, maxLength: 20_000 }) @IsString() @Length(1, 20_000)
  summary!: string;

  @ApiProperty({ enum: CATEGORIES, isArray: true, minItems: 1, maxItems: CATEGORIES.length })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(CATEGORIES.length) @ArrayUnique()
  @IsIn(CATEGORIES, { each: true, message: `each category must be one of: ${CATEGORIES.join(', ')}` })
  categories!: (typeof CATEGORIES)[number][];

  @ApiProperty({ type: [IndicatorDto], maxItems: 1000 }) @IsArray() @ArrayMaxSize(1000) @ValidateNested({ each: true }) @Type(() => IndicatorDto)
  indicators!: IndicatorDto[];

  @OneOf(PRIORITIES)
  priority!: (typeof PRIORITIES)[number];

  @OneOf(TLP_MARKINGS)
  tlp!: (typeof TLP_MARKINGS)[number];

  @ApiProperty({ type: IntelSourceDto }) @IsDefined() @ValidateNested() @Type(() => IntelSourceDto)
  source!: IntelSourceDto;

  @ApiProperty({ minimum: 1, maximum: 6, description: 'Admiralty information credibility' }) @IsInt() @Min(1) @Max(6)
  credibility!: number;
}

export class ListIntelQuery extends PageQuery {
  @OneOf(TLP_MARKINGS, { optional: true })
  tlp?: string;

  @OneOf(PRIORITIES, { optional: true })
  priority?: string;

  @OneOf(INTEL_STATUSES, { optional: true })
  status?: string;

  @OneOf(CATEGORIES, { optional: true })
  category?: string;

  @IsIsoCountry({ optional: true })
  country?: string;
}

export class IntelIdParam {
  @ApiProperty({ example: 'IN-1A2B3C4D5E', pattern: '^IN-[0-9A-F]{10}$' }) @Matches(/^IN-[0-9A-F]{10}$/, { message: 'id must look like IN-1A2B3C4D5E' })
  id!: string;
}

export class DisseminationIdParam {
  @ApiProperty({ example: 'DS-1A2B3C4D5E', pattern: '^DS-[0-9A-F]{10}$' }) @Matches(/^DS-[0-9A-F]{10}$/, { message: 'id must look like DS-1A2B3C4D5E' })
  id!: string;
}

export class RecipientParam extends DisseminationIdParam {
  @IsIsoCountry()
  iso!: string;
}

export class DisseminateDto {
  @ApiPropertyOptional({ example: ['PH', 'TH'], maxItems: 300, pattern: '^[A-Z]{2}$' }) @IsOptional() @Transform(upper) @IsArray() @ArrayMaxSize(300)
  @Matches(ISO, { each: true, message: 'each country must be an ISO 3166-1 alpha-2 code' })
  countries?: string[];

  @ApiPropertyOptional({ example: ['ASEAN'], maxItems: 50 }) @IsOptional() @Transform(upper) @IsArray() @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 50, { each: true })
  groups?: string[];

  @ApiPropertyOptional({ enum: REGIONS, isArray: true, maxItems: REGIONS.length }) @IsOptional() @Transform(upper) @IsArray() @ArrayMaxSize(REGIONS.length)
  @IsIn(REGIONS, { each: true, message: `each region must be one of: ${REGIONS.join(', ')}` })
  regions?: string[];

  @ApiPropertyOptional({ example: ['PH-primary'], maxItems: 100, description: 'contact ids; required for TLP:RED, which goes to named contacts only' })
  @IsOptional() @IsArray() @ArrayMaxSize(100) @IsString({ each: true }) @Length(1, 100, { each: true })
  contacts?: string[];

  @Duration({ optional: true, example: '3d', description: 'feedback reminder after delivery (default: 3 × the priority\'s acknowledge SLA)' })
  feedbackReminder?: string;

  @Duration({ optional: true, example: '2h', description: 'originator approval deadline for a widened RED / AMBER+STRICT audience (default: the acknowledge SLA)' })
  approvalWithin?: string;
}


export class FeedbackDto {
  @OneOf(FEEDBACK_OUTCOMES)
  outcome!: (typeof FEEDBACK_OUTCOMES)[number];

  @ApiProperty({ minLength: 1, maxLength: 5000 }) @IsString() @Length(1, 5000)
  note!: string;
}

export class RecallDto {
  @ApiProperty({ minLength: 1, maxLength: 2000 }) @IsString() @Length(1, 2000)
  reason!: string;
}

export class ApprovalDto {
  @OneOf(['approve', 'refuse'])
  decision!: 'approve' | 'refuse';

  @ApiPropertyOptional({ maxLength: 2000 }) @IsOptional() @IsString() @Length(0, 2000)
  note?: string;
}

export class ListDisseminationsQuery extends PageQuery {
  @OneOf(DISSEMINATION_STATUSES, { optional: true })
  status?: string;

  @ApiPropertyOptional({ example: 'IN-1A2B3C4D5E', pattern: '^IN-[0-9A-F]{10}$' }) @IsOptional() @Matches(/^IN-[0-9A-F]{10}$/, { message: 'intelId must look like IN-1A2B3C4D5E' })
  intelId?: string;
}
