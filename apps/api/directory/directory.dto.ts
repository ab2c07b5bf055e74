import { ApiProperty } from '@nestjs/swagger';
import { Priority, PRIORITIES, Region, REGIONS } from '../../../workflows/common/domain';
import { Duration, Fraction, Integer, IsIsoCountry, OneOf, Text } from '../common/validation';

export const GROUP_CODE = /^[A-Z0-9_]{2,20}$/;

export class CountryQuery {
  @OneOf(REGIONS, { optional: true })
  region?: Region;

  @Text(20, { optional: true, minLength: 2, pattern: GROUP_CODE, patternHint: 'be a group code like ASEAN', example: 'ASEAN', description: 'named country group' })
  group?: string;
}

export class ContactQuery {
  @IsIsoCountry({ optional: true })
  country?: string;

  @OneOf(REGIONS, { optional: true })
  region?: Region;
}

export class ContactIdParam {
  @Text(100, { pattern: /^[A-Za-z0-9_-]{1,100}$/, patternHint: 'be a contact id like PH-primary', example: 'PH-primary' })
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
  priority!: Priority;
}

export class SlaPolicyDto {
  @Duration({ example: '1h' })
  triage!: string;

  @Duration({ example: '4h' })
  firstResponse!: string;

  @Duration({ example: '3d' })
  resolution!: string;

  @Duration({ example: '2h', description: 'acknowledgement deadline for disseminated intelligence' })
  acknowledge!: string;

  @Fraction(0.05, 0.99, { optional: true, example: 0.75, description: 'fraction of a clock at which a warning is raised' })
  warnAt?: number;

  @Duration({ optional: true, example: '15m', description: 'wait at each escalation level before climbing' })
  escalationStep?: string;

  @Integer(1, 20, { optional: true, example: 3, description: 'times the ladder is walked before it goes quiet' })
  escalationLoops?: number;

  @Duration({ optional: true, example: '1h', description: 'how long an acknowledgement holds before the alert re-arms' })
  ackExpiry?: string;

  @Duration({ optional: true, example: '7d', description: 'a resolved request closes by itself after this quiet period' })
  autoCloseAfter?: string;
}

// Responses.

export class CountryDto {
  @ApiProperty({ example: 'PH' }) iso!: string;
  @ApiProperty({ example: 'Philippines' }) name!: string;
  @ApiProperty({ enum: REGIONS }) region!: Region;
  @ApiProperty({ type: [String], example: ['ASEAN'] }) groups!: string[];
}
export class CountryListDto {
  @ApiProperty({ type: [CountryDto] }) items!: CountryDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
export class CountryGroupDto {
  @ApiProperty({ example: 'ASEAN' }) code!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: [String] }) members!: string[];
}
export class CountryGroupListDto {
  @ApiProperty({ type: [CountryGroupDto] }) items!: CountryGroupDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
export class ContactViewDto {
  @ApiProperty() id!: string;
  @ApiProperty({ type: String, nullable: true }) countryIso!: string | null;
  @ApiProperty({ type: String, nullable: true }) region!: string | null;
  @ApiProperty() name!: string;
  @ApiProperty() role!: string;
  @ApiProperty({ enum: ['email', 'webhook'] }) channel!: string;
  @ApiProperty() address!: string;
  @ApiProperty({ type: 'integer' }) rank!: number;
}
export class ContactListDto {
  @ApiProperty({ type: [ContactViewDto] }) items!: ContactViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
export class SlaPolicyViewDto {
  @ApiProperty({ enum: PRIORITIES }) priority!: Priority;
  @ApiProperty() triage!: string;
  @ApiProperty() firstResponse!: string;
  @ApiProperty() resolution!: string;
  @ApiProperty() acknowledge!: string;
  @ApiProperty() warnAt!: number;
  @ApiProperty() escalationStep!: string;
  @ApiProperty({ type: 'integer' }) escalationLoops!: number;
  @ApiProperty() ackExpiry!: string;
  @ApiProperty() autoCloseAfter!: string;
  @ApiProperty({ type: 'integer' }) version!: number;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ type: String, nullable: true }) updatedBy!: string | null;
}
export class SlaPolicyListDto {
  @ApiProperty({ type: [SlaPolicyViewDto] }) items!: SlaPolicyViewDto[];
  @ApiProperty({ type: String, nullable: true }) nextCursor!: string | null;
}
