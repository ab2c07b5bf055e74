import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

// Where a workflow's time went, read from its history: waiting in a task queue (no free poller or
// slot), inside a workflow task (the worker's code and its round trip), or inside an activity.

const EventType = temporal.api.enums.v1.EventType;

export interface TimelineSplit {
  workflows: number;
  /** Mean milliseconds per workflow, summed over its tasks. */
  workflowTaskQueueMs: number;
  workflowTaskRunMs: number;
  activityQueueMs: number;
  activityRunMs: number;
  /** First event to last event of the part read. */
  spanMs: number;
}

const millis = (t: temporal.api.history.v1.IHistoryEvent): number =>
  Number(t.eventTime?.seconds ?? 0) * 1000 + Math.floor((t.eventTime?.nanos ?? 0) / 1e6);

/** Splits the histories of `workflowIds` (up to the first timer each sets) into queue and run time. */
export async function timelineSplit(client: Client, workflowIds: string[]): Promise<TimelineSplit> {
  const sum = { workflowTaskQueueMs: 0, workflowTaskRunMs: 0, activityQueueMs: 0, activityRunMs: 0, spanMs: 0 };
  for (const id of workflowIds) {
    const history = await client.workflow.getHandle(id).fetchHistory();
    const events = history.events ?? [];
    const at = new Map<number, number>(events.map((e) => [Number(e.eventId), millis(e)]));
    let last = millis(events[0]);
    for (const e of events) {
      if (e.eventType === EventType.EVENT_TYPE_TIMER_STARTED) break;
      last = millis(e);
      const wftStarted = e.workflowTaskStartedEventAttributes;
      // A workflow task's Started event follows its Scheduled event.
      if (wftStarted) sum.workflowTaskQueueMs += millis(e) - (at.get(Number(e.eventId) - 1) ?? millis(e));
      const wftDone = e.workflowTaskCompletedEventAttributes;
      if (wftDone) sum.workflowTaskRunMs += millis(e) - (at.get(Number(wftDone.startedEventId)) ?? millis(e));
      const actStarted = e.activityTaskStartedEventAttributes;
      if (actStarted) sum.activityQueueMs += millis(e) - (at.get(Number(actStarted.scheduledEventId)) ?? millis(e));
      const actDone = e.activityTaskCompletedEventAttributes;
      if (actDone) sum.activityRunMs += millis(e) - (at.get(Number(actDone.startedEventId)) ?? millis(e));
    }
    sum.spanMs += last - millis(events[0]);
  }
  const n = Math.max(1, workflowIds.length);
  return {
    workflows: workflowIds.length,
    workflowTaskQueueMs: sum.workflowTaskQueueMs / n,
    workflowTaskRunMs: sum.workflowTaskRunMs / n,
    activityQueueMs: sum.activityQueueMs / n,
    activityRunMs: sum.activityRunMs / n,
    spanMs: sum.spanMs / n,
  };
}
