import type { Clock } from '../core/clock.ts';

/** A clock a test moves by hand: time-based rules are tested without sleeping. */
export class ManualClock implements Clock {
  #at = Date.now();

  now(): Date {
    return new Date(this.#at);
  }

  /** Back to the real time (the log stamps events with the database's clock, so a test starts there). */
  reset(): void {
    this.#at = Date.now();
  }

  advance(ms: number): void {
    this.#at += ms;
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
