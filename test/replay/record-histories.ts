// Records workflow histories for the replay tests: `npx ts-node --transpile-only test/replay/record-histories.ts`.
// Re-record only when a change is meant to be incompatible (and then version it with patched()).
import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Worker, NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { freePort, TemporalDevServer } from '../../apps/launcher/temporal-dev-server';
import {
  acknowledgeAlertSignal,
  assignUpdate,
  closeUpdate,
  getSnapshotQuery,
  provideInfoUpdate,
  requestInfoUpdate,
  resolveUpdate,
  submittedUpdate,
  supportRequestWorkflowId,
  triageUpdate,
  addActionUpdate,
} from '../../workflows/support-request/support-request.messages';
import { fakeActivities, requestInput } from '../support/workflow-env';
import {
  countryWorkflowId,
  extendUpdate,
  finalReportUpdate,
  launchUpdate,
  operationCreatedUpdate,
  operationWorkflowId,
  readinessUpdate,
  resultsUpdate,
} from '../../workflows/operation/operation.messages';
import { attendanceUpdate, holdUpdate, workingGroupWorkflowId } from '../../workflows/working-group/working-group.messages';
import {
  grantCreatedUpdate,
  partnerFeedbackUpdate,
  partnerGrantWorkflowId,
  partnerResultsUpdate,
  revokeGrantUpdate,
} from '../../workflows/partner-grant/partner-grant.messages';
import {
  actionItemWorkflowId,
  itemCreatedUpdate,
  itemDueDateUpdate,
  itemLinkOperationUpdate,
  itemNoteUpdate,
  itemStatusUpdate,
  itemTrainingUpdate,
} from '../../workflows/working-group/action-item.messages';

import {
  acknowledgeUpdate,
  approvalUpdate,
  disseminationCreatedUpdate,
  disseminationWorkflowId,
  feedbackUpdate,
  recallUpdate,
  recipientWorkflowId,
} from '../../workflows/dissemination/dissemination.messages';

