import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Stamped } from '../common/commands';
import type { Actor, Region } from '../common/domain';

// Messages of `working-group/<region>/<year>`: shared by the workflow, the API and the tests.

export const workingGroupWorkflowId = (region: Region, year: number) => `working-group/${region}/${year}`;

export const MEETING_STATUSES = ['scheduled', 'held'] as const;
export type MeetingStatus = (typeof MEETING_STATUSES)[number];
export const ATTENDANCE_STATUSES = ['invited', 'attending', 'declined', 'overdue'] as const;
export type AttendanceStatus = (typeof ATTENDANCE_STATUSES)[number];

export interface WorkingGroupInput {
  region: Region;
  year: number;
  meetingDate: string;
  agenda: string[];
  /** ISO codes; the API defaults them to the region's countries. */
  countries: string[];
  attendanceDeadline: string;
  /** The reminder goes to countries that have not answered this long before the deadline. */
  reminderBeforeMs: number;
  scheduledBy: Actor;
  /** Delay between the escalation levels (regional officer, then supervisor). */
  escalationStepMs: number;
}

export interface Attendance {
  iso: string;
  status: AttendanceStatus;
  delegate: string | null;
  answeredBy: string | null;
  answeredAt: string | null;
  reminded: boolean;
}

export interface WorkingGroupSnapshot {
  id: string;
  region: Region;
  year: number;
  status: MeetingStatus;
  meetingDate: string;
  agenda: string[];
  attendanceDeadline: string;
  scheduledBy: string;
  /** Who marked the meeting held before its date (null: not yet, or held by the clock). */
  heldBy?: string | null;
  countries: Attendance[];
  totals: { invited: number; attending: number; declined: number; unanswered: number; overdue: number };
  openAlerts: string[];
}

export interface AttendanceCommand {
  actor: Actor;
  iso: string;
  attending: boolean;
  delegate?: string;
}

export interface HoldCommand extends Stamped {
  actor: Actor;
}

export const INVALID_ATTENDANCE = 'InvalidAttendance';
/** Version marker: the meeting can be marked held before its date (the action plan follows). */
export const HOLD_PATCH = 'working-group-hold';

export const getWorkingGroupQuery = defineQuery<WorkingGroupSnapshot>('getWorkingGroup');
export const attendanceUpdate = defineUpdate<WorkingGroupSnapshot, [AttendanceCommand]>('attendance');
/** A coordinator marks the meeting held (after the attendance deadline); the action plan may then be recorded. */
export const holdUpdate = defineUpdate<WorkingGroupSnapshot, [HoldCommand]>('hold');

/** The workflow's signature: clients (the API) start it by this type, never by its implementation. */
export type WorkingGroupWorkflow = (input: WorkingGroupInput) => Promise<{ status: string }>;
