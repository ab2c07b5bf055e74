import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDateString,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  registerDecorator,
  ValidateNested,
} from 'class-validator';
import { CATEGORIES, REGIONS } from '../../../workflows/common/domain';
import { PHASES, RESULT_KINDS } from '../../../workflows/operation/operation.messages';
import { IndicatorDto } from '../common/indicators';
import { PageQuery } from '../common/paging';
import { IsIsoCountry, OneOf } from '../common/validation';

const ISO_LIST = /^[A-Z]{2}$/;
const upper = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.toUpperCase() : v)) : value);

/** Counts by kind: every key a known result kind, every value a non-negative integer. */
function IsResultCounts() {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isResultCounts',
      target: object.constructor,
      propertyName,
      options: { message: `$property must map ${RESULT_KINDS.join(', ')} to non-negative integers` },
      validator: {
        validate: (value: unknown) =>
          typeof value === 'object' &&
          value !== null &&
          !Array.isArray(value) &&
          Object.entries(value).every(([k, v]) => (RESULT_KINDS as readonly string[]).includes(k) && Number.isInteger(v) && (v as number) >= 0),
      },
    });
}

export class CreateOperationDto {
  @ApiProperty({ example: 'Operation First Light ASEAN' }) @IsString() @Length(3, 200)
  name!: string;

  @ApiProperty() @IsString() @Length(1, 5000)
  objective!: string;

  @ApiProperty({ enum: CATEGORIES, isArray: true }) @IsArray() @ArrayMinSize(1) @IsIn(CATEGORIES, { each: true, message: `each category must be one of: ${CATEGORIES.join(', ')}` })
  categories!: string[];

  @ApiPropertyOptional({ example: ['PH', 'TH'] }) @IsOptional() @Transform(upper) @IsArray() @ArrayMaxSize(300) @Matches(ISO_LIST, { each: true, message: 'each country must be an ISO 3166-1 alpha-2 code' })
  countries?: string[];

  @ApiPropertyOptional({ example: ['ASEAN'] }) @IsOptional() @Transform(upper) @IsArray() @IsString({ each: true })
  groups?: string[];

  @ApiPropertyOptional({ enum: REGIONS, isArray: true }) @IsOptional() @Transform(upper) @IsArray() @IsIn(REGIONS, { each: true, message: `each region must be one of: ${REGIONS.join(', ')}` })
  regions?: string[];

  @ApiProperty() @IsDateString()
  readinessDeadline!: string;

  @ApiProperty() @IsDateString()
  actionStart!: string;

  @ApiProperty() @IsDateString()
  actionEnd!: string;

  @ApiProperty() @IsDateString()
  debriefDeadline!: string;

  @ApiPropertyOptional({ description: 'training exercise: same workflows, escalation scaled down, data marked' }) @IsOptional() @IsBoolean()
  exercise?: boolean;
}

export class ListOperationsQuery extends PageQuery {
  @OneOf(PHASES, { optional: true })
  phase?: string;

  @ApiPropertyOptional() @IsOptional() @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value)) @IsBoolean()
  exercise?: boolean;
}

export class OperationIdParam {
  @ApiProperty({ example: 'OP-1A2B3C4D5E' }) @Matches(/^OP-[0-9A-F]{10}$/, { message: 'id must look like OP-1A2B3C4D5E' })
  id!: string;
}

export class OperationCountryParam extends OperationIdParam {
  @IsIsoCountry()
  iso!: string;
}

export class CountriesDto {
  @ApiProperty({ example: ['MY'] }) @Transform(upper) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(300) @Matches(ISO_LIST, { each: true, message: 'each country must be an ISO 3166-1 alpha-2 code' })
  countries!: string[];
}

export class WithdrawDto {
  @Transform(({ value }) => (typeof value === 'string' ? value.toUpperCase() : value)) @IsIsoCountry()
  country!: string;
}

export class ExtendDto {
  @ApiPropertyOptional() @IsOptional() @IsDateString()
  readinessDeadline?: string;

  @ApiPropertyOptional() @IsOptional() @IsDateString()
  actionStart?: string;

  @ApiPropertyOptional() @IsOptional() @IsDateString()
  actionEnd?: string;

  @ApiPropertyOptional() @IsOptional() @IsDateString()
  debriefDeadline?: string;
}

export class AbortDto {
  @ApiProperty() @IsString() @Length(1, 2000)
  reason!: string;
}

export class ReadinessDto {
  @ApiProperty() @IsBoolean()
  ready!: boolean;

  @ApiProperty({ example: 'Insp. Santos, +63 2 0000 0000' }) @IsString() @Length(1, 300)
  pointOfContact!: string;

  @ApiProperty({ example: 6 }) @Type(() => Number) @IsInt() @Min(0) @Max(10_000)
  teamSize!: number;
}

export class ResultsDto {
  @ApiProperty({ example: { arrests: 3, servers_seized: 1 }, description: `counts by kind: ${RESULT_KINDS.join(', ')}` })
  @IsResultCounts()
  counts!: Record<string, number>;

  @ApiPropertyOptional() @IsOptional() @IsString() @Length(0, 20_000)
  notes?: string;

  @ApiPropertyOptional({ type: [IndicatorDto] }) @IsOptional() @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => IndicatorDto)
  indicators?: IndicatorDto[];
}

export class FinalReportDto {
  @ApiProperty() @IsString() @Length(1, 50_000)
  summary!: string;

  @ApiPropertyOptional({ example: { arrests: 1 } }) @IsOptional() @IsResultCounts()
  counts?: Record<string, number>;
}

