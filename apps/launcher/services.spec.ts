import { RestartPolicy } from './services';

describe('launcher restart policy', () => {
  it('backs off 1 s, 2 s, 4 s … up to 30 s, then gives up past the limit within the window', () => {
    const policy = new RestartPolicy(7, 300_000);
    const delays = Array.from({ length: 7 }, (_, i) => policy.next(i * 1_000)?.delayMs);
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(policy.next(8_000)).toBeNull();
  });

  it('forgets crashes older than the window, so a process that crashes now and then is always restarted', () => {
    const policy = new RestartPolicy(1, 60_000);
    expect(policy.next(0)).toEqual({ delayMs: 1_000, attempt: 1 });
    expect(policy.next(61_000)).toEqual({ delayMs: 1_000, attempt: 1 });
    expect(policy.next(62_000)).toBeNull();
  });
});
