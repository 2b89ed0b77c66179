import type { LeadEvent } from '#lib/api/types.js';
import { followLog, type LiveSync } from '#lib/live/live-sync.svelte.js';
import { REFRESH_MS, refreshThrottle } from './refresh-throttle.js';

/** Follows the log and fetches again (throttled, see refresh-throttle.ts) when events of `types` arrive; a reload of the log fetches at once. */
export function refreshOn(live: LiveSync | undefined, types: ReadonlySet<LeadEvent['type']>, refresh: () => Promise<void>): () => void {
  const throttle = refreshThrottle(refresh, REFRESH_MS);
  const stop = followLog(live, {
    apply: (events) => {
      if (events.some((e) => types.has(e.type))) throttle.ask();
    },
    reload: throttle.now,
  });
  return () => {
    throttle.stop();
    stop();
  };
}
