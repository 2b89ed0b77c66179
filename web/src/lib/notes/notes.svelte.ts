import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../realtime/contract.ts';
import { errorText } from '#lib/i18n/errors.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import type { NotesEditorPerson, NotesLabels, NotesSession, NotesSnapshot } from './notes-editor.js';
import type { NotesPhase } from './notes-provider.js';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/** A lead's shared notes card: the editor (loaded on demand) and what the card says about it. */
export class NotesState {
  /** Loading until the editor is in and the first sync answered. */
  phase = $state<NotesPhase>('loading');
  writable = $state(false);
  /** Why the notes are not shown (an error code), or null. */
  refused = $state<string | null>(null);
  /** Others with the notes open. */
  people = $state.raw<NotesEditorPerson[]>([]);
  readonly #leadId: number;
  readonly #socket: LiveSocket | undefined;
  #session: NotesSession | undefined;

  constructor(leadId: number, socket: LiveSocket | undefined) {
    this.#leadId = leadId;
    this.#socket = socket;
  }

  /** Opens the editor in `host`; returns the stop. */
  mount(host: HTMLElement, labels: () => NotesLabels): () => void {
    const socket = this.#socket;
    if (!socket) return () => {};
    let stopped = false;
    let saving: ReturnType<typeof setTimeout> | undefined;
    const show = (s: NotesSnapshot) => {
      // "Saving…" only when a save takes a moment: not a flicker on every key.
      if (s.phase === 'saving' && this.phase === 'saved') {
        saving ??= setTimeout(() => {
          saving = undefined;
          this.phase = 'saving';
        }, 400);
      } else {
        clearTimeout(saving);
        saving = undefined;
        this.phase = s.phase;
      }
      this.writable = s.writable;
      this.refused = s.refused;
      this.people = s.people;
    };
    const open = async () => {
      const { openNotes } = await import('./notes-editor.js');
      if (stopped) return;
      this.#session = openNotes(host, socket, this.#leadId, labels(), {
        changed: show,
        // Edits the server will not take: say why, and show the notes as the server has them.
        rejected: (code) => {
          toasts.error(errorText(code));
          this.#session?.stop();
          this.#session = undefined;
          void open();
        },
        tooLarge: () => toasts.error(errorText('notes.too_large')),
      });
    };
    open().catch(() => {
      // The editor's code could not load (offline on first visit): the next visit tries again.
      this.phase = 'offline';
    });
    // Leaving the page with edits not yet stored asks first.
    const unload = (e: BeforeUnloadEvent) => {
      if (this.#session?.unsaved) e.preventDefault();
    };
    window.addEventListener('beforeunload', unload);
    return () => {
      stopped = true;
      clearTimeout(saving);
      window.removeEventListener('beforeunload', unload);
      this.#session?.stop();
      this.#session = undefined;
    };
  }

  /** The editor's labels in the current language. */
  relabel(labels: NotesLabels): void {
    this.#session?.setLabels(labels);
  }

  /** The lead changed hands: ask again who may read and write. */
  resync(): void {
    this.#session?.resync();
  }

  /** What the card says about the notes now. */
  get status(): string {
    if (this.refused) return errorText(this.refused);
    switch (this.phase) {
      case 'loading':
        return m.notes_loading();
      case 'saving':
        return m.notes_saving();
      case 'offline':
        return m.notes_offline();
      case 'saved':
      case 'refused':
        return this.writable ? m.notes_saved() : m.notes_read_only();
    }
  }
}
