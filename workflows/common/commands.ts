import { ApplicationFailure } from '@temporalio/common';

// Every change the API sends a workflow carries two instants the API sets (never the client):
// when it received the change, and until when the caller waits for it.

export interface Stamped {
  /** When the API received the change: the instant it is judged by (SLA clocks). */
  receivedAt?: string;
  /** After this the caller has been told 503, so the change must not be applied behind its back. */
  expiresAt?: string;
}

export const EXPIRED_CHANGE = 'ExpiredChange';

/** Validator part: a change the caller has given up on is refused, not applied late. */
export function checkNotExpired(cmd: Stamped | undefined, now: number): void {
  if (cmd?.expiresAt && now > Date.parse(cmd.expiresAt)) {
    throw ApplicationFailure.nonRetryable(`the change expired at ${cmd.expiresAt} before the workflow could take it`, EXPIRED_CHANGE);
  }
}

/**
 * The instant a change counts from: when the API received it, but never before the previous
 * change (history stays in order) nor after now (a stamp cannot come from the future).
 */
export function receivedInstant(cmd: Stamped | undefined, now: number, notBefore: number): number {
  const at = cmd?.receivedAt ? Date.parse(cmd.receivedAt) : NaN;
  if (Number.isNaN(at)) return now;
  return Math.min(now, Math.max(notBefore, at));
}
