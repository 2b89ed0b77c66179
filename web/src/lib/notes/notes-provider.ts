import type { Socket } from 'socket.io-client';
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { ClientToServerEvents, NotesMessage, ServerToClientEvents } from '../../../../realtime/contract.ts';

type NotesSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** The Y.Text of a lead's notes (core/notes/notes.usecases.ts `noteTextName`). */
export const notesTextName = 'notes';
// The server takes 64 KB per update: local edits go in batches under that.
const batchBytes = 60 * 1024;
// Refusals that sending again will not change: the edits are dropped and the notes start over.
const final = new Set(['notes.read_only', 'notes.too_large', 'notes.not_visible', 'lead.not_visible', 'lead.not_found', 'request.invalid']);

/** Where the notes stand, as the card says it. */
export type NotesPhase = 'loading' | 'saved' | 'saving' | 'offline' | 'refused';

export interface NotesProviderHooks {
  /** Anything the card shows changed (phase, writable, refused). */
  changed(): void;
  /** The server refused local edits for good (`notes.read_only`, `notes.too_large`, …): they are dropped; start over from the server's text. */
  rejected(code: string): void;
}

const bytes = (data: Uint8Array | ArrayBuffer) => (data instanceof Uint8Array ? data : new Uint8Array(data));

/**
 * A lead's notes as a Yjs document kept in sync over the app's socket: sync step 1 (`notes.open` with
 * the state vector) on every (re)connect, local updates sent in order and kept until acknowledged (so
 * edits made offline or lost with a dropped connection are sent again; applying twice is harmless),
 * others' updates and carets applied as they come.
 */
export class NotesProvider {
  readonly doc = new Y.Doc();
  readonly text: Y.Text;
  readonly awareness: Awareness;
  /** Whether the server lets this person write, as of the last sync. */
  writable = false;
  /** Why the notes could not be opened (`lead.not_visible`, `notes.not_visible`, …). */
  refused: string | null = null;
  readonly #socket: NotesSocket;
  readonly #leadId: number;
  readonly #hooks: NotesProviderHooks;
  #synced = false;
  #everSynced = false;
  // Local updates not yet acknowledged, oldest first; the first #inFlight of them are on their way.
  #pending: Uint8Array[] = [];
  #inFlight = 0;
  // Bumped on every sync and disconnect: answers to an older one are ignored.
  #epoch = 0;
  #retry: ReturnType<typeof setTimeout> | undefined;
  #stopped = false;

  constructor(socket: NotesSocket, leadId: number, hooks: NotesProviderHooks) {
    this.#socket = socket;
    this.#leadId = leadId;
    this.#hooks = hooks;
    this.text = this.doc.getText(notesTextName);
    this.awareness = new Awareness(this.doc);
  }

