import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, makeTelemetryFilterString } from '@temporalio/worker';
import { WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import type { Activities } from '../../activities';
import { createFanOutActivities } from '../../activities/operation/fan-out.activities';
import { createDisseminationFanOutActivities } from '../../activities/dissemination/fan-out.activities';
import type { Deconfliction, SupportRequestInput } from '../../workflows/support-request/support-request.messages';
import { testInfra } from '../setup/test-infra';
import { temporal } from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../../workflows/common/search-attributes';

/** A TestWorkflowEnvironment on the dev server the global setup started (no download here). */
let fanOutClient: Client | undefined;

function installRuntime(): void {
  try {
    Runtime.install({ telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'ERROR' }) } } });
  } catch {
    // installed already in this process
  }
}

export async function workflowEnv(): Promise<TestWorkflowEnvironment> {
  installRuntime();
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: testInfra().temporalAddress });
  fanOutClient = env.client;
  return env;
}

/**
 * Temporal's time-skipping test server (Java, from Maven): `TEMPORAL_TEST_SERVER_PATH`, else the
 * wrapper `scripts/setup-test-server.sh` installs under .tools/ (run once here if missing).
 */
export function testServerPath(): string {
  if (process.env.TEMPORAL_TEST_SERVER_PATH) return process.env.TEMPORAL_TEST_SERVER_PATH;
  const root = path.resolve(__dirname, '..', '..');
  const wrapper = path.join(root, '.tools', 'bin', 'temporal-test-server');
  if (!fs.existsSync(wrapper)) spawnSync('bash', [path.join(root, 'scripts', 'setup-test-server.sh')], { stdio: 'inherit' });
  if (!fs.existsSync(wrapper)) throw new Error('the time-skipping test server is not installed: run `npm run setup` (needs java and mvn)');
  return wrapper;
}

/** A time-skipping environment: timers fire as soon as the workflow waits on nothing else. */
export async function timeSkippingEnv(): Promise<TestWorkflowEnvironment> {
  installRuntime();
  let env: TestWorkflowEnvironment | undefined;
  // The SDK waits about 5 s for the server to listen; a machine under load may need a second try.
  for (let attempt = 1; !env; attempt++) {
    try {
      env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: testServerPath() } } });
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  // The test server checks search attributes like a real one: the workflows' own are registered.
  // (It answers addSearchAttributes, not listSearchAttributes.)
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(ALL_SEARCH_ATTRIBUTES.map((key) => [key.name, temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD])),
  });
  fanOutClient = env.client;
  return env;
}

export interface RecordedCall {
  name: keyof Activities;
  args: any;
  at: number;
}

/**
 * Typed activity fakes that record every call; no database, no network. The fan-out activities
 * are the real ones on the test server's client: the country workflows they start are under test.
 */