const OUT = path.join(__dirname, 'histories');
const actor = { sub: 'dco@cyberops.test', role: 'coordinator' as const, region: 'EURASIA' };
const member = { sub: 'officer@nrp.ph', role: 'member' as const, country: 'PH' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  const server = new TemporalDevServer({ port: await freePort(), namespace: 'default' });
  await server.start();
  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue: 'record',
    workflowsPath: require.resolve('../../workflows'),
    activities: fakeActivities({}, client).activities,
  });
  const scenarios: Record<string, (id: string) => Promise<void>> = {
    'support-request-lifecycle': async (id) => {
      const h = client.workflow.getHandle(supportRequestWorkflowId(id));
      await h.executeUpdate(triageUpdate, { args: [{ decision: 'accept', actor }] });
      await h.executeUpdate(assignUpdate, { args: [{ assignee: 'officer@cyberops.test', actor }] });
      await h.executeUpdate(addActionUpdate, { args: [{ kind: 'advice', note: 'n', actor }] });
      await h.executeUpdate(requestInfoUpdate, { args: [{ question: 'q', actor }] });
      await h.executeUpdate(provideInfoUpdate, { args: [{ answer: 'a', actor: member }] });
      await h.executeUpdate(resolveUpdate, { args: [{ summary: 's', actor }] });
      await h.executeUpdate(closeUpdate, { args: [{ actor: member }] });
    },
    // Changes stamped by the API (received, expires), as sent since the update deadlines.
    'support-request-stamped': async (id) => {
      const h = client.workflow.getHandle(supportRequestWorkflowId(id));
      const stamp = () => ({ receivedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 10_000).toISOString() });
      await h.executeUpdate(triageUpdate, { args: [{ decision: 'accept', actor, ...stamp() }] });
      await h.executeUpdate(assignUpdate, { args: [{ assignee: 'officer@cyberops.test', actor, ...stamp() }] });
      await h.executeUpdate(addActionUpdate, { args: [{ kind: 'advice', note: 'n', actor, ...stamp() }] });
      await h.executeUpdate(resolveUpdate, { args: [{ summary: 's', actor, ...stamp() }] });
      await h.executeUpdate(closeUpdate, { args: [{ actor: member, ...stamp() }] });
    },
    // Submitted since deconfliction and the first projection are one activity (patch marker).
    'support-request-intake': async (id) => {
      const h = client.workflow.getHandle(supportRequestWorkflowId(id));
      const stamp = () => ({ receivedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 10_000).toISOString() });
      await h.executeUpdate(triageUpdate, { args: [{ decision: 'accept', actor, ...stamp() }] });
      await h.executeUpdate(assignUpdate, { args: [{ assignee: 'officer@cyberops.test', actor, ...stamp() }] });
      await h.executeUpdate(resolveUpdate, { args: [{ summary: 's', actor, ...stamp() }] });
      await h.executeUpdate(closeUpdate, { args: [{ actor: member, ...stamp() }] });
    },
    // A warning and a breach since the pager resumes and a raised alert is settled (patch marker).
    'support-request-breach-ack-v2': async (id) => {
      const h = client.workflow.getHandle(supportRequestWorkflowId(id));
      await sleep(2_500);
      const alert = (await h.query(getSnapshotQuery)).openAlerts.find((a) => a.kind === 'sla_breach');
      if (alert) await h.signal(acknowledgeAlertSignal, { alertId: alert.id, by: 'head@cyberops.test' });
      await sleep(300);
      await h.executeUpdate(triageUpdate, { args: [{ decision: 'reject', reason: 'out of scope', actor }] });
    },
    // Continues as new while a warning pages; the first and the last runs are both kept.
    'support-request-continued': async (id) => {
      const h = client.workflow.getHandle(supportRequestWorkflowId(id));
      await h.executeUpdate(triageUpdate, { args: [{ decision: 'accept', actor }] });
      await h.executeUpdate(assignUpdate, { args: [{ assignee: 'officer@cyberops.test', actor }] });
      await sleep(1_700);
      for (let n = 0; n < 12; n++) await h.executeUpdate(addActionUpdate, { args: [{ kind: 'advice', note: `n${n}`, actor }] });
      await sleep(1_000);
      await h.executeUpdate(resolveUpdate, { args: [{ summary: 's', actor }] });
      await h.executeUpdate(closeUpdate, { args: [{ actor: member }] });
    },
    'support-request-breach-ack': async (id) => {
      const h = client.workflow.getHandle(supportRequestWorkflowId(id));
      await sleep(2_500);
      const alert = (await h.query(getSnapshotQuery)).openAlerts.find((a) => a.kind === 'sla_breach');
      if (alert) await h.signal(acknowledgeAlertSignal, { alertId: alert.id, by: 'head@cyberops.test' });
      await sleep(300);
      await h.executeUpdate(triageUpdate, { args: [{ decision: 'reject', reason: 'out of scope', actor }] });
    },
  };
  const fetchRun = async (workflowId: string, runId?: string) => {
    const history = temporal.api.history.v1.History.create({ events: [] });
    let nextPageToken: Uint8Array | undefined;
    do {
      const page = await client.workflowService.getWorkflowExecutionHistory({ namespace: 'default', execution: { workflowId, runId }, nextPageToken });
      history.events.push(...(page.history?.events ?? []).map((e) => temporal.api.history.v1.HistoryEvent.create(e)));
      nextPageToken = page.nextPageToken?.length ? page.nextPageToken : undefined;
    } while (nextPageToken);
    return history;
  };
  const write = (name: string, history: temporal.api.history.v1.History): void => {
    // Histories from older code are what the replay test guards: keep them unless asked to replace.
    const file = path.join(OUT, `${name}.history.pb`);
    if (fs.existsSync(file) && !process.argv.includes('--force')) {
      console.log(`kept the committed ${name}; pass --force to replace it`);
      return;
    }
    // Binary protobuf: exact, and free of the JSON converter's dependence on one protobufjs copy.
    fs.writeFileSync(file, temporal.api.history.v1.History.encode(history).finish());
    console.log(`recorded ${name}: ${history.events.length} events`);
  };
  /** Saves the last run, or with `firstRunId` every run of a chain of continue-as-new as `<name>-run<N>`. */
  const save = async (name: string, workflowId: string, firstRunId?: string): Promise<void> => {
    await client.workflow.getHandle(workflowId).result();
    if (!firstRunId) return write(name, await fetchRun(workflowId));
    let runId: string | undefined = firstRunId;
    for (let n = 1; runId; n++) {
      const history = await fetchRun(workflowId, runId);
      write(`${name}-run${n}`, history);
      runId = history.events[history.events.length - 1].workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
    }
  };

  await worker.runUntil(async () => {
    for (const [name, drive] of Object.entries(scenarios)) {
      const input = name.includes('continued')
        ? requestInput({ maxHistoryEvents: 40 }, { resolutionMs: 2_000, warnAt: 0.75, escalationStepMs: 500, escalationLoops: 2 })
        : requestInput({}, name.includes('breach') ? { triageMs: 1_500, warnAt: 0.5, escalationStepMs: 200, escalationLoops: 2 } : {});
      const handle = await client.workflow.start('supportRequestWorkflow', {
        taskQueue: 'record',
        workflowId: supportRequestWorkflowId(input.id),
        args: [input],
      });
      await handle.executeUpdate(submittedUpdate);
      await drive(input.id);
      await save(name, handle.workflowId, name.includes('continued') ? handle.firstExecutionRunId : undefined);
    }
    await recordOperation(client, save);
    // Since progress after a quiet interval is projected at once (patch marker).
    await recordOperation(client, save, 'operation-surge-leading-edge', 'OP-REPLAY0002');
    await recordDissemination(client, save);
    await recordWorkingGroup(client, save);
    await recordPartnerGrants(client, save);
    await recordWorkingGroupHeld(client, save);
    await recordActionItems(client, save);
    await recordContinuedCountry(client, save);
  });
  await nativeConnection.close();
  await connection.close();
  await server.stop();
}

