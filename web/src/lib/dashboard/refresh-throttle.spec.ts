import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { refreshThrottle } from './refresh-throttle.ts';

describe('refreshThrottle', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fetches once per window for a steady stream of changes, never two at once, and once more for changes during a fetch', async () => {
    let running = 0;
    let most = 0;
    let fetches = 0;
    const throttle = refreshThrottle(async () => {
      fetches++;
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, 450));
      running--;
    }, 300);
    // A change every 10 ms for a second: a debounce would never fire; this fetches at 300 ms, then after it.
    for (let t = 0; t < 1_000; t += 10) {
      throttle.ask();
      await vi.advanceTimersByTimeAsync(10);
    }
    expect(fetches).toBe(2);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(fetches).toBe(3);
    expect(most).toBe(1);
    // Quiet: nothing more.
    await vi.advanceTimersByTimeAsync(5_000);
    expect(fetches).toBe(3);
  });
});
