import type { LeadEvent } from '../core/events/lead-event.ts';
import type { ImportJobView } from '../core/imports/import.usecases.ts';
import type { NotificationView } from '../core/notifications/notification.ts';
import type { WallCelebration, WallState } from '../core/wall/wall-view.ts';

export type { Actor, LeadEvent, LeadEventData, LeadEventType } from '../core/events/lead-event.ts';
export type { LeadView } from '../core/leads/lead-view.ts';
export type { ImportJobView } from '../core/imports/import.usecases.ts';
export type { NotificationData, NotificationKind, NotificationView } from '../core/notifications/notification.ts';
export type { WallCelebration, WallState } from '../core/wall/wall-view.ts';

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
  /** Someone else's stored update of a lead's notes (a Yjs update), to the tabs that opened them. */
  'notes.update': (message: NotesMessage) => void;
  /** Someone's caret, selection and name in a lead's notes (a y-protocols awareness update; `user` set by the server). `ask`: answer with your own. */
  'notes.awareness': (message: NotesMessage & { ask?: boolean }) => void;
}

/**
 * A lead's notes on the wire. Binary arrives as a Buffer in Node and an ArrayBuffer in a browser;
 * either way wrap it in a Uint8Array.
 */
export interface NotesMessage {
  leadId: number;
  update: Uint8Array | ArrayBuffer;
}

/** The answer to `notes.open`: what the client lacks (sync step 2) and whether it may write; or refused with an error code. */
export type NotesOpenAck = (answer: { ok: true; update: Uint8Array | ArrayBuffer; writable: boolean } | { ok: false; code: string }) => void;

/** The people looking at a lead's page. */
export interface LeadPresence {
  leadId: number;
  viewers: { id: string; name: string }[];
}

/** How the server answers a client's request: done, or refused with an error code. */
export type Ack = (answer: { ok: true } | { ok: false; code: string }) => void;

/**
 * Messages a client sends (everything that changes data goes through HTTP, except the notes people
 * type together; the rest only say what the person is looking at). A page re-sends `lead.watch` and
 * `notes.open` after a reconnect.
 */
export interface ClientToServerEvents {
  /** This tab opened the lead's page: its watchers (and this tab) hear `lead.presence`. Refused (`lead.not_visible`) when the lead is not the person's to see. */
  'lead.watch': (request: { leadId: number }, ack: Ack) => void;
  /** This tab left the lead's page. */
  'lead.unwatch': (request: { leadId: number }) => void;
  /**
   * This tab opens a lead's notes (again after a reconnect): sync step 1 with its state vector. It hears
   * the notes' updates and awareness from then on. Refused (`lead.not_visible`, `notes.not_visible`)
   * when the lead, or its contact details, are not the person's to see.
   */
  'notes.open': (request: { leadId: number; stateVector: Uint8Array }, ack: NotesOpenAck) => void;
  /** This tab closed the lead's notes. */
  'notes.close': (request: { leadId: number }) => void;
  /** An edit (a Yjs update, at most 64 KB): acknowledged once stored, then sent to the others. Refused: `notes.read_only`, `notes.too_large`. */
  'notes.update': (request: { leadId: number; update: Uint8Array }, ack: Ack) => void;
  /** This tab's caret and selection in the notes it opened. */
  'notes.awareness': (request: { leadId: number; update: Uint8Array; ask?: boolean }) => void;
}

/** Why a connection was refused (the `connect_error` message). */
export const handshakeErrors = { unauthenticated: 'auth.unauthenticated' } as const;

/** The wall screens' namespace: a TV connects to it with `auth: { token }` (its display token) and only listens. */
export const wallNamespace = '/wall';

/** What a wall screen hears, in the room of its screen only. */
export interface WallServerToClientEvents {
  /** The screen's whole state again (its configuration too), at most about twice a second while the floor moves. */
  'wall.state': (state: WallState) => void;
  /** A deal was won in the screen's scope: interrupt with a celebration (the rep's name masked as the screen is set). */
  'wall.celebrate': (celebration: WallCelebration) => void;
}

/** A wall screen sends nothing. */
export type WallClientToServerEvents = Record<never, never>;