/**
 * A three-country surge through every phase: two ready on time, one late (escalated, then ready),
 * an extension, results, final reports, then closed.
 */
async function recordOperation(client: Client, save: (name: string, workflowId: string) => Promise<void>, name = 'operation-surge', id = 'OP-REPLAY0001'): Promise<void> {
  const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const lead = { sub: 'dco@cyberops.test', role: 'coordinator' as const };
  const participants = ['PH', 'TH', 'VN'].map((iso) => ({ iso, region: 'EURASIA' as const }));
  const parent = await client.workflow.start('operationWorkflow', {
    taskQueue: 'record',
    workflowId: operationWorkflowId(id),
    args: [
      {
        id,
        name: 'Replay surge',
        objective: 'record a history',
        categories: ['botnet'],
        participants,
        instants: { readinessDeadline: at(3), actionStart: at(4), actionEnd: at(7), debriefDeadline: at(9) },
        lead,
        exercise: true,
        escalation: { stepMs: 200, loops: 1, ackExpiryMs: 1_000 },
      },
    ],
  });
  await parent.executeUpdate(operationCreatedUpdate);
  await parent.executeUpdate(launchUpdate, { args: [{ actor: lead }] });
  const child = (iso: string) => client.workflow.getHandle(countryWorkflowId(id, iso));
  const member = (iso: string) => ({ sub: `nrp@${iso.toLowerCase()}`, role: 'member' as const, country: iso });
  await sleep(500);
  for (const iso of ['PH', 'TH']) {
    await child(iso).executeUpdate(readinessUpdate, { args: [{ actor: member(iso), ready: true, pointOfContact: 'duty officer', teamSize: 3 }] });
  }
  await parent.executeUpdate(extendUpdate, { args: [{ actor: lead, instants: { actionEnd: at(6.5), debriefDeadline: at(9.5) } }] });
  await sleep(3_200); // VN misses readiness: escalated
  await child('VN').executeUpdate(readinessUpdate, { args: [{ actor: member('VN'), ready: true, pointOfContact: 'late officer', teamSize: 2 }] });
  await sleep(1_000); // action window
  for (const iso of ['PH', 'TH', 'VN']) {
    await child(iso).executeUpdate(resultsUpdate, { args: [{ actor: member(iso), counts: { arrests: 2, servers_seized: 1 }, notes: 'n' }] });
  }
  await sleep(2_800); // debrief
  for (const iso of ['PH', 'TH', 'VN']) {
    await child(iso).executeUpdate(finalReportUpdate, { args: [{ actor: member(iso), summary: 'done' }] });
  }
  await save(name, parent.workflowId);
  if (name === 'operation-surge') await save('operation-country-late', countryWorkflowId(id, 'VN'));
}

