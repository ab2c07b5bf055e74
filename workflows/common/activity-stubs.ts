import { proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../../activities';

// Activity stubs shared by every workflow: one place for timeouts and retry policies.

/** Database work: short, retried until it succeeds. */
export const dataActivities = proxyActivities<Activities>({
  startToCloseTimeout: '30s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumInterval: '1m' },
});

/**
 * Notifications and pages are written to the outbox (a database row per recipient and key) and
 * delivered by the worker's dispatcher with its own retries: a workflow step never waits on a
 * mail server or a webhook, so a receiver that is down never delays or blocks a change.
 */
export const notifyCountry = (args: Parameters<Activities['notifyCountry']>[0]) => dataActivities.notifyCountry(args);

export const escalateAlert = (args: Parameters<Activities['escalateAlert']>[0]) => dataActivities.escalateAlert(args);
