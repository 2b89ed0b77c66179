// Reads a spreadsheet off the server's main thread (see readSheetChunks in file-reader.ts): the
// header and the first rows, then chunks of rows as JSON, at most two chunks beyond what the
// server has taken, so memory stays bounded.
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../errors.ts';
import { readSheetHere, type ImportFormat, type SheetPart, type SheetRow } from './file-reader.ts';

export type FromSheetWorker = SheetPart | { done: true } | { error: { code: string; details: Record<string, unknown> | null } };

const { bytes, format, encoding, chunkRows, headRows } = workerData as {
  bytes: Uint8Array;
  format: ImportFormat;
  encoding: string;
  chunkRows: number;
  headRows: number;
};
const port = parentPort!;
let credit = 2;
let wake: (() => void) | undefined;
port.on('message', () => {
  credit++;
  wake?.();
});
const send = (message: FromSheetWorker) => port.postMessage(message);

try {
  let header: SheetRow | undefined;
  let head: SheetRow[] | undefined = [];
  let rows: SheetRow[] = [];
  const sendHead = () => {
    if (header && head) send({ header, head });
    head = undefined;
  };
  const sendChunk = async () => {
    if (rows.length === 0) return;
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit--;
    send({ chunk: { firstRow: rows[0]!.rowNo, count: rows.length, json: JSON.stringify(rows) } });
    rows = [];
  };
  for await (const row of readSheetHere(bytes, format, encoding)) {
    if (!header) {
      header = row;
      continue;
    }
    if (head) {
      head.push(row);
      if (head.length >= headRows) sendHead();
    }
    rows.push(row);
    if (rows.length >= chunkRows) await sendChunk();
  }
  sendHead();
  await sendChunk();
  send({ done: true });
} catch (err) {
  send({ error: err instanceof AppError ? { code: err.code, details: err.details ?? null } : { code: 'import.unreadable_file', details: null } });
}
