import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsISO8601, IsOptional, IsString, Length, Matches, Max, Min } from 'class-validator';
import { REGIONS, type Region } from '../../../workflows/common/domain';
import { ATTENDANCE_STATUSES, MEETING_STATUSES } from '../../../workflows/working-group/working-group.messages';
import { Duration, IsIsoCountry, OneOf } from '../common/validation';

const upper = ({ value }: { value: unknown }) => (Array.isArray(value) ? value.map((v) => (typeof v === 'string' ? v.toUpperCase() : v)) : value);

export class ScheduleMeetingDto {
  @OneOf(REGIONS)
  region!: Region;

  @ApiProperty({ minimum: 2000, maximum: 9999, example: 2027, description: "the meeting's year; must be the UTC year of meetingDate" })
  @IsInt() @Min(2000) @Max(9999)
  year!: number;

  @ApiProperty({ format: 'date-time', description: 'when the meeting takes place; in the future, after attendanceDeadline' })
  @IsISO8601({ strict: true }, { message: 'meetingDate must be an ISO 8601 instant' })
  meetingDate!: string;

  @ApiProperty({ type: [String], minItems: 1, maxItems: 50, example: ['Regional crime trends', 'Action plan'], description: 'items of 1 to 500 characters' })
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(50) @IsString({ each: true }) @Length(1, 500, { each: true })
  agenda!: string[];

  @ApiPropertyOptional({ type: [String], example: ['PH', 'SG'], maxItems: 300, description: "participating countries (ISO 3166-1 alpha-2); default: the region's countries" })
  @IsOptional() @Transform(upper) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(300) @Matches(/^[A-Z]{2}$/, { each: true, message: 'each country must be an ISO 3166-1 alpha-2 code' })
  countries?: string[];

  @ApiProperty({ format: 'date-time', description: 'each country confirms attendance by then; in the future, before meetingDate' })
  @IsISO8601({ strict: true }, { message: 'attendanceDeadline must be an ISO 8601 instant' })
  attendanceDeadline!: string;

  @Duration({ optional: true, example: '3d', description: 'the reminder goes this long before the attendance deadline (default 3d)' })
  reminderBefore?: string;

  @Duration({ optional: true, example: '1d', description: 'wait at the regional officer before the supervisor is alerted (default 1d)' })
  escalationStep?: string;
}

export class WorkingGroupParam {
  @OneOf(REGIONS)
  region!: Region;

  @ApiProperty({ example: 2027 })
  @Type(() => Number) @IsInt({ message: 'year must be a whole year like 2027' }) @Min(2000) @Max(9999)
  year!: number;
}

export class WorkingGroupCountryParam extends WorkingGroupParam {
  @IsIsoCountry()
  iso!: string;
}

export class AttendanceDto {
  @ApiProperty() @IsBoolean()
  attending!: boolean;

  @ApiPropertyOptional({ example: 'head.of.unit@police.ph', description: 'who will attend, 1 to 200 characters' })
  @IsOptional() @IsString() @Length(1, 200)
  delegate?: string;
}

export class AttendanceViewDto {
  @ApiProperty({ example: 'PH' }) iso!: string;
  @ApiProperty({ enum: ATTENDANCE_STATUSES }) status!: string;
  @ApiProperty({ type: String, nullable: true }) delegate!: string | null;
  @ApiProperty({ type: String, nullable: true }) answeredBy!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'date-time' }) answeredAt!: string | null;
  @ApiProperty() reminded!: boolean;
}

export class AttendanceTotalsDto {
  @ApiProperty() invited!: number;
  @ApiProperty() attending!: number;
  @ApiProperty() declined!: number;
  @ApiProperty() unanswered!: number;
  @ApiProperty() overdue!: number;
}

export class WorkingGroupViewDto {
  @ApiProperty({ example: 'working-group/EURASIA/2027' }) id!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ enum: MEETING_STATUSES }) status!: string;
  @ApiProperty({ format: 'date-time' }) meetingDate!: string;
  @ApiProperty({ type: [String] }) agenda!: string[];
  @ApiProperty({ format: 'date-time' }) attendanceDeadline!: string;
  @ApiProperty() scheduledBy!: string;
  @ApiProperty({ type: [AttendanceViewDto], description: 'a member sees only its own country' }) countries!: AttendanceViewDto[];
  @ApiProperty({ type: AttendanceTotalsDto }) totals!: AttendanceTotalsDto;
  @ApiProperty({ type: [String] }) openAlerts!: string[];
}

export class WorkingGroupErrorDto {
  @ApiProperty({ example: 409 }) statusCode!: number;
  @ApiProperty({ example: 'Conflict' }) error!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ example: [{ field: 'meetingDate', problem: 'meetingDate must be after attendanceDeadline' }] }) details!: Array<{ field: string; problem: string }>;
}

export class WorkingGroupScheduledDto {
  @ApiProperty({ example: 'working-group/EURASIA/2027' }) id!: string;
  @ApiProperty({ enum: REGIONS }) region!: string;
  @ApiProperty() year!: number;
  @ApiProperty({ enum: ['scheduled'] }) status!: string;
  @ApiProperty({ format: 'date-time' }) meetingDate!: string;
  @ApiProperty({ format: 'date-time' }) attendanceDeadline!: string;
  @ApiProperty({ type: [String], example: ['PH', 'SG'] }) countries!: string[];
}
