/** How long a dashboard waits after the first change of a run before it fetches again. */
export const REFRESH_MS = 300;

/** A fetch that runs `ms` after it is first asked for, once for every ask meanwhile, and never twice at once. */
export interface RefreshThrottle {
  /** Something changed: fetch within `ms` (plus a fetch already running). */
  ask(): void;
  /** Fetch now (or right after the one running). */
  now(): void;
  stop(): void;
}

/**
 * A claim storm or a steady stream of changes costs at most one fetch per window and never two at once,
 * and a change shows about `ms` plus one fetch after it happened; nothing runs after `stop`. `refresh`
 * handles its own failures (the dashboards toast them). Plain TypeScript: the web's dashboards and
 * bench/dashboard.bench.ts's simulated ones share it.
 */
export function refreshThrottle(refresh: () => Promise<void>, ms: number): RefreshThrottle {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const run = (): void => {
    if (stopped) return;
    if (running) {
      timer = undefined;
      again = true;
      return;
    }
    // This fetch covers every change asked for so far.
    clearTimeout(timer);
    timer = undefined;
    running = refresh().finally(() => {
      running = undefined;
      if (again) {
        again = false;
        run();
      }
    });
  };
  return {
    ask: () => {
      timer ??= setTimeout(run, ms);
    },
    now: run,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
