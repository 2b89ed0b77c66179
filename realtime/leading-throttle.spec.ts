import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { leadingThrottle } from './leading-throttle.ts';

describe('leadingThrottle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs at once after a quiet spell, then at most once per interval, never two at once, and once more for asks during a run', async () => {
    const starts: number[] = [];
    let running = 0;
    let most = 0;
    const throttle = leadingThrottle(
      async () => {
        starts.push(Date.now());
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 50));
        running--;
      },
      500,
      () => {},
    );
    const t0 = Date.now();
    throttle.ask();
    await vi.advanceTimersByTimeAsync(0);
    expect(starts).toEqual([t0]);
    // Asks every 10 ms for a second and a half: one run per 500 ms.
    for (let t = 0; t < 1_500; t += 10) {
      throttle.ask();
      await vi.advanceTimersByTimeAsync(10);
    }
    await vi.advanceTimersByTimeAsync(2_000);
    expect(starts.map((s) => s - t0)).toEqual([0, 500, 1000, 1500]);
    expect(most).toBe(1);
    throttle.close();
    throttle.ask();
    await vi.advanceTimersByTimeAsync(2_000);
    expect(starts).toHaveLength(4);
  });
});
