import type { LeadEvent } from '#lib/api/types.js';
import { followLog, type LiveSync } from '#lib/live/live-sync.svelte.js';

/**
 * Follows the log and calls `refresh` once `ms` after the first of a run of events of `types`, then
 * again for events that came meanwhile: a claim storm or a steady stream costs one fetch per window and
 * shows a change at most `ms` (plus the fetch) after it happened. A reload of the log refreshes at once.
 */
export function refreshOn(live: LiveSync | undefined, types: ReadonlySet<LeadEvent['type']>, refresh: () => void, ms = 500): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = followLog(live, {
    apply: (events) => {
      if (timer === undefined && events.some((e) => types.has(e.type))) {
        timer = setTimeout(() => {
          timer = undefined;
          refresh();
        }, ms);
      }
    },
    reload: refresh,
  });
  return () => {
    clearTimeout(timer);
    stop();
  };
}
