import { useEffect, useSyncExternalStore } from 'react';
import { api, unwrap } from '../../api/client';
import type { Alert } from '../../api/models';
import { openEventStream, type StreamState } from '../../api/sse';

/**
 * One alert feed per tab, shared by the header badge and the board: the open alerts from the
 * list, then every new or escalated alert from the SSE stream. A reconnect re-reads the list,
 * so nothing raised while the connection was down is missed.
 */
interface FeedState {
  alerts: Alert[];
  stream: StreamState;
  /** Alerts that arrived or escalated live, highlighted on the board until acknowledged. */
  fresh: ReadonlySet<string>;
}

let state: FeedState = { alerts: [], stream: 'connecting', fresh: new Set() };
const listeners = new Set<() => void>();
let users = 0;
let connection: { close(): void; reconnect(): void } | null = null;
const baseTitle = document.title;

function publish(next: Partial<FeedState>) {
  state = { ...state, ...next };
  const open = state.alerts.filter((a) => !a.acknowledgedAt && !a.resolvedAt).length;
  document.title = open > 0 ? `(${open}) ${baseTitle}` : baseTitle;
  listeners.forEach((l) => l());
}

function upsert(alert: Alert, live: boolean) {
  const others = state.alerts.filter((a) => a.id !== alert.id);
  const fresh = new Set(state.fresh);
  if (live && !alert.acknowledgedAt) fresh.add(alert.id);
  if (alert.acknowledgedAt) fresh.delete(alert.id);
  publish({ alerts: [alert, ...others].sort((a, b) => (b.escalatedAt ?? b.raisedAt).localeCompare(a.escalatedAt ?? a.raisedAt)), fresh });
}

async function loadOpen() {
  const page = await unwrap<{ items: Alert[] }>(api.GET('/api/v1/alerts', { params: { query: { state: 'open', limit: 100 } } }));
  const known = new Map(state.alerts.map((a) => [a.id, a]));
  for (const a of page.items) known.set(a.id, a);
  publish({ alerts: [...known.values()].sort((a, b) => (b.escalatedAt ?? b.raisedAt).localeCompare(a.escalatedAt ?? a.raisedAt)) });
}

function start() {
  connection = openEventStream(
    '/api/v1/alerts/stream',
    (_type, data) => upsert(data as Alert, true),
    (stream) => {
      publish({ stream });
      if (stream === 'live') void loadOpen().catch(() => undefined);
    },
  );
}

function stop() {
  connection?.close();
  connection = null;
  state = { alerts: [], stream: 'connecting', fresh: new Set() };
  document.title = baseTitle;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The feed while the component is mounted (and `enabled`). */
export function useAlertFeed(enabled = true) {
  useEffect(() => {
    if (!enabled) return;
    if (users++ === 0) start();
    return () => {
      if (--users === 0) stop();
    };
  }, [enabled]);
  const snapshot = useSyncExternalStore(subscribe, () => state);
  return {
    ...snapshot,
    reconnect: () => connection?.reconnect(),
    async acknowledge(id: string) {
      upsert(await unwrap<Alert>(api.POST('/api/v1/alerts/{id}/ack', { params: { path: { id } } })), false);
    },
  };
}
