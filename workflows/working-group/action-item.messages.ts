import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Stamped } from '../common/commands';
import type { Actor, Region } from '../common/domain';

// Messages of `working-group/<region>/<year>/item/<n>`, one action-plan item of a working group:
// shared by the workflow, the API and the tests.

export const ITEM_KINDS = ['operation', 'training', 'legislation', 'capacity', 'other'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const ITEM_STATUSES = ['open', 'in_progress', 'done', 'cancelled'] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];
export const CLOSED_ITEM_STATUSES: readonly ItemStatus[] = ['done', 'cancelled'];
/** What a status change may ask for (open is where an item starts, not where it goes back). */
export const ITEM_STATUS_CHANGES = ['in_progress', 'done', 'cancelled'] as const;

/** Bounds that keep an item's history small: it never continues as new. */
export const MAX_NOTES_PER_ITEM = 200;
export const MAX_DUE_DATE_CHANGES = 20;
export const MAX_EXERCISES_PER_ITEM = 10;
export const MAX_ITEMS_PER_PLAN = 500;

export const actionItemWorkflowId = (region: Region, year: number, n: number) => `working-group/${region}/${year}/item/${n}`;

export interface ActionItemInput {
  workingGroupId: string;
  region: Region;
  year: number;
  n: number;
  ownerCountry: string;
  kind: ItemKind;
  title: string;
  description: string;
  dueDate: string;
  /** Prefill of the operation an `operation` item becomes (or of a training item's exercise). */
  categories: string[];
  countries: string[];
  /** The owner country is reminded this long before the due date. */
  reminderBeforeMs: number;
  /** Wait at the regional officer before the supervisor is alerted. */
  escalationStepMs: number;
  createdBy: Actor;
}

export interface ProgressNote {
  at: string;
  by: string;
  country: string | null;
  text: string;
}

export interface DueDateChange {
  at: string;
  by: string;
  from: string;
  to: string;
  reason: string | null;
}

export interface TrainingCourse {
  startDate: string;
  endDate: string;
  hostCountry: string;
  trainees: Array<{ iso: string; count: number }>;
  recordedBy: string;
  recordedAt: string;
}

export interface ActionItemSnapshot {
  id: string;
  workingGroupId: string;
  region: Region;
  year: number;
  n: number;
  ownerCountry: string;
  kind: ItemKind;
  title: string;
  description: string;
  categories: string[];
  countries: string[];
  status: ItemStatus;
  dueDate: string;
  /** The due date passed with the item still open. */
  overdue: boolean;
  /** The owner country was reminded before the current due date. */
  reminded: boolean;
  notes: ProgressNote[];
  dueDateChanges: DueDateChange[];
  operationId: string | null;
  training: TrainingCourse | null;
  exerciseOperationIds: string[];
  createdBy: string;
  createdAt: string;
  closedBy: string | null;
  closedAt: string | null;
  closeReason: string | null;
  openAlerts: string[];
  /** Bumped on every change: the read model keeps the newest projection only. */
  version: number;
}

export interface NoteCommand extends Stamped {
  actor: Actor;
  text: string;
}
export interface StatusCommand extends Stamped {
  actor: Actor;
  status: (typeof ITEM_STATUS_CHANGES)[number];
  reason?: string;
}
export interface DueDateCommand extends Stamped {
  actor: Actor;
  dueDate: string;
  reason?: string;
}
export interface LinkOperationCommand extends Stamped {
  actor: Actor;
  operationId: string;
  /** An exercise-mode operation of a training item (several allowed) rather than the item's operation. */
  exercise: boolean;
}
export interface TrainingCommand extends Stamped {
  actor: Actor;
  course: Omit<TrainingCourse, 'recordedBy' | 'recordedAt'>;
}

export const INVALID_ITEM_CHANGE = 'InvalidActionItemChange';

/** Sent with the start: answers once the item is in the read model. */
export const itemCreatedUpdate = defineUpdate<ActionItemSnapshot>('itemCreated');
export const getActionItemQuery = defineQuery<ActionItemSnapshot>('getActionItem');
export const itemNoteUpdate = defineUpdate<ActionItemSnapshot, [NoteCommand]>('itemNote');
export const itemStatusUpdate = defineUpdate<ActionItemSnapshot, [StatusCommand]>('itemStatus');
export const itemDueDateUpdate = defineUpdate<ActionItemSnapshot, [DueDateCommand]>('itemDueDate');
export const itemLinkOperationUpdate = defineUpdate<ActionItemSnapshot, [LinkOperationCommand]>('itemLinkOperation');
export const itemTrainingUpdate = defineUpdate<ActionItemSnapshot, [TrainingCommand]>('itemTraining');

/** The workflow's signature: clients (the API) start it by this type, never by its implementation. */
export type ActionItemWorkflow = (input: ActionItemInput) => Promise<{ status: string }>;
