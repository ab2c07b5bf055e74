import { log, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

// Activity stubs shared by every workflow: one place for timeouts and retry policies.

/** Database work: short, retried until it succeeds. */
export const dataActivities = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/** Delivery retries with backoff for about a day; a bad address is not worth retrying. */
const deliveryActivities = proxyActivities<Activities>({
  startToCloseTimeout: '1m',
  retry: {
    initialInterval: '2s',
    backoffCoefficient: 2,
    maximumInterval: '10m',
    maximumAttempts: 200,
    nonRetryableErrorTypes: ['NonRetryableDeliveryError'],
  },
});

/**
 * A notification that finally cannot be delivered must not fail the case or the operation it
 * is about: the Notification row keeps the error, and the workflow logs it and carries on.
 */
async function deliverSafely<T>(what: string, send: () => Promise<T>): Promise<T | undefined> {
  try {
    return await send();
  } catch (error) {
    log.warn(`${what} failed for good; continuing`, { error: String(error) });
    return undefined;
  }
}

export const notifyCountry = (args: Parameters<Activities['notifyCountry']>[0]) =>
  deliverSafely('notifyCountry', () => deliveryActivities.notifyCountry(args));

export const escalateAlert = (args: Parameters<Activities['escalateAlert']>[0]) =>
  deliverSafely('escalateAlert', () => deliveryActivities.escalateAlert(args));
