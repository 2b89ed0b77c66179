import { createHash } from 'node:crypto';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { and, asc, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import './exceljs-utf8.ts';
import ExcelJS from 'exceljs';
import { z } from 'zod';
import { rowsOf, type Db } from '../../db/client.ts';
import { customFields, exhibitions, importChunks, importDuplicateActions, importJobs, importRows, leads, users, type BuiltInStage, type ImportJob, type Stage, type StagedRow } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { companyKey } from '../dedup/cleaning.ts';
import { findDuplicates } from '../dedup/duplicates.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import type { Actor } from '../events/lead-event.ts';
import { assignArrivals } from '../rules/assignment.usecases.ts';
import { ingestBatch, probeExisting, type ExistingMatches, type IngestOutcome, type LeadCandidate } from '../intake/bulk-ingest.ts';
import type { Viewer } from '../viewer.ts';
import { detectEncoding, detectFormat, importLimits, readSheetChunks, type SheetPart, type SheetRow } from './file-reader.ts';
import { foldHeader, leadImportFields, suggestMapping, templateExample, templateHeaders, type ColumnMapping } from './header-mapping.ts';
import { columnMappingInput, rowParser, type ParsedRow } from './row-parsing.ts';
import { listStages } from '../pipeline/pipeline-config.usecases.ts';
import { csvBom, csvLine } from '../csv.ts';

/** An import as callers see it (no file bytes), as JSON carries it (times as ISO strings). */
export type ImportJobView = Omit<ImportJob, 'mapping' | 'createdAt' | 'startedAt' | 'finishedAt'> & {
  mapping: ColumnMapping;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

/** Where an import's effects go: its progress to the importer, the log's growth to every screen. */
export interface ImportNotifier {
  progress(userId: string | null, job: ImportJobView): void;
  /** A bulk write appended events up to `seq`: screens catch up over HTTP instead of getting each one. */
  logAdvanced(seq: number): void;
}

export interface ImportContext extends CoreContext {
  importNotifier: ImportNotifier;
  /** Hands the import to a worker (pg-boss), or runs it in this process when there are none. */
  enqueueImport(jobId: string): Promise<void>;
}

/**
 * Rows per transaction, and per staged chunk: big enough for few round trips, small enough to
 * keep PGlite's one connection free.
 */
export const IMPORT_BATCH = 2_000;

export const startImportInput = z.strictObject({
  mapping: columnMappingInput,
  onDuplicate: z.enum(importDuplicateActions).default('skip'),
  exhibitionId: z.string().max(100).nullish(),
});
export type StartImportInput = z.infer<typeof startImportInput>;

export const previewImportInput = z.strictObject({ mapping: columnMappingInput });

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const view = (job: ImportJob): ImportJobView => ({
  ...job,
  mapping: job.mapping as ColumnMapping,
  createdAt: iso(job.createdAt)!,
  startedAt: iso(job.startedAt),
  finishedAt: iso(job.finishedAt),
});

async function mustFindJob(db: Db, viewer: Viewer, id: string): Promise<ImportJob> {
  const [job] = await db.select().from(importJobs).where(eq(importJobs.id, id));
  // A manager sees their own imports; an admin sees all.
  if (!job || (viewer.role !== 'admin' && job.createdBy !== viewer.id)) throw new AppError('import.not_found', { id });
  return job;
}

const liveCustomFields = (db: Db) =>
  db.select().from(customFields).where(isNull(customFields.archivedAt)).orderBy(asc(customFields.position), asc(customFields.createdAt));

/** The staged data rows of an import, a chunk at a time, in file order. */
async function* stagedRows(db: Db, jobId: string): AsyncGenerator<StagedRow[]> {
  for (let after = 0; ; ) {
    const [chunk] = await db
      .select()
      .from(importChunks)
      .where(and(eq(importChunks.jobId, jobId), gt(importChunks.firstRow, after)))
      .orderBy(asc(importChunks.firstRow))
      .limit(1);
    if (!chunk) return;
    yield chunk.rows;
    after = chunk.firstRow;
  }
}

/** Data rows the mapping screen shows as examples. */
const SAMPLE_ROWS = 20;

/** What reading the whole file found: its header, a sample, how many data rows. */
interface StagedSheet {
  headers: string[];
  sample: SheetRow[];
  totalRows: number;
}

/**
 * Reads the file end to end into chunks of the job (a broken file fails here, before any lead
 * is written): the import reads the chunks, not the file again. The reader's thread makes each
 * chunk's JSON; this thread only stores it.
 */
async function stageSheet(db: Db, jobId: string, parts: AsyncIterable<SheetPart>): Promise<StagedSheet> {
  let headers: string[] | undefined;
  let sample: SheetRow[] = [];
  let totalRows = 0;
  for await (const part of parts) {
    if ('header' in part) {
      headers = part.header.cells.map((c) => c.trim());
      sample = part.head;
      continue;
    }
    await db.insert(importChunks).values({ jobId, firstRow: part.chunk.firstRow, rows: sql`${part.chunk.json}::json` });
    totalRows += part.chunk.count;
  }
  if (!headers || totalRows === 0) throw new AppError('import.empty_file');
  return { headers, sample, totalRows };
}

/** What the mapping screen needs about the fields a column can go to. */
export interface ImportTargetView {
  target: string;
  /** Custom fields carry their label; lead fields are translated by the web. */
  label?: string;
  required: boolean;
}

export interface UploadedImport {
  job: ImportJobView;
  headers: string[];
  sample: string[][];
  suggestedMapping: ColumnMapping;
  targets: ImportTargetView[];
  /** This same file was imported before (same SHA-256): importing it again creates nothing new. */
  previousImport: { id: string; finishedAt: Date | null } | null;
}

/**
 * Takes an uploaded file: reads it whole into staged chunks, refusing a broken one (so nothing is
 * ever half imported), and suggests a mapping. Any node can then run the import.
 */
export async function uploadImport(db: Db, viewer: Viewer, file: { name: string; bytes: Uint8Array }): Promise<UploadedImport> {
  if (file.bytes.length > importLimits.maxBytes) throw new AppError('import.file_too_large', { maxBytes: importLimits.maxBytes });
  const format = detectFormat(file.bytes);
  const encoding = format === 'csv' ? detectEncoding(file.bytes) : null;
  const fields = await liveCustomFields(db);
  const sha = createHash('sha256').update(file.bytes).digest('hex');
  const [previous] = await db
    .select({ id: importJobs.id, finishedAt: importJobs.finishedAt })
    .from(importJobs)
    .where(and(eq(importJobs.fileSha256, sha), eq(importJobs.status, 'done')))
    .orderBy(desc(importJobs.createdAt))
    .limit(1);
  const [reading] = await db
    .insert(importJobs)
    .values({ createdBy: viewer.id, fileName: file.name.slice(0, 255), fileSha256: sha, format, encoding, status: 'reading' })
    .returning();
  let staged: StagedSheet;
  try {
    staged = await stageSheet(db, reading!.id, readSheetChunks(file.bytes, format, encoding ?? undefined, { chunkRows: IMPORT_BATCH, headRows: SAMPLE_ROWS }));
  } catch (err) {
    // The file's error is the answer; if this clean-up fails too, imports.cleanup drops the job later.
    await db
      .delete(importJobs)
      .where(eq(importJobs.id, reading!.id))
      .catch(() => {});
    throw err;
  }
  const mapping = suggestMapping(staged.headers, fields);
  const [job] = await db.update(importJobs).set({ status: 'uploaded', mapping, totalRows: staged.totalRows }).where(eq(importJobs.id, reading!.id)).returning();
  return {
    job: view(job!),
    headers: staged.headers,
    sample: staged.sample.map((r) => r.cells),
    suggestedMapping: mapping,
    targets: [
      ...leadImportFields.map((target) => ({ target, required: target === 'company' })),
      ...fields.map((f) => ({ target: `custom:${f.key}`, label: f.label, required: f.required })),
    ],
    previousImport: previous ?? null,
  };
}

async function parserFor(db: Db, mapping: ColumnMapping, exhibitionId: string | null) {
  const fields = await liveCustomFields(db);
  const live = new Set(fields.map((f) => `custom:${f.key}`));
  const unknown = Object.entries(mapping).filter(([, t]) => t.startsWith('custom:') && !live.has(t));
  if (unknown.length > 0) throw new AppError('request.invalid', { fields: Object.fromEntries(unknown.map(([i]) => [`mapping.${i}`, ['unknown_field']])) });
  const shows = await db.select({ id: exhibitions.id, name: exhibitions.name }).from(exhibitions);
  if (exhibitionId && !shows.some((s) => s.id === exhibitionId)) throw new AppError('request.invalid', { fields: { exhibitionId: ['unknown_exhibition'] } });
  return rowParser({ mapping, customFields: fields, exhibitionsByName: new Map(shows.map((s) => [foldHeader(s.name), s.id])), exhibitionId });
}

const PREVIEW_ROWS = 20;

export interface PreviewRow {
  rowNo: number;
  /** The row as it will be saved (cleaned), or null when rejected. */
  lead: Record<string, unknown> | null;
  errors: Record<string, string[]>;
  duplicateOf: { leadId: number; company: string; reasons: string[] } | null;
  /** An earlier row of the file it repeats (the import skips or merges it the same way). */
  duplicateOfRow: number | null;
}

/** The first rows with the mapping and the cleaning applied, each with its errors or the lead it duplicates. */
export async function previewImport(db: Db, viewer: Viewer, id: string, mapping: ColumnMapping): Promise<PreviewRow[]> {
  const job = await mustFindJob(db, viewer, id);
  const parse = await parserFor(db, mapping, job.exhibitionId);
  const { value: first } = await stagedRows(db, id).next();
  const sample = (first ?? []).slice(0, PREVIEW_ROWS);
  const preview: PreviewRow[] = [];
  const seen = new Map<string, number>();
  for (const row of sample) {
    const parsed = parse(row);
    if (!parsed.ok) {
      preview.push({ rowNo: row.rowNo, lead: null, errors: parsed.rejected.errors, duplicateOf: null, duplicateOfRow: null });
      continue;
    }
    const { rowNo, ...lead } = parsed.candidate;
    const [match] = (await findDuplicates(db, lead, 5)).filter((m) => m.blocking || m.reasons.includes('company'));
    // The same keys the ingest matches within a file.
    const keys = [lead.mobile, lead.phone, lead.email && `email:${lead.email}`, `company:${companyKey(lead.company)}`].filter((k): k is string => Boolean(k));
    const earlier = keys.map((k) => seen.get(k)).find((n) => n !== undefined) ?? null;
    for (const k of keys) if (!seen.has(k)) seen.set(k, rowNo);
    preview.push({
      rowNo,
      lead,
      errors: {},
      duplicateOf: match ? { leadId: match.leadId, company: match.company, reasons: match.reasons } : null,
      duplicateOfRow: match ? null : earlier,
    });
  }
  return preview;
}

/** Queues the import with the confirmed mapping; an import starts once. */
export async function startImport(ctx: ImportContext, viewer: Viewer, id: string, input: StartImportInput): Promise<ImportJobView> {
  await mustFindJob(ctx.db, viewer, id);
  await parserFor(ctx.db, input.mapping, input.exhibitionId ?? null);
  const [job] = await ctx.db
    .update(importJobs)
    .set({ mapping: input.mapping, onDuplicate: input.onDuplicate, exhibitionId: input.exhibitionId ?? null, status: 'queued' })
    .where(and(eq(importJobs.id, id), eq(importJobs.status, 'uploaded')))
    .returning();
  if (!job) throw new AppError('import.already_started', { id });
  await ctx.enqueueImport(id);
  return view(job);
}

export const getImport = async (db: Db, viewer: Viewer, id: string) => view(await mustFindJob(db, viewer, id));

/** The caller's recent imports (an admin's: everyone's). */
export async function listImports(db: Db, viewer: Viewer): Promise<ImportJobView[]> {
  const rows = await db
    .select()
    .from(importJobs)
    .where(and(ne(importJobs.status, 'reading'), viewer.role === 'admin' ? undefined : eq(importJobs.createdBy, viewer.id)))
    .orderBy(desc(importJobs.createdAt))
    .limit(50);
  return rows.map(view);
}

/** A batch of parsed rows, its candidates already matched against existing leads. */
interface ProbedBatch {
  parsed: ParsedRow[];
  candidates: LeadCandidate[];
  probed: ExistingMatches;
}

type Counts = { processed: number; created: number; duplicate: number; merged: number; rejected: number };

/** One batch in one transaction: the leads, their events, the rows' outcomes and the job's progress commit together. */
async function importBatch(db: Db, job: ImportJob, actor: Actor, batch: ProbedBatch): Promise<{ job: ImportJob; lastSeq: number | null; createdIds: number[] }> {
  const { parsed, candidates, probed } = batch;
  return db.transaction(async (tx) => {
    const { outcomes, lastSeq } = await ingestBatch(tx, candidates, { onDuplicate: job.onDuplicate, actor, createdBy: job.createdBy }, probed);
    const rows = [
      ...outcomes.map((o: IngestOutcome) =>
        o.outcome === 'created'
          ? { job_id: job.id, row_no: o.rowNo, outcome: o.outcome, lead_id: o.leadId, duplicate_of_id: null, details: null }
          : { job_id: job.id, row_no: o.rowNo, outcome: o.outcome, lead_id: null, duplicate_of_id: o.duplicateOfId, details: { reason: o.reason } },
      ),
      ...parsed.flatMap((p) =>
        p.ok ? [] : [{ job_id: job.id, row_no: p.rejected.rowNo, outcome: 'rejected', lead_id: null, duplicate_of_id: null, details: { errors: p.rejected.errors } }],
      ),
    ];
    const counts: Counts = { processed: parsed.length, created: 0, duplicate: 0, merged: 0, rejected: 0 };
    for (const r of rows) counts[r.outcome as keyof Counts]++;
    await tx.execute(sql`insert into import_rows (job_id, row_no, outcome, lead_id, duplicate_of_id, details)
      select job_id, row_no, outcome, lead_id, duplicate_of_id, details
      from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as r(job_id text, row_no int, outcome text, lead_id bigint, duplicate_of_id bigint, details jsonb)`);
    const [updated] = await tx
      .update(importJobs)
      .set({
        processedRows: sql`${importJobs.processedRows} + ${counts.processed}`,
        createdCount: sql`${importJobs.createdCount} + ${counts.created}`,
        duplicateCount: sql`${importJobs.duplicateCount} + ${counts.duplicate}`,
        mergedCount: sql`${importJobs.mergedCount} + ${counts.merged}`,
        rejectedCount: sql`${importJobs.rejectedCount} + ${counts.rejected}`,
      })
      .where(eq(importJobs.id, job.id))
      .returning();
    return { job: updated!, lastSeq, createdIds: outcomes.flatMap((o) => (o.outcome === 'created' ? [o.leadId] : [])) };
  });
}

/**
 * Runs a queued import (the pg-boss job) over the rows staged at upload. Idempotent: rows already
 * reported are skipped, so a retried or crashed run resumes where its last committed batch ended.
 */
export async function runImport(ctx: ImportContext, jobId: string, options: { batchSize?: number; lastAttempt?: boolean } = {}): Promise<void> {
  const { batchSize = IMPORT_BATCH, lastAttempt = false } = options;
  const [found] = await ctx.db.select().from(importJobs).where(eq(importJobs.id, jobId));
  // Only a started import runs (queued, or running when a crashed run is retried).
  if (!found || (found.status !== 'queued' && found.status !== 'running')) return;
  let job = found;
  const [started] = await ctx.db
    .update(importJobs)
    .set({ status: 'running', startedAt: sql`coalesce(${importJobs.startedAt}, now())` })
    .where(eq(importJobs.id, jobId))
    .returning();
  job = started!;
  // The batch being written, if any: it is let finish before runImport returns or throws, so a
  // retry never runs beside it.
  let writing: Promise<void> = Promise.resolve();
  try {
    ctx.importNotifier.progress(job.createdBy, view(job));
    const [{ done }] = rowsOf<{ done: number | null }>(await ctx.db.execute(sql`select max(row_no) as done from import_rows where job_id = ${jobId}`)) as [{ done: number | null }];
    const resumeAfter = Number(done ?? 0);
    const parse = await parserFor(ctx.db, job.mapping as ColumnMapping, job.exhibitionId);
    const [creator] = rowsOf<{ name: string }>(await ctx.db.execute(sql`select name from users where id = ${job.createdBy}`));
    const actor: Actor = { type: 'user', id: job.createdBy, name: creator?.name ?? 'import' };
    // Batches commit one after another; while one is written the next is read, cleaned and
    // matched against existing leads (on another connection), and ingestBatch catches up with
    // whatever was committed in between.
    const write = async (probedBatch: ProbedBatch) => {
      const result = await importBatch(ctx.db, job, actor, probedBatch);
      job = result.job;
      if (result.lastSeq !== null) ctx.importNotifier.logAdvanced(result.lastSeq);
      // The batch's new leads go where the import door's assignment rules say.
      await assignArrivals(ctx, 'import', result.createdIds);
      ctx.importNotifier.progress(job.createdBy, view(job));
    };
    let batch: ParsedRow[] = [];
    const flush = async () => {
      const parsed = batch;
      batch = [];
      const candidates = parsed.flatMap((p) => (p.ok ? [p.candidate] : []));
      const probing = probeExisting(ctx.db, candidates);
      // Each is awaited later (a batch's failure before the next starts); until then it must not count as unhandled.
      probing.catch(() => {});
      await writing;
      writing = probing.then((probed) => write({ parsed, candidates, probed }));
      writing.catch(() => {});
    };
    for await (const rows of stagedRows(ctx.db, jobId)) {
      for (const [i, row] of rows.entries()) {
        // Cleaning a batch takes tens of milliseconds: the loop is let go now and then, so the
        // batch being written gets its answers from the database as they come.
        if (i % 50 === 49) await yieldToLoop();
        if (row.rowNo <= resumeAfter) continue;
        batch.push(parse(row));
        if (batch.length >= batchSize) await flush();
      }
    }
    if (batch.length > 0) await flush();
    await writing;
    job = await finishImport(ctx.db, jobId, { status: 'done' });
  } catch (err) {
    await writing.catch(() => {});
    // A problem with the rows will not go away by retrying; anything else (a lost connection) is
    // retried by the job queue, and when it gives up the import ends as interrupted, not "running" for ever.
    if (!(err instanceof AppError) && !lastAttempt) throw err;
    const error = err instanceof AppError ? { code: err.code, details: err.details ?? null } : { code: 'import.interrupted' satisfies ErrorCode, details: null };
    job = await finishImport(ctx.db, jobId, { status: 'failed', error });
    ctx.importNotifier.progress(job.createdBy, view(job));
    if (!(err instanceof AppError)) throw err;
    return;
  }
  ctx.importNotifier.progress(job.createdBy, view(job));
}

/** Ends an import; its staged rows go (the report is kept in import_rows). */
async function finishImport(db: Db, jobId: string, end: Pick<ImportJob, 'status'> & Partial<Pick<ImportJob, 'error'>>): Promise<ImportJob> {
  return db.transaction(async (tx) => {
    await tx.delete(importChunks).where(eq(importChunks.jobId, jobId));
    const [job] = await tx.update(importJobs).set({ ...end, finishedAt: new Date() }).where(eq(importJobs.id, jobId)).returning();
    return job!;
  });
}

const reportHeaders = {
  'zh-CN': ['行号', '结果', '线索编号', '重复于线索', '原因', '已有线索公司', '已有线索负责人', '已有线索阶段'],
  en: ['Row', 'Outcome', 'Lead', 'Duplicate of lead', 'Reason', 'Existing lead company', 'Existing lead owner', 'Existing lead stage'],
};
// As the web names the built-in stages (messages stage_*); an admin's stages go by their names.
const stageWords: Record<'zh-CN' | 'en', Record<BuiltInStage, string>> = {
  'zh-CN': { new: '新线索', contacted: '初步沟通', qualified: '意向确认', quoted: '已报价', negotiation: '商务谈判', won: '赢单', lost: '输单' },
  en: { new: 'New', contacted: 'Contacted', qualified: 'Intent confirmed', quoted: 'Quoted', negotiation: 'Negotiating', won: 'Won', lost: 'Lost' },
};
const inPool = { 'zh-CN': '公海池', en: 'pool' };
const outcomeWords = {
  'zh-CN': { created: '已创建', duplicate: '重复，已跳过', merged: '重复，已合并', rejected: '已拒绝' },
  en: { created: 'created', duplicate: 'duplicate, skipped', merged: 'duplicate, merged', rejected: 'rejected' },
};

/** The per-row report as CSV (UTF-8 with BOM so Excel reads Chinese), streamed a page at a time. */
export async function* importReportCsv(db: Db, viewer: Viewer, id: string, lang: 'zh-CN' | 'en'): AsyncGenerator<string> {
  await mustFindJob(db, viewer, id);
  const named = new Map((await listStages(db)).map((s) => [s.key, s.name]));
  const stageWord = (stage: Stage) => named.get(stage) ?? stageWords[lang][stage as BuiltInStage] ?? stage;
  yield csvBom + csvLine(reportHeaders[lang]);
  let after = 0;
  for (;;) {
    // A duplicate names the lead it matched as it is now: company, owner (or the pool) and stage.
    const page = await db
      .select({ row: importRows, company: leads.company, stage: leads.stage, ownerId: leads.ownerId, ownerName: users.name })
      .from(importRows)
      .leftJoin(leads, eq(leads.id, importRows.duplicateOfId))
      .leftJoin(users, eq(users.id, leads.ownerId))
      .where(and(eq(importRows.jobId, id), gt(importRows.rowNo, after)))
      .orderBy(asc(importRows.rowNo))
      .limit(5_000);
    if (page.length === 0) return;
    let chunk = '';
    for (const { row: r, company, stage, ownerId, ownerName } of page) {
      const details = r.details as { reason?: string; errors?: Record<string, string[]> } | null;
      const reason = details?.reason ?? Object.entries(details?.errors ?? {}).map(([f, codes]) => `${f}: ${codes.join(' ')}`).join('; ');
      const existing = company === null ? [null, null, null] : [company, ownerId === null ? inPool[lang] : ownerName, stage === null ? null : stageWord(stage)];
      chunk += csvLine([r.rowNo, outcomeWords[lang][r.outcome], r.leadId, r.duplicateOfId, reason, ...existing]);
    }
    yield chunk;
    after = page.at(-1)!.row.rowNo;
  }
}

/** The import template: the headers in the chosen language, one example row, live custom fields as extra columns. */
export async function importTemplate(db: Db, lang: 'zh-CN' | 'en'): Promise<Uint8Array> {
  const fields = await liveCustomFields(db);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(lang === 'zh-CN' ? '线索' : 'Leads');
  sheet.addRow([...leadImportFields.map((f) => templateHeaders[lang][f]), ...fields.map((f) => f.label)]);
  sheet.addRow([...leadImportFields.map((f) => templateExample[lang][f]), ...fields.map(() => '')]);
  sheet.getRow(1).font = { bold: true };
  sheet.columns.forEach((c) => (c.width = 18));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}
