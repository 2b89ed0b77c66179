import type { LeadEvent } from '../core/events/lead-event.ts';
import type { ImportJobView } from '../core/imports/import.usecases.ts';
import type { NotificationView } from '../core/notifications/notification.ts';

export type { Actor, LeadEvent, LeadEventData, LeadEventType } from '../core/events/lead-event.ts';
export type { LeadView } from '../core/leads/lead-view.ts';
export type { ImportJobView } from '../core/imports/import.usecases.ts';
export type { NotificationData, NotificationKind, NotificationView } from '../core/notifications/notification.ts';

/** Messages the server sends. */
export interface ServerToClientEvents {
  /** A committed event of the log, as `GET /api/events` returns it; apply once by `seq`. */
  event: (event: LeadEvent) => void;
  /**
   * A bulk write (an import) appended events up to `seq` without sending each one: catch up
   * over HTTP (a 410 there means reload).
   */
  'log.advanced': (head: { seq: number }) => void;
  /** Progress of an import, to the user who started it. */
  'import.progress': (job: ImportJobView) => void;
  /** A new notification for the signed-in person. */
  notification: (notification: NotificationView) => void;
  /** The person read notifications (in any tab): the badge shows `unread`. */
  'notifications.read': (state: { unread: number }) => void;
  /** Who has the lead's page open now (each person once, however many tabs), to everyone watching it. */
  'lead.presence': (presence: LeadPresence) => void;
}

/** The people looking at a lead's page. */
export interface LeadPresence {
  leadId: number;
  viewers: { id: string; name: string }[];
}

/** How the server answers a client's request: done, or refused with an error code. */
export type Ack = (answer: { ok: true } | { ok: false; code: string }) => void;

/**
 * Messages a client sends (everything that changes data goes through HTTP; these only say what
 * the person is looking at). A page re-sends `lead.watch` after a reconnect.
 */
export interface ClientToServerEvents {
  /** This tab opened the lead's page: its watchers (and this tab) hear `lead.presence`. Refused (`lead.not_visible`) when the lead is not the person's to see. */
  'lead.watch': (request: { leadId: number }, ack: Ack) => void;
  /** This tab left the lead's page. */
  'lead.unwatch': (request: { leadId: number }) => void;
}

/** Why a connection was refused (the `connect_error` message). */
export const handshakeErrors = { unauthenticated: 'auth.unauthenticated' } as const;
