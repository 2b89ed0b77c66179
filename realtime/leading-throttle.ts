/** A task run soon after it is asked for (see `leadingThrottle`). */
export interface LeadingThrottle {
  ask(): void;
  close(): void;
}

/**
 * Runs `task` soon after it is asked for: at once after a quiet spell, then at most once per
 * `intervalMs`, never two at once, and once more for the asks that came while it ran. A busy floor
 * costs one run per interval, however many asks.
 */
export function leadingThrottle(task: () => Promise<void> | void, intervalMs: number, onError: (err: unknown) => void): LeadingThrottle {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;
  let lastRun = -Infinity;
  let closed = false;
  const schedule = (): void => {
    if (closed || timer) return;
    if (running) {
      again = true;
      return;
    }
    timer = setTimeout(run, Math.max(0, lastRun + intervalMs - Date.now()));
  };
  const run = (): void => {
    timer = undefined;
    running = true;
    lastRun = Date.now();
    Promise.resolve()
      .then(task)
      .catch(onError)
      .finally(() => {
        running = false;
        if (again) {
          again = false;
          schedule();
        }
      });
  };
  return {
    ask: schedule,
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}
