import fs from 'node:fs';
import path from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import * as workflows from '../../workflows';

// Every workflow type replays its committed histories: a change that would break running
// workflows fails here (use patched() to version it instead).
const HISTORIES = path.join(__dirname, 'histories');
const load = (file: string) => temporal.api.history.v1.History.decode(fs.readFileSync(path.join(HISTORIES, file)));
const files = fs.readdirSync(HISTORIES).filter((f) => f.endsWith('.history.pb'));
const workflowsPath = require.resolve('../../workflows');

describe('replay of committed histories', () => {
  it('has a history for every workflow type the worker registers', () => {
    const recordedTypes = new Set(
      files.map((f) => load(f).events[0].workflowExecutionStartedEventAttributes?.workflowType?.name),
    );
    const registered = Object.keys(workflows);
    expect([...recordedTypes].sort()).toEqual(registered.sort());
  });

  it.each(files)('replays %s without non-determinism', async (file) => {
    await Worker.runReplayHistory({ workflowsPath, replayName: file }, load(file));
  });

  it('fails a tampered history with DeterminismViolationError', async () => {
    const history = load(files.find((f) => f.includes('lifecycle'))!);
    const scheduled = history.events.find((e) => e.activityTaskScheduledEventAttributes)!;
    scheduled.activityTaskScheduledEventAttributes!.activityType = { name: 'somethingElse' };
    await expect(Worker.runReplayHistory({ workflowsPath, replayName: 'tampered' }, history)).rejects.toThrow(DeterminismViolationError);
  });
});
