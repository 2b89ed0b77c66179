import { Readable } from 'node:stream';
import chardet from 'chardet';
import { parse as parseCsv } from 'csv-parse';
import './exceljs-utf8.ts';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { StagedRow } from '../../db/schema/index.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import type { FromSheetWorker } from './sheet-reader.worker.ts';

/** Limits that keep a hostile or broken file from taking the server's memory. */
export const importLimits = { maxBytes: 50 * 1024 * 1024, maxColumns: 200, maxRows: 200_000, maxCellChars: 5_000 };

export type ImportFormat = 'xlsx' | 'csv';

/** One row of a sheet, as it is read and staged (db/schema/imports.table.ts). */
export type SheetRow = StagedRow;

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

const require = createRequire(import.meta.url);
// exceljs's own cell-range decoding ("A2:C4" → top, left, bottom, right; 1-based).
const colCache = require('exceljs/lib/utils/col-cache.js') as { decode(range: string): { top: number; left: number; bottom: number; right: number } };

/** A range of merged cells that spans rows (1-based, as exceljs numbers rows and columns). */
interface RowMerge {
  top: number;
  bottom: number;
  left: number;
}

/**
 * The zip's directory must be whole (a truncated upload loses it, and is refused before anything
 * is read). Returns the first worksheet's merged ranges that span rows: exceljs's streaming reader
 * skips <mergeCell>, which comes after the rows, so the sheet's XML is scanned for them first
 * (inflated by Node's zlib as it streams).
 */
async function openWorkbook(bytes: Uint8Array): Promise<RowMerge[]> {
  let zip: yauzl.ZipFile | undefined;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), { lazyEntries: true });
    const opened = zip;
    // The first worksheet in the zip, as exceljs's streaming reader meets it.
    const sheet = await new Promise<yauzl.Entry | undefined>((resolve, reject) => {
      opened.on('entry', (entry: yauzl.Entry) => (/^xl\/worksheets\/[^/]+\.xml$/.test(entry.fileName) ? resolve(entry) : opened.readEntry()));
      opened.on('end', () => resolve(undefined));
      opened.on('error', reject);
      opened.readEntry();
    });
    if (!sheet) throw new Error('no worksheet');
    // Searched in the bytes (tags are ASCII): no text is made of the whole sheet.
    const refs = new Set<string>();
    const tag = Buffer.from('<mergeCell');
    const scan = (data: Buffer) => {
      for (let at = data.indexOf(tag); at !== -1; at = data.indexOf(tag, at + tag.length)) {
        const close = data.indexOf(0x3e, at);
        if (close === -1) return;
        const ref = /\bref="([A-Z]+\d+:[A-Z]+\d+)"/.exec(data.toString('latin1', at, close))?.[1];
        if (ref) refs.add(ref);
      }
    };
    let carry: Buffer | undefined;
    for await (const chunk of await zip.openReadStreamPromise(sheet)) {
      // A tag cut between two chunks is whole in the seam (one seen twice counts once).
      if (carry) scan(Buffer.concat([carry, (chunk as Buffer).subarray(0, 256)]));
      scan(chunk as Buffer);
      carry = Buffer.from((chunk as Buffer).subarray(-256));
      if (refs.size > importLimits.maxRows) throw new AppError('import.unreadable_file', { format: 'xlsx', reason: 'merged_cells' });
    }
    const merges = [...refs].map((ref) => colCache.decode(ref)).filter((m) => m.bottom > m.top);
    return merges.map(({ top, bottom, left }) => ({ top, bottom, left })).sort((a, b) => a.top - b.top);
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('import.unreadable_file', { format: 'xlsx' });
  } finally {
    zip?.close();
  }
}

/**
 * A cell merged down over several rows counts for each of them (a company over its contacts):
 * its value is filled into the rows below it, in its own column. A merge across columns leaves
 * the other columns empty, as they hold nothing of their own.
 */
function fillMergedDown(merges: RowMerge[]): (rowNo: number, cells: string[]) => void {
  let next = 0;
  let active: (RowMerge & { value: string })[] = [];
  // The first row is the header: a header cell merged down is not a value for the rows below.
  let header = true;
  return (rowNo, cells) => {
    active = active.filter((m) => m.bottom >= rowNo);
    for (const m of active) {
      while (cells.length < m.left) cells.push('');
      if (cells[m.left - 1] === '') cells[m.left - 1] = m.value;
    }
    // Merges starting at or above this row (their first row may have been blank and skipped).
    for (; next < merges.length && merges[next]!.top <= rowNo; next++) {
      const m = merges[next]!;
      if (!header && m.bottom > rowNo && m.top === rowNo) active.push({ ...m, value: cells[m.left - 1] ?? '' });
    }
    if (cells.some((c) => c.trim() !== '')) header = false;
  };
}

async function* xlsxRows(bytes: Uint8Array): AsyncGenerator<SheetRow> {
  const fill = fillMergedDown(await openWorkbook(bytes));
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
        fill(row.number, cells);
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

// The parser runs in a worker so the server's main thread keeps serving. Its young generation is
// kept small: 8 MB parsed as fast as 16 or 48 MB in bench:import and lowered the upload's RSS peak
// by ~30 MB (its old generation holds the shared strings, ~60 MB for 100,000 rows).
const workerLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 192 };

/** A run of data rows, as the JSON of their `SheetRow[]`: made on the reader's thread, stored as it is. */
export interface SheetChunk {
  firstRow: number;
  count: number;
  json: string;
}

/** What reading a sheet yields: its header row and first data rows once, then its data rows in chunks. */
export type SheetPart = { header: SheetRow; head: SheetRow[] } | { chunk: SheetChunk };

/**
 * The first sheet read on a worker thread (the server's main thread keeps serving and never holds
 * the rows as objects): the header and up to `headRows` data rows first, then every data row in
 * chunks of `chunkRows` (blank rows skipped). Broken files throw `import.*` errors.
 */
export async function* readSheetChunks(
  bytes: Uint8Array,
  format: ImportFormat,
  encoding: string | undefined,
  sizes: { chunkRows: number; headRows: number },
): AsyncGenerator<SheetPart> {
  const worker = new Worker(new URL('./sheet-reader.worker.ts', import.meta.url), {
    workerData: { bytes, format, encoding: encoding ?? 'utf-8', ...sizes },
    resourceLimits: workerLimits,
  });
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
      if ('done' in message) return;
      if ('chunk' in message) worker.postMessage('more');
      yield message;
    }
  } finally {
    await worker.terminate();
  }
}
