import type { PrismaClient } from '@prisma/client';
import type { Client } from '@temporalio/client';
import type { Notifier } from './notifications/notifier';
import { createSupportRequestActivities } from './support-request/support-request.activities';
import { createAlertActivities } from './alerts/alert.activities';
import { createOperationActivities } from './operation/operation.activities';
import { createFanOutActivities } from './operation/fan-out.activities';
import { createDisseminationActivities } from './dissemination/dissemination.activities';
import { createDisseminationFanOutActivities } from './dissemination/fan-out.activities';
import { createWorkingGroupActivities } from './working-group/working-group.activities';
import { createPartnerGrantActivities } from './partner-grant/partner-grant.activities';

export interface ActivityDeps {
  prisma: PrismaClient;
  notifier: Pick<Notifier, 'deliver'>;
  /** For activities that start or signal many workflows at once. */
  temporal?: Client;
  /** Most support-request transitions projected in one transaction (WORKER_PROJECTION_BATCH). */
  projectionBatch?: number;
}

/** All activities, built from their dependencies by the worker (and by tests with fakes). */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createSupportRequestActivities(deps),
    ...createAlertActivities(deps),
    ...createOperationActivities(deps),
    ...createFanOutActivities(deps.temporal),
    ...createDisseminationActivities(deps),
    ...createDisseminationFanOutActivities(deps.temporal),
    ...createWorkingGroupActivities(deps),
    ...createPartnerGrantActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
