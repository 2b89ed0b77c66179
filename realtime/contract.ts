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
}

/** Messages a client sends (none yet: everything a client does goes through HTTP). */
export type ClientToServerEvents = Record<string, never>;

/** Why a connection was refused (the `connect_error` message). */
export const handshakeErrors = { unauthenticated: 'auth.unauthenticated' } as const;
