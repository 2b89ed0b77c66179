import { bigint, index, integer, json, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users.table.ts';

// 'reading': the upload is being read into chunks (a crash leaves it behind for the clean-up).
export const importStatuses = ['reading', 'uploaded', 'queued', 'running', 'done', 'failed'] as const;
export type ImportStatus = (typeof importStatuses)[number];
export const importDuplicateActions = ['skip', 'merge'] as const;
export const importOutcomes = ['created', 'duplicate', 'merged', 'rejected'] as const;
export type ImportOutcome = (typeof importOutcomes)[number];

/** One uploaded file and its import: mapping, progress and counts. */
export const importJobs = pgTable(
  'import_jobs',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    fileName: text().notNull(),
    // SHA-256 of the file: the same file imported twice is recognised.
    fileSha256: text().notNull(),
    format: text({ enum: ['xlsx', 'csv'] }).notNull(),
    encoding: text(),
    // Column index -> lead field (or custom field key).
    mapping: jsonb().$type<Record<string, string>>().notNull().default({}),
    onDuplicate: text({ enum: importDuplicateActions }).notNull().default('skip'),
    exhibitionId: text(),
    status: text({ enum: importStatuses }).notNull().default('uploaded'),
    totalRows: integer(),
    processedRows: integer().notNull().default(0),
    createdCount: integer().notNull().default(0),
    duplicateCount: integer().notNull().default(0),
    mergedCount: integer().notNull().default(0),
    rejectedCount: integer().notNull().default(0),
    error: jsonb(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('import_jobs_newest').on(t.createdAt.desc())],
);

/** A sheet row as read at upload: its number as the spreadsheet shows it (the header is row 1), its cells as text. */
export interface StagedRow {
  rowNo: number;
  cells: string[];
  /** Cells that hold no usable value (a formula never calculated, an Excel error), by column index. */
  problems?: Record<number, 'formula_without_value' | 'cell_error'>;
}

/**
 * The uploaded file's data rows, read once at upload (the whole-file check) and kept in chunks
 * until the import has run: the job reads them instead of the file, and any node can run it.
 */
export const importChunks = pgTable(
  'import_chunks',
  {
    jobId: text()
      .notNull()
      .references(() => importJobs.id, { onDelete: 'cascade' }),
    firstRow: integer().notNull(),
    // Never queried into: json (text) is cheaper to write and read back than jsonb.
    rows: json().$type<StagedRow[]>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.firstRow] })],
);

/** Per-row outcome of an import: the downloadable report. */
export const importRows = pgTable(
  'import_rows',
  {
    jobId: text()
      .notNull()
      .references(() => importJobs.id, { onDelete: 'cascade' }),
    rowNo: integer().notNull(),
    outcome: text({ enum: importOutcomes }).notNull(),
    leadId: bigint({ mode: 'number' }),
    duplicateOfId: bigint({ mode: 'number' }),
    // Field error codes of a rejected row, or the reasons a duplicate matched.
    details: jsonb(),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.rowNo] })],
);

export type ImportJob = typeof importJobs.$inferSelect;
