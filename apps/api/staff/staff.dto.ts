import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, ValidateIf } from 'class-validator';
import { REGIONS } from '../../../workflows/common/domain';
import { INDICATOR_RULES } from '../common/indicators';
import { TEXT } from '../common/limits';
import { ApiSchemaExtras } from '../common/openapi';
import { Flag, OneOf, Text } from '../common/validation';

/** An officer's e-mail, as the directory stores it and as `assignee` names it. */
export const OFFICER_EMAIL = { maxLength: 254, minLength: 3, pattern: new RegExp(INDICATOR_RULES.email.pattern), patternHint: 'be an e-mail address' };

/** Officers of the coordination body (members are people of member countries, not staff). */
export const STAFF_ROLES = ['coordinator', 'analyst', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.toLowerCase() : value);

export class CreateOfficerDto {
  @Text(TEXT.title, { example: 'Maria Santos' })
  name!: string;

  @Transform(lowerCase)
  @Text(OFFICER_EMAIL.maxLength, { ...OFFICER_EMAIL, example: 'officer.manila@cyberops.test', description: 'where pages go; what `assignee` names (stored in lower case)' })
  email!: string;

  @OneOf(STAFF_ROLES)
  role!: StaffRole;

  @OneOf(REGIONS, { optional: true })
  region?: string;
}

@ApiSchemaExtras({ minProperties: 1 })
export class UpdateOfficerDto {
  @Text(TEXT.title, { optional: true })
  name?: string;

  @OneOf(STAFF_ROLES, { optional: true })
  role?: StaffRole;

  // null listed in the enum too: in OpenAPI 3.0 `nullable` does not widen an enum.
  @ApiProperty({ enum: [...REGIONS, null] as never, nullable: true, required: false, description: 'null makes the officer global' })
  @ValidateIf((_o: unknown, v: unknown) => v !== undefined && v !== null)
  @IsIn(REGIONS, { message: `region must be one of: ${REGIONS.join(', ')}` })
  region?: string | null;

  @Flag({ optional: true, description: 'false deactivates, true reactivates' })
  active?: boolean;
}

export class OfficerIdParam {
  @Text(43, { minLength: 4, pattern: /^OF-[A-Z0-9-]{1,40}$/, patternHint: 'look like OF-0123456789', example: 'OF-0123456789' })
  id!: string;
}

export class StaffQuery {
  @OneOf(STAFF_ROLES, { optional: true })
  role?: StaffRole;

  @OneOf(REGIONS, { optional: true })
  region?: string;

  @Flag({ optional: true, fromQuery: true, description: 'only active (true) or inactive (false) officers' })
  active?: boolean;
}

export class OfficerDto {
  @ApiProperty({ example: 'OF-0123456789' }) id!: string;
  @ApiProperty() name!: string;
  // The pattern the API accepts, not `format: email`: that format refuses addresses the API takes
  // (an IDN top-level domain such as xn--...), so the answer would contradict the document.
  @ApiProperty({ pattern: OFFICER_EMAIL.pattern.source, example: 'officer.manila@cyberops.test' }) email!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: string;
  @ApiProperty({ enum: [...REGIONS, null] as never, nullable: true, type: String }) region!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ nullable: true, type: String }) updatedBy!: string | null;
}

export class OfficerListDto {
  @ApiProperty({ type: [OfficerDto] }) items!: OfficerDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
