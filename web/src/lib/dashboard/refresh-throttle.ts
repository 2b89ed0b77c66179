/** The least time between two fetches of a dashboard part that changes move. */
export const REFRESH_MS = 300;
/** The same for the pipeline health: its leads at risk read every held lead of the scope, and mostly move with the clock. */
export const HEALTH_REFRESH_MS = 5_000;

/** A fetch at once when asked for after a quiet spell, at most once per window, and never twice at once. */
export interface RefreshThrottle {
  /** Something changed: fetch now, or when the window since the last fetch ends (and the one running is done). */
  ask(): void;
  /** Fetch now (or right after the one running), whatever the window. */
  now(): void;
  stop(): void;
}

/**
 * The first change after a quiet spell shows one fetch after it happened; a claim storm or a steady
 * stream of changes costs at most one fetch per `ms` window, each covering every change asked for
 * before it started, and never two at once; nothing runs after `stop`. `refresh` handles its own
 * failures (the dashboards toast them). Plain TypeScript: the web's dashboards and
 * bench/dashboard.bench.ts's simulated ones share it.
 */
export function refreshThrottle(refresh: () => Promise<void>, ms: number): RefreshThrottle {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  // Asked for while a fetch runs: after it, at once ('now') or when the window ends ('window').
  let after: 'now' | 'window' | undefined;
  let stopped = false;
  let lastStart = -Infinity;
  const run = (): void => {
    clearTimeout(timer);
    timer = undefined;
    if (stopped) return;
    if (running) {
      after = 'now';
      return;
    }
    running = true;
    lastStart = Date.now();
    void refresh().finally(() => {
      running = false;
      const next = after;
      after = undefined;
      if (next === 'now') run();
      else if (next === 'window') schedule();
    });
  };
  const schedule = (): void => {
    if (stopped || timer !== undefined) return;
    if (running) {
      after ??= 'window';
      return;
    }
    const wait = lastStart + ms - Date.now();
    if (wait <= 0) run();
    else timer = setTimeout(run, wait);
  };
  return {
    ask: schedule,
    now: run,
    stop: () => {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