/**
 * A widened AMBER+STRICT item approved by its originator, sent to three countries: PH acknowledges
 * at once and gives feedback, TH only once its backup was reached, VN never (supervisor alerted,
 * then late feedback); recalled at the end.
 */
async function recordDissemination(client: Client, save: (name: string, workflowId: string) => Promise<void>): Promise<void> {
  const id = 'DS-REPLAY0001';
  const analyst = { sub: 'analyst@cyberops.test', role: 'analyst' as const };
  const originator = { sub: 'officer@nrp.my', role: 'member' as const, country: 'MY' };
  const member = (iso: string) => ({ sub: `nrp@${iso.toLowerCase()}`, role: 'member' as const, country: iso });
  const parent = await client.workflow.start('disseminationWorkflow', {
    taskQueue: 'record',
    workflowId: disseminationWorkflowId(id),
    args: [
      {
        id,
        intelId: 'IN-REPLAY0001',
        tlp: 'TLP:AMBER+STRICT',
        priority: 'P1',
        analyst,
        recipients: ['PH', 'TH', 'VN'].map((iso) => ({ iso, region: 'EURASIA' as const })),
        policy: { ackMs: 400, feedbackReminderMs: 1_000, approvalMs: 5_000, retentionMs: 60_000 },
        originatorSub: originator.sub,
        approvalRequired: true,
      },
    ],
  });
  await parent.executeUpdate(disseminationCreatedUpdate);
  await parent.executeUpdate(approvalUpdate, { args: [{ actor: originator, decision: 'approve', note: 'ok' }] });
  const child = (iso: string) => client.workflow.getHandle(recipientWorkflowId(id, iso));
  await sleep(200);
  await child('PH').executeUpdate(acknowledgeUpdate, { args: [{ actor: member('PH') }] });
  await sleep(500); // TH's primary deadline passes: the backup is reached
  await child('TH').executeUpdate(acknowledgeUpdate, { args: [{ actor: member('TH') }] });
  await sleep(1_500); // VN: chain, regional officer, supervisor; PH reminded
  await child('PH').executeUpdate(feedbackUpdate, { args: [{ actor: member('PH'), outcome: 'actioned', note: 'seized' }] });
  await child('TH').executeUpdate(feedbackUpdate, { args: [{ actor: member('TH'), outcome: 'already_known', note: 'known' }] });
  await child('VN').executeUpdate(feedbackUpdate, { args: [{ actor: member('VN'), outcome: 'no_action', note: 'late' }] });
  await sleep(1_500);
  await parent.executeUpdate(recallUpdate, { args: [{ actor: analyst, reason: 'retracted' }] });
  await save('dissemination-lifecycle', parent.workflowId);
  await save('dissemination-recipient-escalated', recipientWorkflowId(id, 'VN'));
}

/** A meeting of three countries: one confirms, one declines after the reminder, one overdue (escalated) then confirms late. */
async function recordWorkingGroup(client: Client, save: (name: string, workflowId: string) => Promise<void>): Promise<void> {
  const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const workflowId = workingGroupWorkflowId('EURASIA', 2999);
  const handle = await client.workflow.start('workingGroupWorkflow', {
    taskQueue: 'record',
    workflowId,
    args: [
      {
        region: 'EURASIA',
        year: 2999,
        meetingDate: at(5),
        agenda: ['Regional trends', 'Action plan'],
        countries: ['PH', 'SG', 'TH'],
        attendanceDeadline: at(2.5),
        reminderBeforeMs: 1_000,
        scheduledBy: actor,
        escalationStepMs: 500,
      },
    ],
  });
  const officer = (iso: string) => ({ sub: `nrp@${iso.toLowerCase()}`, role: 'member' as const, country: iso });
  await handle.executeUpdate(attendanceUpdate, { args: [{ actor: officer('PH'), iso: 'PH', attending: true, delegate: 'head of unit' }] });
  await sleep(1_800); // the reminder went to SG and TH
  await handle.executeUpdate(attendanceUpdate, { args: [{ actor: officer('SG'), iso: 'SG', attending: false }] });
  await sleep(1_800); // TH is overdue: alert, regional officer, supervisor
  await handle.executeUpdate(attendanceUpdate, { args: [{ actor: officer('TH'), iso: 'TH', attending: true }] });
  await save('working-group-meeting', workflowId);
}

