import type { NativeConnection, WorkerDeploymentOptions } from '@temporalio/worker';
import type { Connection } from '@temporalio/client';
import type { AppConfig } from '../config/config';

type AnyConnection = NativeConnection | Connection;

/**
 * Worker versioning (Temporal worker deployments): with WORKER_BUILD_ID set, the worker polls as
 * version <WORKER_DEPLOYMENT_NAME>.<WORKER_BUILD_ID>; a PINNED workflow finishes on the build it
 * started on, AUTO_UPGRADE moves to the current build at its next task (README "Production").
 * Unset: an unversioned worker, as before.
 */
export function workerDeploymentOptions(
  config: Pick<AppConfig, 'WORKER_BUILD_ID' | 'WORKER_DEPLOYMENT_NAME' | 'WORKER_VERSIONING_BEHAVIOR'>,
): WorkerDeploymentOptions | undefined {
  if (!config.WORKER_BUILD_ID) return undefined;
  return {
    version: { deploymentName: config.WORKER_DEPLOYMENT_NAME, buildId: config.WORKER_BUILD_ID },
    useWorkerVersioning: true,
    defaultVersioningBehavior: config.WORKER_VERSIONING_BEHAVIOR,
  };
}

/** The build id new workflows of the deployment start on; null when none is set. */
export async function currentBuildId(connection: AnyConnection, namespace: string, deploymentName: string): Promise<string | null> {
  try {
    const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({ namespace, deploymentName });
    return workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId || null;
  } catch (error) {
    if ((error as { code?: number }).code === 5) return null; // NOT_FOUND: no worker has polled yet
    throw error;
  }
}

/**
 * Makes `buildId` the deployment's current version, so new workflows start on it. The server
 * knows a version once one of its workers has polled, hence the retries.
 */
export async function setCurrentBuildId(
  connection: AnyConnection,
  namespace: string,
  deploymentName: string,
  buildId: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await connection.workflowService.setWorkerDeploymentCurrentVersion({ namespace, deploymentName, buildId, identity: `cyberops-deploy@${buildId}` });
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

/**
 * The first build of a deployment promotes itself, so a fresh install works with nothing run by
 * hand; every later build waits for an operator (`temporal worker deployment set-current-version`)
 * or for WORKER_PROMOTE=true.
 */
export async function promoteIfDue(connection: AnyConnection, config: AppConfig): Promise<boolean> {
  if (!config.WORKER_BUILD_ID) return false;
  const current = await currentBuildId(connection, config.TEMPORAL_NAMESPACE, config.WORKER_DEPLOYMENT_NAME);
  if (current === config.WORKER_BUILD_ID || (current && !config.WORKER_PROMOTE)) return false;
  await setCurrentBuildId(connection, config.TEMPORAL_NAMESPACE, config.WORKER_DEPLOYMENT_NAME, config.WORKER_BUILD_ID);
  return true;
}
