import { ApiProperty } from '@nestjs/swagger';
import { REGIONS, type Region } from '../../../workflows/common/domain';
import { ATTENDANCE_STATUSES, MEETING_STATUSES } from '../../../workflows/working-group/working-group.messages';
import { Duration, Flag, Instant, Integer, IsIsoCountry, ISO_COUNTRY, OneOf, Text, TextList } from '../common/validation';


export class ScheduleMeetingDto {
  @OneOf(REGIONS)
  region!: Region;

  @Integer(2000, 9999, { example: 2027, description: "the meeting's year; must be the UTC year of meetingDate" })
  year!: number;

  @Instant({ description: 'when the meeting takes place; in the future, after attendanceDeadline' })
  meetingDate!: string;

  @TextList(50, { maxLength: 500 }, { minItems: 1, example: ['Regional crime trends', 'Action plan'] })
  agenda!: string[];

  @TextList(300, { maxLength: 2, pattern: ISO_COUNTRY, patternHint: 'be an ISO 3166-1 alpha-2 code in capitals like "PH"' }, { optional: true, minItems: 1, example: ['PH', 'SG'], description: "participating countries; default: the region's countries" })
  countries?: string[];

  @Instant({ description: 'each country confirms attendance by then; in the future, before meetingDate' })
  attendanceDeadline!: string;

  @Duration({ optional: true, example: '3d', description: 'the reminder goes this long before the attendance deadline (default 3d)' })
  reminderBefore?: string;

  @Duration({ optional: true, example: '1d', description: 'wait at the regional officer before the supervisor is alerted (default 1d)' })
  escalationStep?: string;
}

export class WorkingGroupParam {
  @OneOf(REGIONS)
  region!: Region;

  @Integer(2000, 9999, { fromQuery: true, example: 2027 })
  year!: number;
}

export class WorkingGroupCountryParam extends WorkingGroupParam {
  @IsIsoCountry()
  iso!: string;
}

export class AttendanceDto {
  @Flag()
  attending!: boolean;

  @Text(200, { optional: true, example: 'head.of.unit@police.ph', description: 'who will attend' })
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
  @ApiProperty({ type: String, nullable: true, required: false, description: 'who marked the meeting held (null: not yet, or held at its date)' }) heldBy?: string | null;
  @ApiProperty({ type: [AttendanceViewDto], description: 'a member sees only its own country' }) countries!: AttendanceViewDto[];
  @ApiProperty({ type: AttendanceTotalsDto }) totals!: AttendanceTotalsDto;
  @ApiProperty({ type: [String] }) openAlerts!: string[];
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