/** An operation grant that takes results, reminds its granter and expires; an intel grant with feedback, then revoked. */
async function recordPartnerGrants(client: Client, save: (name: string, workflowId: string) => Promise<void>): Promise<void> {
  const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const partner = { sub: 'analyst@acme-sec.example', role: 'partner' as const };
  const base = { org: 'acme-sec', namedSubs: [], purpose: 'takedown support', grantedBy: actor };
  const expiring = await client.workflow.start('partnerGrantWorkflow', {
    taskQueue: 'record',
    workflowId: partnerGrantWorkflowId('PG-REPLAY0001'),
    args: [{ ...base, id: 'PG-REPLAY0001', objectType: 'operation' as const, objectId: 'OP-REPLAY0001', objectLabel: 'Replay surge', tlpCeiling: 'TLP:AMBER' as const, endsAt: at(3), remindAt: at(1.5) }],
  });
  await expiring.executeUpdate(grantCreatedUpdate);
  await expiring.executeUpdate(partnerResultsUpdate, { args: [{ actor: partner, counts: { domains_taken_down: 2 }, notes: 'sinkholed', indicators: [{ type: 'domain', value: 'c2.example.net' }] }] });
  await save('partner-grant-expired', expiring.workflowId);
  const revoked = await client.workflow.start('partnerGrantWorkflow', {
    taskQueue: 'record',
    workflowId: partnerGrantWorkflowId('PG-REPLAY0002'),
    args: [{ ...base, id: 'PG-REPLAY0002', objectType: 'intel' as const, objectId: 'IN-REPLAY0001', objectLabel: 'IN-REPLAY0001', tlpCeiling: 'TLP:RED' as const, namedSubs: [partner.sub], endsAt: at(60), remindAt: at(30) }],
  });
  await revoked.executeUpdate(grantCreatedUpdate);
  await revoked.executeUpdate(partnerFeedbackUpdate, { args: [{ actor: partner, outcome: 'actioned', note: 'blocked' }] });
  await revoked.executeUpdate(revokeGrantUpdate, { args: [{ actor, reason: 'purpose fulfilled' }] });
  await save('partner-grant-revoked', revoked.workflowId);
}

/** A meeting marked held by a coordinator once attendance closed, long before its date (HOLD_PATCH). */
async function recordWorkingGroupHeld(client: Client, save: (name: string, workflowId: string) => Promise<void>): Promise<void> {
  const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const workflowId = workingGroupWorkflowId('MENA', 2998);
  const handle = await client.workflow.start('workingGroupWorkflow', {
    taskQueue: 'record',
    workflowId,
    args: [{ region: 'MENA', year: 2998, meetingDate: at(3600), agenda: ['Action plan'], countries: ['AE', 'EG'], attendanceDeadline: at(2), reminderBeforeMs: 1_000, scheduledBy: actor, escalationStepMs: 300 }],
  });
  await handle.executeUpdate(attendanceUpdate, { args: [{ actor: { sub: 'nrp@ae', role: 'member' as const, country: 'AE' }, iso: 'AE', attending: true }] });
  await sleep(2_800); // EG overdue: alert, regional officer, supervisor
  await handle.executeUpdate(holdUpdate, { args: [{ actor }] });
  await save('working-group-held', workflowId);
}

/**
 * Action-plan items: a training item reminded, overdue (escalated), given a new due date, its
 * course recorded and an exercise linked, then done; an operation item linked, then cancelled.
 */
