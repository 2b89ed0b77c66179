import { z } from 'zod';
import { AppError } from '../core/errors.ts';
import type { LeadEvent } from '../core/events/lead-event.ts';
import type { Holding } from '../core/leads/visibility.ts';
import type { NoteAccess } from '../core/notes/notes.usecases.ts';
import { noteAccessFor } from '../core/notes/notes.usecases.ts';
import type { Viewer } from '../core/viewer.ts';
import type { HubSocket, Io } from './hub.ts';
import { decodeAwareness, encodeAwareness, stampAwareness } from './notes-awareness.ts';
import { rooms } from './rooms.ts';

/** What the notes need of the core (core/notes/notes.usecases.ts). */
export interface NotesStore {
  access(viewer: Viewer, leadId: number): Promise<NoteAccess>;
  read(leadId: number, stateVector: Uint8Array): Promise<{ update: Uint8Array; compactDue: boolean }>;
  append(viewer: Viewer, leadId: number, update: Uint8Array): Promise<{ compactDue: boolean }>;
  compact(leadId: number): Promise<void>;
}

const leadId = z.number().int().positive();
const binary = z.instanceof(Uint8Array);
const openRequest = z.object({ leadId, stateVector: binary.refine((b) => b.byteLength <= 64 * 1024) });
const closeRequest = z.object({ leadId });
// The update's size is the core's to refuse, with its own code (notes.too_large).
const updateRequest = z.object({ leadId, update: binary });
// A caret, a selection and a name: one client's state, small.
const awarenessRequest = z.object({ leadId, update: binary.refine((b) => b.byteLength <= 4 * 1024), ask: z.boolean().optional() });

/** Events after which a lead may be someone else's to see: its notes' readers are checked again. */
const mayChangeHands = (event: LeadEvent) =>
  ['lead.claimed', 'lead.released', 'lead.recycled', 'lead.assigned', 'lead.moved', 'lead.merged', 'lead.collision_decided'].includes(event.type);

const codeOf = (err: unknown) => {
  if (err instanceof AppError) return err.code;
  console.error('[notes]', err);
  return 'server.internal';
};

/**
 * Shared notes over the hub's socket: each lead's notes are a room. Every update is stored before it
 * is acknowledged or sent on (core/notes), and the sync answer is read from the database, so sockets
 * on different nodes (the Redis adapter carries the room) converge, and a restart loses nothing that
 * was acknowledged. Awareness (carets, names) is relayed, never stored.
 */
