import { condition, defineSignal, setHandler, sleep } from '@temporalio/workflow';

// Version 2: an extra timer before waiting. Replayed over a version 1 history it would be
// non-deterministic, so version 1 workflows must finish on version 1 workers (PINNED).
export const finishSignal = defineSignal('finish');

export async function versionProbe(): Promise<string> {
  let finished = false;
  setHandler(finishSignal, () => {
    finished = true;
  });
  await sleep('10ms');
  await condition(() => finished);
  return 'v2';
}
