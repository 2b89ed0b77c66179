// Reads a spreadsheet off the server's main thread (see readSheet in file-reader.ts): rows go back
// in chunks, one chunk in flight beyond what the reader has acknowledged, so memory stays bounded.
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../errors.ts';
import { readSheetHere, type ImportFormat, type SheetRow } from './file-reader.ts';

export type FromSheetWorker = { rows: SheetRow[]; done: boolean } | { error: { code: string; details: Record<string, unknown> | null } };

const { bytes, format, encoding, chunkSize } = workerData as { bytes: Uint8Array; format: ImportFormat; encoding: string; chunkSize: number };
const port = parentPort!;
let credit = 2;
let wake: (() => void) | undefined;
port.on('message', () => {
  credit++;
  wake?.();
});
const send = (message: FromSheetWorker) => port.postMessage(message);

try {
  let rows: SheetRow[] = [];
  for await (const row of readSheetHere(bytes, format, encoding)) {
    rows.push(row);
    if (rows.length < chunkSize) continue;
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    send({ rows, done: false });
    rows = [];
  }
  send({ rows, done: true });
} catch (err) {
  send({ error: err instanceof AppError ? { code: err.code, details: err.details ?? null } : { code: 'import.unreadable_file', details: null } });
}