export function createNotesRelay(io: Io, store: NotesStore) {
  // One compaction per lead at a time on this node (another node's may overlap: harmless, see compactNote).
  const compacting = new Set<number>();
  const compact = (id: number) => {
    if (compacting.has(id)) return;
    compacting.add(id);
    store
      .compact(id)
      .catch((err: unknown) => console.error('[notes] compacting', err))
      .finally(() => compacting.delete(id));
  };

  /** This node's sockets with the lead's notes open that may no longer see them leave the room (and are told so by their next sync). */
  async function recheckLocal(id: number, holding: Holding) {
    for (const socket of await io.local.in(rooms.notes(id)).fetchSockets()) {
      if (noteAccessFor(socket.data.viewer, holding) === null) socket.leave(rooms.notes(id));
    }
  }

  return {
    /** The lead changed hands (an event of this node): every node checks who still may read its notes. */
    holdingChanged(event: LeadEvent, holding: Holding, toOtherNodes: (emit: () => void) => void) {
      if (!mayChangeHands(event)) return;
      const check = (id: number) => void recheckLocal(id, holding).catch((err: unknown) => console.error('[notes] recheck', err));
      check(event.leadId);
      toOtherNodes(() => io.serverSideEmit('notes.holding', { leadId: event.leadId, holding }));
    },
    /** Another node's `holdingChanged`. */
    recheck(id: number, holding: Holding) {
      void recheckLocal(id, holding).catch((err: unknown) => console.error('[notes] recheck', err));
    },
    attach(socket: HubSocket) {
      const viewer = socket.data.viewer;
      // Opens still checking access: a close arriving meanwhile cancels the join (as presence's watch).
      const opening = new Set<number>();
      // The awareness clients this socket spoke for, by lead, with their last clock: told gone when it leaves.
      const clients = new Map<number, Map<number, number>>();

      const leave = (id: number) => {
        const room = rooms.notes(id);
        const gone = clients.get(id);
        clients.delete(id);
        if (gone && gone.size > 0) {
          const update = encodeAwareness([...gone].map(([clientId, clock]) => ({ clientId, clock: clock + 1, state: null })));
          socket.to(room).emit('notes.awareness', { leadId: id, update });
        }
        void socket.leave(room);
      };

      socket.on('notes.open', async (request, ack) => {
        const answer = typeof ack === 'function' ? ack : () => {};
        const parsed = openRequest.safeParse(request);
        if (!parsed.success) return answer({ ok: false, code: 'request.invalid' });
        const { leadId: id, stateVector } = parsed.data;
        opening.add(id);
        try {
          const access = await store.access(viewer, id);
          if (!opening.delete(id) || !socket.connected) return answer({ ok: false, code: 'notes.closed' });
          // Joined before the state is read: an update stored meanwhile arrives in the state, as a message, or both (harmless).
          await socket.join(rooms.notes(id));
          const { update, compactDue } = await store.read(id, stateVector);
          answer({ ok: true, update, writable: access === 'write' });
          if (compactDue) compact(id);
        } catch (err) {
          opening.delete(id);
          // Opened before and refused now (the lead changed hands): stop hearing it.
          if (socket.rooms.has(rooms.notes(id))) leave(id);
          answer({ ok: false, code: codeOf(err) });
        }
      });

      socket.on('notes.close', (request) => {
        const parsed = closeRequest.safeParse(request);
        if (!parsed.success) return;
        opening.delete(parsed.data.leadId);
        if (socket.rooms.has(rooms.notes(parsed.data.leadId))) leave(parsed.data.leadId);
      });

      socket.on('notes.update', async (request, ack) => {
        const answer = typeof ack === 'function' ? ack : () => {};
        const parsed = updateRequest.safeParse(request);
        if (!parsed.success) return answer({ ok: false, code: 'request.invalid' });
        const { leadId: id, update } = parsed.data;
        try {
          // Stored first: what is acknowledged or seen by others survives a crash.
          const { compactDue } = await store.append(viewer, id, update);
          socket.to(rooms.notes(id)).emit('notes.update', { leadId: id, update });
          answer({ ok: true });
          if (compactDue) compact(id);
        } catch (err) {
          answer({ ok: false, code: codeOf(err) });
        }
      });

      socket.on('notes.awareness', (request) => {
        const parsed = awarenessRequest.safeParse(request);
        if (!parsed.success || !socket.rooms.has(rooms.notes(parsed.data.leadId))) return;
        const { leadId: id, update, ask } = parsed.data;
        let entries;
        try {
          entries = decodeAwareness(update);
        } catch {
          return;
        }
        // A tab speaks for its own editor: one client.
        if (entries.length !== 1) return;
        const known = clients.get(id) ?? new Map<number, number>();
        clients.set(id, known);
        for (const e of entries) {
          if (e.state === null) known.delete(e.clientId);
          else known.set(e.clientId, e.clock);
        }
        socket.to(rooms.notes(id)).emit('notes.awareness', { leadId: id, update: encodeAwareness(stampAwareness(entries, viewer)), ...(ask ? { ask } : {}) });
      });

      // Gone (tab closed, network lost): the others' editors drop its caret now, not after a timeout.
      socket.on('disconnecting', () => {
        for (const id of clients.keys()) if (socket.rooms.has(rooms.notes(id))) leave(id);
      });
    },
  };
}
