import type { LeadEvent } from '#lib/api/types.js';
import { followLog, type LiveSync } from '#lib/live/live-sync.svelte.js';
import { REFRESH_MS, refreshThrottle } from './refresh-throttle.js';

/**
 * Follows the log and fetches again (throttled to one fetch per `ms`, see refresh-throttle.ts) when
 * events of `types` arrive; a reload of the log fetches at once. `every`: also that often, for figures
 * that move with the clock.
 */
export function refreshOn(
  live: LiveSync | undefined,
  types: ReadonlySet<LeadEvent['type']>,
  refresh: () => Promise<void>,
  options: { ms?: number; every?: number } = {},
): () => void {
  const throttle = refreshThrottle(refresh, options.ms ?? REFRESH_MS);
  const stop = followLog(live, {
    apply: (events) => {
      if (events.some((e) => types.has(e.type))) throttle.ask();
    },
    reload: throttle.now,
  });
  const tick = options.every === undefined ? undefined : setInterval(throttle.ask, options.every);
  return () => {
    clearInterval(tick);
    throttle.stop();
    stop();
  };
}
