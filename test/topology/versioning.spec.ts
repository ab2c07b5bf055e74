import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, makeTelemetryFilterString, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { setCurrentBuildId, workerDeploymentOptions } from '../../apps/worker/deployment';
import { loadInfra } from './support/infra';
import { waitUntil } from './support/processes';

// A changed workflow deployed through worker versioning (worker deployments and build ids) on
// the real server: what started on build v1 finishes on v1 while new runs start on v2.
describe('worker versioning: a changed workflow deployed as a new build', () => {
  const infra = loadInfra();
  const taskQueue = `versioning-${randomUUID().slice(0, 8)}`;
  const deploymentName = `cyberops-${taskQueue}`;
  let native: NativeConnection;
  let connection: Connection;
  let client: Client;
  const running: Array<{ worker: Worker; done: Promise<void> }> = [];

  const startWorker = async (buildId: 'v1' | 'v2') => {
    const worker = await Worker.create({
      connection: native,
      namespace: infra.namespace,
      taskQueue,
      workflowsPath: require.resolve(`./versioning/${buildId}/workflows`),
      // What apps/worker/worker.ts passes for WORKER_BUILD_ID (PINNED is the project default).
      workerDeploymentOptions: workerDeploymentOptions({ WORKER_BUILD_ID: buildId, WORKER_DEPLOYMENT_NAME: deploymentName, WORKER_VERSIONING_BEHAVIOR: 'PINNED' }),
    });
    running.push({ worker, done: worker.run() });
  };

  const versionOf = async (workflowId: string) => {
    const { raw } = await client.workflow.getHandle(workflowId).describe();
    const info = raw.workflowExecutionInfo?.versioningInfo;
    return info?.deploymentVersion?.buildId ? { buildId: info.deploymentVersion.buildId, behavior: info.behavior } : undefined;
  };

  beforeAll(async () => {
    try {
      Runtime.install({ logger: new DefaultLogger('WARN'), telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } } });
    } catch {
      // another file of this run installed it
    }
    native = await NativeConnection.connect({ address: infra.temporal.address });
    connection = await Connection.connect({ address: infra.temporal.address });
    client = new Client({ connection, namespace: infra.namespace });
  });

  afterAll(async () => {
    for (const { worker } of running) if (worker.getState() === 'RUNNING') worker.shutdown();
    await Promise.all(running.map((r) => r.done));
    await native?.close();
    await connection?.close();
  });

  it('keeps a workflow started on v1 on v1 while new ones start on v2', async () => {
    await startWorker('v1');
    await setCurrentBuildId(connection, infra.namespace, deploymentName, 'v1');
    const old = await client.workflow.start('versionProbe', { taskQueue, workflowId: `${taskQueue}/old` });
    expect(await waitUntil('old run on v1', () => versionOf(old.workflowId), 30_000)).toEqual({ buildId: 'v1', behavior: 1 /* PINNED */ });

    // Deploy: v2 workers join, then v2 becomes the current version; v1 keeps running beside it.
    await startWorker('v2');
    await setCurrentBuildId(connection, infra.namespace, deploymentName, 'v2');
    const fresh = await client.workflow.start('versionProbe', { taskQueue, workflowId: `${taskQueue}/new` });
    expect(await waitUntil('new run on v2', () => versionOf(fresh.workflowId), 30_000)).toEqual({ buildId: 'v2', behavior: 1 });

    await old.signal('finish');
    await fresh.signal('finish');
    expect(await old.result()).toBe('v1');
    expect(await fresh.result()).toBe('v2');
    expect(await versionOf(old.workflowId)).toEqual({ buildId: 'v1', behavior: 1 });

    // The old build has nothing left to run: the operator may retire it.
    const { workerDeploymentInfo } = await connection.workflowService.describeWorkerDeployment({ namespace: infra.namespace, deploymentName });
    expect(workerDeploymentInfo?.routingConfig?.currentDeploymentVersion?.buildId).toBe('v2');
    expect(workerDeploymentInfo?.versionSummaries?.map((v) => v.deploymentVersion?.buildId).sort()).toEqual(['v1', 'v2']);
  });
});
