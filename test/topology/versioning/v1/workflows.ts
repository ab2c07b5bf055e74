import { condition, defineSignal, setHandler } from '@temporalio/workflow';

// Version 1 of a test-only workflow: waits for `finish`, then says which code ran it.
export const finishSignal = defineSignal('finish');

export async function versionProbe(): Promise<string> {
  let finished = false;
  setHandler(finishSignal, () => {
    finished = true;
  });
  await condition(() => finished);
  return 'v1';
}
