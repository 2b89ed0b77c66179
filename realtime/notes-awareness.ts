import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** One client's entry in a y-protocols awareness update: its clock, and its state (null: it left). */
export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: Record<string, unknown> | null;
}

/** Decodes an awareness update (y-protocols' format: count, then client id, clock and JSON state each); throws when malformed. */
export function decodeAwareness(update: Uint8Array): AwarenessEntry[] {
  const decoder = decoding.createDecoder(update);
  const count = decoding.readVarUint(decoder);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < count; i++) {
    const clientId = decoding.readVarUint(decoder);
    const clock = decoding.readVarUint(decoder);
    const state: unknown = JSON.parse(decoding.readVarString(decoder));
    if (state !== null && (typeof state !== 'object' || Array.isArray(state))) throw new Error('an awareness state is an object or null');
    entries.push({ clientId, clock, state: state as AwarenessEntry['state'] });
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes after the awareness entries');
  return entries;
}

export function encodeAwareness(entries: AwarenessEntry[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, entries.length);
  for (const entry of entries) {
    encoding.writeVarUint(encoder, entry.clientId);
    encoding.writeVarUint(encoder, entry.clock);
    encoding.writeVarString(encoder, JSON.stringify(entry.state));
  }
  return encoding.toUint8Array(encoder);
}

// Carets in colours that stay readable under white name labels.
const palette = ['#1f4fd1', '#d4380d', '#1a8a4a', '#8e44ad', '#b76e00', '#0f7c8c', '#c2185b', '#5d4037'];

/** A person's caret colour, the same in every tab and on every screen. */
export function userColor(userId: string): { color: string; colorLight: string } {
  let hash = 0;
  for (const ch of userId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const color = palette[hash % palette.length]!;
  return { color, colorLight: `${color}33` };
}

/**
 * The entries with each state's `user` (the name and colour others see by the caret) set from who
 * sent them: a client can neither pass as someone else nor put its own text into the others' styles.
 */
export function stampAwareness(entries: AwarenessEntry[], user: { id: string; name: string }): AwarenessEntry[] {
  return entries.map((entry) => (entry.state === null ? entry : { ...entry, state: { ...entry.state, user: { id: user.id, name: user.name, ...userColor(user.id) } } }));
}