async function recordActionItems(client: Client, save: (name: string, workflowId: string) => Promise<void>): Promise<void> {
  const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const base = { workingGroupId: workingGroupWorkflowId('EURASIA', 2999), region: 'EURASIA' as const, year: 2999, ownerCountry: 'PH', description: 'd', categories: ['botnet'], countries: ['PH', 'SG'], createdBy: actor };
  const training = await client.workflow.start('actionItemWorkflow', {
    taskQueue: 'record',
    workflowId: actionItemWorkflowId('EURASIA', 2999, 1),
    args: [{ ...base, n: 1, kind: 'training' as const, title: 'Train-the-Trainer', dueDate: at(3), reminderBeforeMs: 2_000, escalationStepMs: 400 }],
  });
  await training.executeUpdate(itemCreatedUpdate);
  await training.executeUpdate(itemNoteUpdate, { args: [{ actor: member, text: 'venue booked' }] });
  await sleep(4_200); // reminded, then overdue: regional officer, supervisor
  await training.executeUpdate(itemDueDateUpdate, { args: [{ actor, dueDate: at(3600), reason: 'postponed' }] });
  await training.executeUpdate(itemTrainingUpdate, { args: [{ actor: member, course: { startDate: at(100), endDate: at(200), hostCountry: 'SG', trainees: [{ iso: 'PH', count: 3 }] } }] });
  await training.executeUpdate(itemLinkOperationUpdate, { args: [{ actor, operationId: 'OP-REPLAY0003', exercise: true }] });
  await training.executeUpdate(itemStatusUpdate, { args: [{ actor: member, status: 'done' }] });
  await save('action-item-training', training.workflowId);

  const operation = await client.workflow.start('actionItemWorkflow', {
    taskQueue: 'record',
    workflowId: actionItemWorkflowId('EURASIA', 2999, 2),
    args: [{ ...base, n: 2, kind: 'operation' as const, title: 'Takedown', dueDate: at(3600), reminderBeforeMs: 60_000, escalationStepMs: 400 }],
  });
  await operation.executeUpdate(itemCreatedUpdate);
  await operation.executeUpdate(itemLinkOperationUpdate, { args: [{ actor, operationId: 'OP-REPLAY0004', exercise: false }] });
  await operation.executeUpdate(itemStatusUpdate, { args: [{ actor, status: 'cancelled', reason: 'merged' }] });
  await save('action-item-operation', operation.workflowId);
}

/** A country workflow whose history passes a lowered threshold while its readiness alert pages. */
async function recordContinuedCountry(client: Client, save: (name: string, workflowId: string, runId?: string) => Promise<void>): Promise<void> {
  const at = (s: number) => new Date(Date.now() + s * 1000).toISOString();
  const id = 'OP-REPLAY0002';
  const lead = { sub: 'dco@cyberops.test', role: 'coordinator' as const };
  const parent = await client.workflow.start('operationWorkflow', {
    taskQueue: 'record',
    workflowId: operationWorkflowId(id),
    args: [
      {
        id,
        name: 'Replay continued',
        objective: 'record a continued history',
        categories: ['botnet'],
        participants: [{ iso: 'PH', region: 'EURASIA' as const }],
        instants: { readinessDeadline: at(2), actionStart: at(3), actionEnd: at(8), debriefDeadline: at(10) },
        lead,
        exercise: true,
        escalation: { stepMs: 400, loops: 1, ackExpiryMs: 1_000 },
        maxHistoryEvents: 30,
      },
    ],
  });
  await parent.executeUpdate(operationCreatedUpdate);
  await parent.executeUpdate(launchUpdate, { args: [{ actor: lead }] });
  const child = client.workflow.getHandle(countryWorkflowId(id, 'PH'));
  const member = { sub: 'nrp@ph', role: 'member' as const, country: 'PH' };
  await sleep(3_300); // readiness missed: escalated; action window opens
  for (let n = 0; n < 8; n++) await child.executeUpdate(resultsUpdate, { args: [{ actor: member, counts: { arrests: 1 }, notes: `r${n}` }] });
  await sleep(5_000); // debrief
  await child.executeUpdate(finalReportUpdate, { args: [{ actor: member, summary: 'done' }] });
  const first = (await client.workflow.getHandle(countryWorkflowId(id, 'PH')).describe()).raw.workflowExecutionInfo?.firstRunId ?? undefined;
  await save('operation-country-continued', countryWorkflowId(id, 'PH'), first);
  await save('operation-continued', parent.workflowId, parent.firstExecutionRunId);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