  get phase(): NotesPhase {
    if (this.refused) return 'refused';
    if (!this.#socket.connected || (!this.#synced && this.#everSynced)) return 'offline';
    if (!this.#synced) return 'loading';
    return this.#pending.length > 0 ? 'saving' : 'saved';
  }

  /** Local edits the server has not acknowledged yet. */
  get unsaved(): boolean {
    return this.#pending.length > 0;
  }

  /** Opens the notes (again on every reconnect); returns the stop, which closes them. */
  start(): () => void {
    const socket = this.#socket;
    const onDoc = (update: Uint8Array, origin: unknown) => {
      if (origin === this) return;
      this.#pending.push(update);
      this.#flush();
      this.#notify();
    };
    const onAwareness = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      if (origin !== this && [...added, ...updated, ...removed].includes(this.doc.clientID)) this.#sendAwareness(false);
    };
    const heardUpdate = ({ leadId, update }: NotesMessage) => {
      if (leadId === this.#leadId) Y.applyUpdate(this.doc, bytes(update), this);
    };
    const heardAwareness = ({ leadId, update, ask }: NotesMessage & { ask?: boolean }) => {
      if (leadId !== this.#leadId) return;
      applyAwarenessUpdate(this.awareness, bytes(update), this);
      if (ask) this.#sendAwareness(false);
    };
    const connected = () => this.sync();
    const dropped = () => {
      this.#epoch++;
      this.#synced = false;
      this.#inFlight = 0;
      // Others' carets come back with the next sync's `ask`.
      const others = [...this.awareness.getStates().keys()].filter((id) => id !== this.doc.clientID);
      removeAwarenessStates(this.awareness, others, this);
      this.#notify();
    };
    this.doc.on('update', onDoc);
    this.awareness.on('update', onAwareness);
    socket.on('notes.update', heardUpdate);
    socket.on('notes.awareness', heardAwareness);
    socket.on('connect', connected);
    socket.on('disconnect', dropped);
    if (socket.connected) this.sync();
    return () => {
      this.#stopped = true;
      clearTimeout(this.#retry);
      // Tells the others this caret is gone (the server would too, once the room is left).
      this.awareness.setLocalState(null);
      this.doc.off('update', onDoc);
      this.awareness.off('update', onAwareness);
      socket.off('notes.update', heardUpdate);
      socket.off('notes.awareness', heardAwareness);
      socket.off('connect', connected);
      socket.off('disconnect', dropped);
      socket.emit('notes.close', { leadId: this.#leadId });
      this.awareness.destroy();
      this.doc.destroy();
    };
  }

  /** Sync step 1: the server answers what this document lacks; then what the server lacks (the unacknowledged edits) goes out. */
  sync(): void {
    if (this.#stopped || !this.#socket.connected) return;
    const epoch = ++this.#epoch;
    this.#synced = false;
    this.#inFlight = 0;
    this.#socket.emit('notes.open', { leadId: this.#leadId, stateVector: Y.encodeStateVector(this.doc) }, (answer) => {
      if (epoch !== this.#epoch || this.#stopped) return;
      if (!answer.ok) {
        // `notes.closed`: a close overtook this open; nothing to show.
        if (answer.code !== 'notes.closed') {
          this.refused = answer.code;
          this.writable = false;
        }
        this.#notify();
        return;
      }
      this.refused = null;
      Y.applyUpdate(this.doc, bytes(answer.update), this);
      this.writable = answer.writable;
      this.#synced = this.#everSynced = true;
      this.#sendAwareness(true);
      this.#flush();
      this.#notify();
    });
    this.#notify();
  }

  #flush(): void {
    if (!this.#synced || this.#inFlight > 0 || this.#pending.length === 0 || !this.#socket.connected || this.#stopped) return;
    if (!this.writable) return this.#reject('notes.read_only');
    let count = 0;
    let size = 0;
    while (count < this.#pending.length && (count === 0 || size + this.#pending[count]!.byteLength <= batchBytes)) size += this.#pending[count++]!.byteLength;
    const batch = this.#pending.slice(0, count);
    const update = count === 1 ? batch[0]! : Y.mergeUpdates(batch);
    const epoch = this.#epoch;
    this.#inFlight = count;
    this.#socket.emit('notes.update', { leadId: this.#leadId, update }, (answer) => {
      if (epoch !== this.#epoch || this.#stopped) return;
      this.#inFlight = 0;
      if (answer.ok) {
        this.#pending.splice(0, count);
        this.#flush();
      } else if (final.has(answer.code)) {
        return this.#reject(answer.code);
      } else {
        // Something passing (the database was busy): the edits stay and go again shortly.
        this.#retry = setTimeout(() => this.#flush(), 2_000);
      }
      this.#notify();
    });
  }

  #notify(): void {
    if (!this.#stopped) this.#hooks.changed();
  }

  #reject(code: string): void {
    this.#pending = [];
    this.#inFlight = 0;
    this.#hooks.rejected(code);
  }

  #sendAwareness(ask: boolean): void {
    if (!this.#synced || !this.#socket.connected) return;
    const update = encodeAwarenessUpdate(this.awareness, [this.doc.clientID]);
    this.#socket.emit('notes.awareness', { leadId: this.#leadId, update, ...(ask ? { ask } : {}) });
  }
}
