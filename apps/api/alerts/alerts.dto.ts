import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length } from 'class-validator';
import { ALERT_KINDS } from '../../../workflows/common/alerts';
import { OneOf } from '../common/validation';
import { PageQuery } from '../common/paging';

export const ALERT_STATES = ['open', 'acknowledged', 'resolved', 'all'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_EVENTS = ['raised', 'escalated', 'acknowledged', 'rearmed', 'resolved'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export class AlertListQuery extends PageQuery {
  @OneOf(ALERT_STATES, { optional: true })
  state?: AlertState;

  @OneOf(ALERT_KINDS, { optional: true })
  kind?: string;

  @ApiPropertyOptional({ example: 'support_request' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  objectType?: string;

  @ApiPropertyOptional({ example: 'SR-2025-000123' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  objectId?: string;
}

export class AlertIdParam {
  @ApiProperty({ example: 'AL-0123456789ABCDEF' })
  @IsString()
  @Length(1, 200)
  id!: string;
}

/** OpenAPI shape of an alert (activities/alerts/alert-events.ts `AlertView`). */
export class AlertViewDto {
  @ApiProperty({ example: 'AL-0123456789ABCDEF' }) id!: string;
  @ApiProperty({ enum: ALERT_KINDS }) kind!: string;
  @ApiProperty({ example: 'support_request' }) objectType!: string;
  @ApiProperty({ example: 'SR-2025-000123' }) objectId!: string;
  @ApiProperty({ nullable: true, type: String, example: 'triage' }) clock!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'PH' }) country!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'EURASIA' }) region!: string | null;
  @ApiProperty({ example: 1, description: 'escalation ladder level reached' }) level!: number;
  @ApiProperty({ nullable: true, type: String, example: 'regional_coordinator' }) levelName!: string | null;
  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'who the last level paged' })
  recipients!: unknown;
  @ApiProperty({ format: 'date-time' }) raisedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) escalatedAt!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) acknowledgedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) acknowledgedBy!: string | null;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) resolvedAt!: string | null;
}

export class AlertListDto {
  @ApiProperty({ type: [AlertViewDto] }) items!: AlertViewDto[];
  @ApiProperty({ nullable: true, type: String }) nextCursor!: string | null;
}
