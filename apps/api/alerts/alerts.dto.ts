import { ApiProperty } from '@nestjs/swagger';
import { ALERT_KINDS } from '../../../workflows/common/alerts';
import { TEXT } from '../common/limits';
import { OneOf, Text } from '../common/validation';
import { PageQuery } from '../common/paging';

export const ALERT_ID = /^AL-[0-9A-F]{16}$/;

export const ALERT_STATES = ['open', 'acknowledged', 'resolved', 'all'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

export const ALERT_EVENTS = ['raised', 'escalated', 'acknowledged', 'rearmed', 'resolved'] as const;
export type AlertEvent = (typeof ALERT_EVENTS)[number];

export class AlertListQuery extends PageQuery {
  @OneOf(ALERT_STATES, { optional: true })
  state?: AlertState;

  @OneOf(ALERT_KINDS, { optional: true })
  kind?: string;

  @Text(100, { optional: true, example: 'support_request' })
  objectType?: string;

  @Text(TEXT.label, { optional: true, example: 'SR-1A2B3C4D5E6F' })
  objectId?: string;
}

export class AlertIdParam {
  @Text(19, { minLength: 19, pattern: ALERT_ID, patternHint: 'look like AL-0123456789ABCDEF', example: 'AL-0123456789ABCDEF' })
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
