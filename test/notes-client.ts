/** A lead's shared notes as the web opens them, for the integration specs (realtime/notes, the two-node spec). */
import { NotesProvider } from '../web/src/lib/notes/notes-provider.ts';
import type { ApiClient } from './harness.ts';

/** Waits until `check` holds (the notes arrive over sockets: no single message to wait for). */
export async function until(check: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A lead's notes opened by `client` the way the lead page opens them (the web's provider on a real socket). */
export async function openNotes(client: ApiClient, leadId: number) {
  const socket = await client.socket();
  const rejected: string[] = [];
  const notes = new NotesProvider(socket.socket as never, leadId, { changed: () => {}, rejected: (code) => rejected.push(code) });
  const stop = notes.start();
  await until(() => notes.phase !== 'loading', 'the notes to open');
  const type = (at: number | 'end', text: string) => {
    for (const [i, ch] of [...text].entries()) notes.text.insert(at === 'end' ? notes.text.length : at + i, ch);
  };
  return { notes, socket, rejected, type, text: () => notes.text.toString(), stop };
}
