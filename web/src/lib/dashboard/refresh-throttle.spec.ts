import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { refreshThrottle } from './refresh-throttle.ts';

describe('refreshThrottle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  /** A throttle over a fetch taking `takes` ms that notes when each fetch started and how many ran at once. */
  function throttled(takes: number, ms = 300) {
    const started: number[] = [];
    let running = 0;
    let most = 0;
    const t0 = Date.now();
    const throttle = refreshThrottle(async () => {
      started.push(Date.now() - t0);
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, takes));
      running--;
    }, ms);
    return { throttle, started, most: () => most };
  }

  it('fetches at once after a quiet spell, then at most once per window', async () => {
    const { throttle, started } = throttled(10);
    throttle.ask();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0]);
    // Two more changes inside the window: one fetch when it ends, covering both.
    await vi.advanceTimersByTimeAsync(100);
    throttle.ask();
    await vi.advanceTimersByTimeAsync(50);
    throttle.ask();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toEqual([0, 300]);
    // After a quiet spell, at once again.
    throttle.ask();
    await vi.advanceTimersByTimeAsync(0);
    expect(started).toEqual([0, 300, 1_150]);
  });

  it('fetches once per window for a steady stream of changes, never two at once, and once more for changes during a fetch', async () => {
    const { throttle, started, most } = throttled(450);
    // A change every 10 ms for a second: a debounce would never fire; this fetches at once, then after each fetch.
    for (let t = 0; t < 1_000; t += 10) {
      throttle.ask();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(started).toEqual([0, 450, 900]);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(started).toEqual([0, 450, 900, 1_350]);
    expect(most()).toBe(1);
    // Quiet: nothing more.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(started).toHaveLength(4);
  });

  it('fetches right after the running fetch when told to fetch now, whatever the window', async () => {
    const { throttle, started } = throttled(50, 5_000);
    throttle.ask();
    await vi.advanceTimersByTimeAsync(10);
    throttle.now();
    await vi.advanceTimersByTimeAsync(200);
    expect(started).toEqual([0, 50]);
  });

  it('runs nothing after stop', async () => {
    const { throttle, started } = throttled(10);
    throttle.ask();
    await vi.advanceTimersByTimeAsync(100);
    throttle.ask();
    throttle.stop();
    throttle.ask();
    throttle.now();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(started).toEqual([0]);
  });
});