export function fakeActivities(deconfliction: Partial<Deconfliction> = {}, client: Client | undefined = fanOutClient, overrides: Partial<Activities> = {}) {
  const calls: RecordedCall[] = [];
  let alertSeq = 0;
  const record = (name: keyof Activities, args: unknown) => calls.push({ name, args, at: Date.now() });
  const fanOut = createFanOutActivities(client);
  const disseminationFanOut = createDisseminationFanOutActivities(client);
  /** Contacts per ladder level for deliverIntel: a country's chain has 2 ranks here. */
  const deliverTo = (target: Parameters<Activities['deliverIntel']>[0]['target']): string[] => {
    if (target.kind === 'named') return target.contacts.map((c) => c.address);
    if (target.kind === 'country_contact') return target.rank <= 2 ? [`rank${target.rank}@nrp.${target.country.toLowerCase()}`] : [];
    if (target.kind === 'regional_officer') return [`dco-${target.region.toLowerCase()}@cyberops.test`];
    return ['supervisor@cyberops.test'];
  };
  const activities: Activities = {
    async startCountryWorkflows(args) {
      record('startCountryWorkflows', args);
      return fanOut.startCountryWorkflows(args);
    },
    async signalCountryWorkflows(args) {
      record('signalCountryWorkflows', args);
      return fanOut.signalCountryWorkflows(args);
    },
    async deconflict(args) {
      record('deconflict', args);
      return { hit: false, hits: [], checkedAt: new Date().toISOString(), ...deconfliction };
    },
    async projectSupportRequest(args) {
      record('projectSupportRequest', args);
    },
    // As the real one: deconflicts, then projects the first step with the result in it.
    async intakeSupportRequest({ deconflict, ...projection }) {
      record('intakeSupportRequest', { deconflict, ...projection });
      const result = await activities.deconflict(deconflict);
      await activities.projectSupportRequest({ ...projection, snapshot: { ...projection.snapshot, deconfliction: result } });
      return result;
    },
    async notifyCountry(args) {
      record('notifyCountry', args);
    },
    async raiseAlert(args) {
      record('raiseAlert', args);
      return { alertId: `AL-${++alertSeq}-${args.kind}` };
    },
    async escalateAlert(args) {
      record('escalateAlert', args);
      return { recipients: [args.levelName] };
    },
    async rearmAlert(args) {
      record('rearmAlert', args);
    },
    async resolveAlert(args) {
      record('resolveAlert', args);
    },
    async projectOperation(args) {
      record('projectOperation', args);
    },
    async projectOperationCountry(args) {
      record('projectOperationCountry', args);
    },
    async startRecipientWorkflows(args) {
      record('startRecipientWorkflows', args);
      return disseminationFanOut.startRecipientWorkflows(args);
    },
    async signalRecipientWorkflows(args) {
      record('signalRecipientWorkflows', args);
      return disseminationFanOut.signalRecipientWorkflows(args);
    },
    async projectDissemination(args) {
      record('projectDissemination', args);
    },
    async projectDisseminationRecipient(args) {
      record('projectDisseminationRecipient', args);
    },
    async deliverIntel(args) {
      record('deliverIntel', args);
      const at = new Date().toISOString();
      return deliverTo(args.target).map((address) => ({ kind: args.kind, level: args.level, levelName: args.levelName, contact: address, channel: 'email', address, at, ok: true }));
    },
    async askApproval(args) {
      record('askApproval', args);
    },
    async notifyRecall(args) {
      record('notifyRecall', args);
      return args.isos.length;
    },
    async auditWorkingGroup(args) {
      record('auditWorkingGroup', args);
    },
    async projectPartnerGrant(args) {
      record('projectPartnerGrant', args);
    },
    async projectActionItem(args) {
      record('projectActionItem', args);
    },
  };
  for (const [name, impl] of Object.entries(overrides) as Array<[keyof Activities, (...a: unknown[]) => Promise<unknown>]>) {
    const fake = activities[name] as (...a: unknown[]) => Promise<unknown>;
    (activities as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      await fake(...args);
      return impl(...args);
    };
  }
  return { activities, calls };
}

export function requestInput(overrides: Partial<SupportRequestInput> = {}, policy: Partial<SupportRequestInput['policy']> = {}): SupportRequestInput {
  return {
    id: `SR-${Math.random().toString(16).slice(2, 14).toUpperCase().padEnd(12, '0')}`,
    country: 'PH',
    region: 'EURASIA',
    requester: { sub: 'officer@nrp.ph', role: 'member', country: 'PH' },
    category: 'botnet',
    mode: 'remote',
    priority: 'P1',
    title: 'Botnet C2',
    description: 'test',
    indicators: [{ type: 'ipv4', value: '198.51.100.1' }],
    relatedRefs: [],
    policy: {
      priority: 'P1',
      version: 1,
      triageMs: 3_600_000,
      firstResponseMs: 3_600_000,
      resolutionMs: 3_600_000,
      warnAt: 0.75,
      escalationStepMs: 500,
      escalationLoops: 2,
      ackExpiryMs: 3_600_000,
      autoCloseAfterMs: 3_600_000,
      ...policy,
    },
    ...overrides,
  };
}

/** Asserts that a workflow update was refused by the workflow's own validation, of that type and message. */
export async function expectUpdateRefused(attempt: Promise<unknown>, type: string, message: RegExp): Promise<void> {
  const error = await attempt.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (error as WorkflowUpdateFailedError).cause as ApplicationFailure;
  expect(cause.type).toBe(type);
  expect(cause.message).toMatch(message);
}
