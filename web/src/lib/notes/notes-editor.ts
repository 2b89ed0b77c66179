// Loaded on demand (notes.svelte.ts): CodeMirror and Yjs stay out of the lead page's first load.
import { defaultKeymap } from '@codemirror/commands';
import { Compartment, EditorState, type Extension } from '@codemirror/state';
import { EditorView, keymap, placeholder } from '@codemirror/view';
import type { Socket } from 'socket.io-client';
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../realtime/contract.ts';
import { NotesProvider, type NotesPhase } from './notes-provider.js';

export interface NotesLabels {
  /** The editor's accessible name. */
  label: string;
  placeholder: string;
}

/** Someone else with the notes open, by their caret's colour. */
export interface NotesEditorPerson {
  clientId: number;
  name: string;
  color: string;
  /** Their caret is in the notes (the editor has their focus). */
  editing: boolean;
}

export interface NotesSnapshot {
  phase: NotesPhase;
  writable: boolean;
  refused: string | null;
  unsaved: boolean;
  people: NotesEditorPerson[];
}

export interface NotesSession {
  setLabels(labels: NotesLabels): void;
  /** Sync again (the lead changed hands: access may have too). */
  resync(): void;
  readonly unsaved: boolean;
  stop(): void;
}

// One change larger than this is refused here with a message, rather than by the server (64 KB a change).
const changeBytes = 48 * 1024;
const utf8 = new TextEncoder();

const theme = EditorView.theme({
  '&': { fontSize: '14px', border: '1px solid var(--border-strong)', borderRadius: 'var(--radius)', background: 'var(--surface)' },
  '&.cm-focused': { outline: 'none', borderColor: 'var(--primary)', boxShadow: '0 0 0 3px var(--primary-soft)' },
  '&.notes-readonly': { background: 'var(--surface-2)' },
  '.cm-scroller': { fontFamily: 'var(--font)', lineHeight: '1.6', minHeight: '132px', maxHeight: '420px', overflow: 'auto' },
  '.cm-content': { padding: '10px 0', caretColor: 'var(--text)' },
  '.cm-line': { padding: '0 12px' },
  '.cm-placeholder': { color: 'var(--text-3)' },
  '.cm-ySelectionInfo': { fontFamily: 'var(--font)', borderRadius: '3px', padding: '0 4px' },
});

/** Opens a lead's notes in a CodeMirror editor inside `host`, kept in sync with everyone's. */
export function openNotes(
  host: HTMLElement,
  socket: Socket<ServerToClientEvents, ClientToServerEvents>,
  leadId: number,
  labels: NotesLabels,
  hooks: { changed(snapshot: NotesSnapshot): void; rejected(code: string): void; tooLarge(): void },
): NotesSession {
  const access = new Compartment();
  const described = new Compartment();
  let view: EditorView | undefined;
  let writable = false;
  const people = (): NotesEditorPerson[] =>
    [...provider.awareness.getStates()].flatMap(([clientId, state]) => {
      const user = state.user as { name?: unknown; color?: unknown } | undefined;
      if (clientId === provider.doc.clientID || typeof user?.name !== 'string') return [];
      return [{ clientId, name: user.name, color: typeof user.color === 'string' ? user.color : 'var(--text-3)', editing: state.cursor != null }];
    });
  const snapshot = (): NotesSnapshot => ({ phase: provider.phase, writable: provider.writable, refused: provider.refused, unsaved: provider.unsaved, people: people() });
  const provider: NotesProvider = new NotesProvider(socket, leadId, {
    changed() {
      if (view && provider.writable !== writable) {
        writable = provider.writable;
        view.dispatch({ effects: access.reconfigure(accessOf(writable)) });
      }
      hooks.changed(snapshot());
    },
    rejected: hooks.rejected,
  });
  const peopleChanged = () => hooks.changed(snapshot());
  provider.awareness.on('change', peopleChanged);

  const accessOf = (canWrite: boolean): Extension => [
    EditorState.readOnly.of(!canWrite),
    EditorView.editable.of(canWrite),
    canWrite ? [] : EditorView.editorAttributes.of({ class: 'notes-readonly' }),
  ];
  const describedBy = (l: NotesLabels): Extension => [
    placeholder(l.placeholder),
    EditorView.contentAttributes.of({ 'aria-label': l.label, 'aria-multiline': 'true', 'data-testid': 'notes-editor' }),
  ];
  // A paste too big for one update is refused whole, with a message.
  const sizeGuard = EditorState.transactionFilter.of((tr) => {
    if (!tr.docChanged || !tr.isUserEvent('input')) return tr;
    let inserted = 0;
    tr.changes.iterChanges((_fromA, _toA, _fromB, _toB, text) => (inserted += utf8.encode(text.toString()).byteLength));
    if (inserted <= changeBytes) return tr;
    hooks.tooLarge();
    return [];
  });

  view = new EditorView({
    parent: host,
    state: EditorState.create({
      doc: provider.text.toString(),
      extensions: [
        keymap.of([...yUndoManagerKeymap, ...defaultKeymap]),
        EditorView.lineWrapping,
        theme,
        sizeGuard,
        access.of(accessOf(false)),
        described.of(describedBy(labels)),
        yCollab(provider.text, provider.awareness),
      ],
    }),
  });
  const stopProvider = provider.start();
  return {
    setLabels: (l) => view?.dispatch({ effects: described.reconfigure(describedBy(l)) }),
    resync: () => provider.sync(),
    get unsaved() {
      return provider.unsaved;
    },
    stop() {
      provider.awareness.off('change', peopleChanged);
      stopProvider();
      view?.destroy();
      view = undefined;
    },
  };
}
