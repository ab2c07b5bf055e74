import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsOptional, IsString, Length, Matches } from 'class-validator';
import { REGIONS } from '../../../workflows/common/domain';
import { OneOf } from '../common/validation';

/** Officers of the coordination body (members are people of member countries, not staff). */
export const STAFF_ROLES = ['coordinator', 'analyst', 'supervisor', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

const lowerCase = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export class CreateOfficerDto {
  @ApiProperty({ example: 'Maria Santos', minLength: 1, maxLength: 200 }) @IsString() @Length(1, 200)
  name!: string;

  @ApiProperty({ example: 'officer.manila@cyberops.test', format: 'email', maxLength: 254, description: 'where pages go; what `assignee` names' })
  @Transform(lowerCase)
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @Length(3, 254)
  email!: string;

  @OneOf(STAFF_ROLES)
  role!: StaffRole;

  @OneOf(REGIONS, { optional: true })
  region?: string;
}

export class UpdateOfficerDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 200 }) @IsOptional() @IsString() @Length(1, 200)
  name?: string;

  @OneOf(STAFF_ROLES, { optional: true })
  role?: StaffRole;

  @ApiPropertyOptional({ enum: REGIONS, nullable: true, description: 'null makes the officer global' })
  @IsOptional()
  @Matches(new RegExp(`^(${REGIONS.join('|')})$`), { message: `region must be one of: ${REGIONS.join(', ')}` })
  region?: string | null;

  @ApiPropertyOptional({ description: 'false deactivates, true reactivates' }) @IsOptional() @IsBoolean()
  active?: boolean;
}

export class OfficerIdParam {
  @ApiProperty({ example: 'OF-0123456789', pattern: '^OF-[A-Z0-9-]{1,40}$' })
  @Matches(/^OF-[A-Z0-9-]{1,40}$/, { message: 'id must look like OF-0123456789' })
  id!: string;
}

export class StaffQuery {
  @OneOf(STAFF_ROLES, { optional: true })
  role?: StaffRole;

  @OneOf(REGIONS, { optional: true })
  region?: string;

  @ApiPropertyOptional({ description: 'only active (true) or inactive (false) officers' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  active?: boolean;
}

export class OfficerDto {
  @ApiProperty({ example: 'OF-0123456789' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ format: 'email' }) email!: string;
  @ApiProperty({ enum: STAFF_ROLES }) role!: string;
  @ApiProperty({ enum: REGIONS, nullable: true, type: String }) region!: string | null;
  @ApiProperty() active!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ nullable: true, type: String }) updatedBy!: string | null;
}

export class OfficerListDto {
  @ApiProperty({ type: [OfficerDto] }) items!: OfficerDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
