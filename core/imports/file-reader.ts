import { Readable } from 'node:stream';
import chardet from 'chardet';
import { parse as parseCsv } from 'csv-parse';
import './exceljs-utf8.ts';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import JSZip from 'jszip';
import { Worker } from 'node:worker_threads';
import { AppError, type ErrorCode } from '../errors.ts';
import type { FromSheetWorker } from './sheet-reader.worker.ts';

/** Limits that keep a hostile or broken file from taking the server's memory. */
export const importLimits = { maxBytes: 50 * 1024 * 1024, maxColumns: 200, maxRows: 200_000, maxCellChars: 5_000 };

export type ImportFormat = 'xlsx' | 'csv';

/** One data row: its number as the spreadsheet shows it (the header is row 1), its cells as text. */
export interface SheetRow {
  rowNo: number;
  cells: string[];
  /** Cells that hold no usable value (a formula never calculated, an Excel error), by column index. */
  problems?: Record<number, 'formula_without_value' | 'cell_error'>;
}

const zipMagic = [0x50, 0x4b, 0x03, 0x04];
const oleMagic = [0xd0, 0xcf, 0x11, 0xe0];
const startsWith = (bytes: Uint8Array, magic: number[]) => magic.every((b, i) => bytes[i] === b);

/** xlsx (a zip), or CSV (text); anything else (an old .xls, a picture, a PDF) is refused. */
export function detectFormat(bytes: Uint8Array): ImportFormat {
  if (bytes.length === 0) throw new AppError('import.empty_file');
  if (startsWith(bytes, zipMagic)) return 'xlsx';
  if (startsWith(bytes, oleMagic)) throw new AppError('import.unsupported_file', { reason: 'xls' });
  // Text has no NUL bytes (UTF-16 files are not what Excel's "CSV" saves).
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) throw new AppError('import.unsupported_file', { reason: 'binary' });
  return 'csv';
}

/** UTF-8 (with or without BOM) when the bytes decode as such; otherwise what chardet sees, GB18030 for any Chinese guess. */
export function detectEncoding(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  const sample = bytes.subarray(0, 256 * 1024);
  try {
    // A multi-byte character cut at the sample's end is not an error: `stream` keeps it pending.
    new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: sample.length < bytes.length });
    return 'utf-8';
  } catch {
    const guess = chardet.detect(sample);
    // GBK and GB2312 are subsets of GB18030; Chinese Excel's "CSV" is one of them.
    if (!guess || /^(gb|big5|euc|iso-8859|windows-125)/i.test(guess) || !iconv.encodingExists(guess)) return 'gb18030';
    return guess;
  }
}

// Excel's day 0 is 1899-12-30 (its 1900 leap-year bug included).
const excelEpoch = Date.UTC(1899, 11, 30);
/** An Excel date serial (a date cell read without its style) as YYYY-MM-DD, or null. */
export function excelSerialDate(text: string): string | null {
  if (!/^\d{1,6}(\.\d+)?$/.test(text)) return null;
  const serial = Number(text);
  if (serial < 1 || serial > 2_958_465) return null;
  return new Date(excelEpoch + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10);
}

type CellOutcome = { text: string; problem?: 'formula_without_value' | 'cell_error' };

function cellText(value: ExcelJS.CellValue): CellOutcome {
  if (value === null || value === undefined) return { text: '' };
  if (typeof value === 'string') return { text: value };
  if (typeof value === 'number') return { text: Number.isInteger(value) ? value.toFixed(0) : String(value) };
  if (typeof value === 'boolean') return { text: value ? 'TRUE' : 'FALSE' };
  if (value instanceof Date) return { text: value.toISOString().slice(0, 10) };
  if ('richText' in value) return { text: value.richText.map((r) => r.text).join('') };
  if ('error' in value) return { text: '', problem: 'cell_error' };
  if ('formula' in value || 'sharedFormula' in value) {
    const result = (value as { result?: ExcelJS.CellValue }).result;
    if (result === undefined || result === null) return { text: '', problem: 'formula_without_value' };
    return cellText(result);
  }
  if ('text' in value) return { text: String(value.text) };
  return { text: '' };
}

