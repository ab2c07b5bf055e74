// The topology tests read the alert stream with the shared test client.
export { openJsonStream as openSse } from '../../support/sse-client';
export type { JsonSseEvent as SseEvent, JsonSseStream as SseStream } from '../../support/sse-client';
