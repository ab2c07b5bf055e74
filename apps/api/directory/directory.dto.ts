import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { PRIORITIES, REGIONS } from '../../../workflows/common/domain';
import { IsDuration, OneOf } from '../common/validation';

export class CountryQuery {
  @OneOf(REGIONS, { optional: true })
  region?: string;

  @ApiPropertyOptional({ example: 'ASEAN', description: 'named country group' })
  @IsOptional()
  @IsString()
  group?: string;
}

export class ContactQuery {
  @ApiPropertyOptional({ example: 'PH' })
  @IsOptional()
  @IsString()
  country?: string;

  @OneOf(REGIONS, { optional: true })
  region?: string;
}

export class ContactIdParam {
  @ApiProperty({ example: 'PH-primary', pattern: '^[A-Za-z0-9_-]{1,100}$' })
  @Matches(/^[A-Za-z0-9_-]{1,100}$/, { message: 'id must be a contact id like PH-primary' })
  id!: string;
}

export class SigningSecretDto {
  @ApiProperty({ example: 'PH-primary' }) contactId!: string;
  @ApiProperty({ description: 'the new secret; shown only in this answer' }) secret!: string;
  @ApiProperty({ format: 'date-time' }) rotatedAt!: string;
  @ApiProperty({ description: 'how receivers verify a message' }) verification!: string;
}

export class PriorityParam {
  @OneOf(PRIORITIES)
  priority!: string;
}

export class SlaPolicyDto {
  @ApiProperty({ example: '1h' }) @IsDuration()
  triage!: string;

  @ApiProperty({ example: '4h' }) @IsDuration()
  firstResponse!: string;

  @ApiProperty({ example: '3d' }) @IsDuration()
  resolution!: string;

  @ApiProperty({ example: '2h', description: 'acknowledgement deadline for disseminated intelligence' }) @IsDuration()
  acknowledge!: string;

  @ApiPropertyOptional({ example: 0.75, description: 'fraction of a clock at which a warning is raised' })
  @IsOptional()
  @Type(() => Number)
  @IsNumber()
  @Min(0.05)
  @Max(0.99)
  warnAt?: number;

  @ApiPropertyOptional({ example: '15m', description: 'wait at each escalation level before climbing' })
  @IsOptional() @IsDuration()
  escalationStep?: string;

  @ApiPropertyOptional({ example: 3, description: 'times the ladder is walked before it goes quiet' })
  @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(20)
  escalationLoops?: number;

  @ApiPropertyOptional({ example: '1h', description: 'how long an acknowledgement holds before the alert re-arms' })
  @IsOptional() @IsDuration()
  ackExpiry?: string;

  @ApiPropertyOptional({ example: '7d', description: 'a resolved request closes by itself after this quiet period' })
  @IsOptional() @IsDuration()
  autoCloseAfter?: string;
}