/** The zip's directory must be whole: a truncated upload loses it, and is refused before anything is read. */
async function assertWholeZip(bytes: Uint8Array): Promise<void> {
  try {
    const zip = await JSZip.loadAsync(bytes, { checkCRC32: false });
    if (!Object.keys(zip.files).some((name) => /^xl\/worksheets\/[^/]+\.xml$/.test(name))) throw new Error('no worksheet');
  } catch {
    throw new AppError('import.unreadable_file', { format: 'xlsx' });
  }
}

async function* xlsxRows(bytes: Uint8Array): AsyncGenerator<SheetRow> {
  await assertWholeZip(bytes);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]), {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    // Styles are skipped for speed: a date cell then reads as its serial number (see excelSerialDate).
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = row.values as ExcelJS.CellValue[];
        // `values` is 1-based; a row with a cell far to the right is refused before it is walked.
        if (values.length - 1 > importLimits.maxColumns) throw new AppError('import.too_many_columns', { max: importLimits.maxColumns, rowNo: row.number });
        const cells: string[] = [];
        let problems: SheetRow['problems'];
        for (let c = 1; c < values.length; c++) {
          const { text, problem } = cellText(values[c]);
          cells.push(text);
          if (problem) (problems ??= {})[c - 1] = problem;
        }
        yield { rowNo: row.number, cells, ...(problems ? { problems } : {}) };
      }
      // Only the first worksheet is imported.
      break;
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('import.unreadable_file', { format: 'xlsx' });
  }
}

async function* csvRows(bytes: Uint8Array, encoding: string): AsyncGenerator<SheetRow> {
  const parser = Readable.from([Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)])
    .pipe(iconv.decodeStream(encoding))
    .pipe(parseCsv({ bom: true, relax_column_count: true, max_record_size: importLimits.maxColumns * importLimits.maxCellChars, info: true }));
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { records: number } }>) {
      if (record.length > importLimits.maxColumns) throw new AppError('import.too_many_columns', { max: importLimits.maxColumns, rowNo: info.records });
      yield { rowNo: info.records, cells: record };
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('import.unreadable_file', { format: 'csv', reason: (err as { code?: string }).code ?? 'invalid' });
  } finally {
    parser.destroy();
  }
}

const blank = (row: SheetRow) => row.cells.every((c) => c.trim() === '');

/** readSheet on the calling thread (the worker's side). */
export async function* readSheetHere(bytes: Uint8Array, format: ImportFormat, encoding = 'utf-8'): AsyncGenerator<SheetRow> {
  const rows = format === 'xlsx' ? xlsxRows(bytes) : csvRows(bytes, encoding);
  let count = 0;
  for await (const row of rows) {
    if (blank(row)) continue;
    if (++count > importLimits.maxRows + 1) throw new AppError('import.too_many_rows', { max: importLimits.maxRows });
    for (let c = 0; c < row.cells.length; c++) if (row.cells[c]!.length > importLimits.maxCellChars) row.cells[c] = row.cells[c]!.slice(0, importLimits.maxCellChars);
    yield row;
  }
}

// The parser makes many short-lived objects: on the server's small young generation (npm start's
// --max-semi-space-size=8) it spends most of its time in scavenges, so it gets a worker with its own.
const workerLimits = { maxYoungGenerationSizeMb: 16, maxOldGenerationSizeMb: 192 };
const chunkSize = 1_000;

/**
 * The rows of the first sheet, streamed from a worker thread (the server's main thread keeps
 * serving): the header row first, then the data rows (blank rows skipped). Broken files throw
 * `import.*` errors.
 */
export async function* readSheet(bytes: Uint8Array, format: ImportFormat, encoding = 'utf-8'): AsyncGenerator<SheetRow> {
  const worker = new Worker(new URL('./sheet-reader.worker.ts', import.meta.url), { workerData: { bytes, format, encoding, chunkSize }, resourceLimits: workerLimits });
  const inbox: FromSheetWorker[] = [];
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  worker.on('message', (m: FromSheetWorker) => (inbox.push(m), wake?.()));
  worker.on('error', (err: Error) => ((failure = err), wake?.()));
  worker.on('exit', () => ((exited = true), wake?.()));
  try {
    for (;;) {
      while (inbox.length === 0 && !failure && !exited) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift();
      if (!message) throw new AppError('import.unreadable_file', { reason: failure?.message ?? 'reader stopped' });
      if ('error' in message) throw new AppError(message.error.code as ErrorCode, message.error.details ?? undefined);
      worker.postMessage('more');
      yield* message.rows;
      if (message.done) return;
    }
  } finally {
    await worker.terminate();
  }
}
