/** Where use cases read the time: the system's, or one a test moves by hand (time-based rules are tested without sleeping). */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
