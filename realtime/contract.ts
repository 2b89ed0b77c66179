import type { LeadEvent } from '../core/events/lead-event.ts';

export type { Actor, LeadEvent, LeadEventData, LeadEventType } from '../core/events/lead-event.ts';
export type { LeadView } from '../core/leads/lead-view.ts';

/** Messages the server sends. */
export interface ServerToClientEvents {
  /** A committed event of the log, as `GET /api/events` returns it; apply once by `seq`. */
  event: (event: LeadEvent) => void;
}

/** Messages a client sends (none yet: everything a client does goes through HTTP). */
export type ClientToServerEvents = Record<string, never>;

/** Why a connection was refused (the `connect_error` message). */
export const handshakeErrors = { unauthenticated: 'auth.unauthenticated' } as const;
