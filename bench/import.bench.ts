// npm run bench:import [-- --rows 100000 --existing 200000]
// A generated .xlsx of realistic Chinese leads (planted duplicates in varied spellings, invalid
// rows) imported through the real server and its pg-boss job on PostgreSQL, against a bare COPY
// of the same rows. Prints figures; never fails on targets.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { parse as parseCsv } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import postgres from 'postgres';
import { companyKey } from '../core/dedup/cleaning.ts';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { benchAdminEmail, benchPassword, freshPostgres, seedBench } from './bench-seed.ts';
import { HttpClient } from './http-client.ts';
import { generateLeads, planImport, type GeneratedLead } from './import-data.ts';
import type { ChildMessage } from './server.child.ts';
import { mb, now, sleep } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    existing: { type: 'string', default: '200000' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`npm run bench:import -- [--rows 100000] [--existing 200000]
PostgreSQL from DATABASE_URL (default postgres://postgres@127.0.0.1:5432/leadpool_bench_import): the database is
dropped and created afresh, so its name must contain "bench".`);
  process.exit(0);
}
const ROWS = Number(args.rows);
const EXISTING = Number(args.existing);
const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/leadpool_bench_import';

function line(metric: string, value: string, target?: { text: string; pass: boolean }) {
  console.log(`  ${metric.padEnd(52)} ${value.padStart(14)}${target ? `   target ${target.text}: ${target.pass ? 'PASS' : 'MISS'}` : ''}`);
}

class RolledBack extends Error {}

const csvCell = (v: string | number | null) => (v === null ? '' : `"${String(v).replaceAll('"', '""')}"`);

/** COPY rows into a table (the bench's seed, and the bare reference). */
async function copyInto(sql: postgres.Sql, table: string, columns: string[], rows: Iterable<(string | number | null)[]>): Promise<void> {
  const writable = await sql.unsafe(`copy ${table} (${columns.join(', ')}) from stdin with (format csv)`).writable();
  async function* lines() {
    let chunk = '';
    let n = 0;
    for (const row of rows) {
      chunk += `${row.map(csvCell).join(',')}\n`;
      if (++n % 2000 === 0) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk) yield chunk;
  }
  await pipeline(Readable.from(lines()), writable);
}

// The server under test runs with the V8 flags `npm start` gives it.
const startScript = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')).scripts.start as string;
const serverNodeFlags = startScript.match(/--[a-z-]+=\S+/g) ?? [];
const rssSamples: { at: number; rss: number; cpuMs: number }[] = [];
/** CPU seconds the whole machine has been busy (all cores, all processes: the server, PostgreSQL, this bench). */
function machineCpuSeconds(): number {
  const ticks = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // idle and iowait are not busy; the kernel counts in 1/100 s.
  return (ticks.reduce((a, b) => a + b, 0) - ticks[3]! - ticks[4]!) / 100;
}

function startServerChild(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(path.join(import.meta.dirname, 'server.child.ts'), [], {
    env: { ...process.env, BENCH_MODE: 'serve', BENCH_SEED_PLAN: '{}', BENCH_DATABASE_URL: databaseUrl, BENCH_DATA_DIR: '', BENCH_JOBS: '1' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: serverNodeFlags,
  });
  return new Promise((resolve, reject) => {
    child.on('message', (m: ChildMessage) => {
      if (m.kind === 'rss') rssSamples.push({ at: m.at, rss: m.rss, cpuMs: m.cpuMs });
      else if (m.kind === 'ready') resolve({ child, url: m.url });
      else if (m.kind === 'failed') reject(new Error(m.message));
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

console.log(`bench:import — ${ROWS} rows against ${EXISTING} existing leads, PostgreSQL ${new URL(databaseUrl).pathname.slice(1)}`);
const tmp = mkdtempSync(path.join(os.tmpdir(), 'leadpool-bench-import-'));
try {
  // ---------- data ----------
  let t = now();
  const generator = generateLeads(Number.MAX_SAFE_INTEGER);
  const existing: GeneratedLead[] = Array.from({ length: EXISTING }, () => generator.next().value as GeneratedLead);
  const plan = planImport(existing, generator, ROWS);
  const file = path.join(tmp, 'leads.xlsx');
  const writer = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  const sheet = writer.addWorksheet('线索');
  for (const row of plan.rows) sheet.addRow(row).commit();
  sheet.commit();
  await writer.commit();
  line('generated', `${((now() - t) / 1000).toFixed(1)} s`);
  line('import file', `${mb(statSync(file).size)} .xlsx`);
  line('planted duplicates / invalid rows', `${plan.planted.size} / ${plan.invalid.size}`);

  // ---------- database ----------
  t = now();
  await freshPostgres(databaseUrl);
  const database = await openDatabase({ url: databaseUrl });
  await migrateDatabase(database);
  await seedBench(database.db, { reps: 0, observers: 0, leadBlocks: {} });
  await database.close();
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  await copyInto(
    sql,
    'leads',
    ['company', 'company_key', 'contact_name', 'title', 'mobile', 'phone', 'email', 'province', 'city', 'industry', 'source_channel'],
    existing.map((l) => [l.company, companyKey(l.company), l.contactName, l.title, l.mobileE164, l.phoneE164, l.email, l.province, l.city, l.industry, 'exhibition']),
  );
  await sql`vacuum analyze leads`;
  line(`seeded ${EXISTING} existing leads`, `${((now() - t) / 1000).toFixed(1)} s`);

  // ---------- the import through the server ----------
  const { child, url } = await startServerChild();
  const http = new HttpClient(url);
  const cookie = await http.signIn(benchAdminEmail, benchPassword);
  const bytes = readFileSync(file);
  const cpuBefore = machineCpuSeconds();
  const startedAt = now();
  const form = new FormData();
  form.append('file', new Blob([bytes]), 'leads.xlsx');
  const uploadRes = await fetch(`${url}/api/imports`, { method: 'POST', headers: { cookie, origin: url }, body: form });
  const uploaded = (await uploadRes.json()) as { job: { id: string }; suggestedMapping: Record<string, string> };
  if (uploadRes.status !== 201) throw new Error(`upload failed: ${uploadRes.status} ${JSON.stringify(uploaded)}`);
  const uploadedAt = now();
  const cpuUploaded = machineCpuSeconds();
  const start = await http.request('POST', `/api/imports/${uploaded.job.id}/start`, { cookie, json: { mapping: uploaded.suggestedMapping, onDuplicate: 'skip' } });
  if (start.status !== 202) throw new Error(`start failed: ${start.status} ${JSON.stringify(start.body)}`);
  let job: { status: string; createdCount: number; duplicateCount: number; rejectedCount: number; startedAt: string | null; finishedAt: string | null };
  // A job the queue gave up on (its handler threw on every retry) stays "running": give up too.
  const deadline = now() + 15 * 60_000;
  for (;;) {
    job = (await http.request('GET', `/api/imports/${uploaded.job.id}`, { cookie })).body.job;
    if (job.status === 'done' || job.status === 'failed') break;
    if (now() > deadline) throw new Error(`the import did not finish in 15 minutes (status ${job.status})`);
    await sleep(100);
  }
  const doneAt = now();
  const cpuDone = machineCpuSeconds();
  const serverCpuAt = (at: number) => (rssSamples.filter((s) => s.at <= at).at(-1)?.cpuMs ?? 0) / 1000;
  const seconds = (doneAt - startedAt) / 1000;
  const peakBetween = (from: number, to: number) => Math.max(...rssSamples.filter((s) => s.at >= from && s.at <= to).map((s) => s.rss));
  const peak = peakBetween(startedAt, doneAt + 200);
  const jobSeconds = (Date.parse(job.finishedAt!) - Date.parse(job.startedAt!)) / 1000;
  const rowsPerSecond = ROWS / seconds;
  line('job status', job.status);
  line('created / duplicate / rejected', `${job.createdCount} / ${job.duplicateCount} / ${job.rejectedCount}`);
  line('upload (the whole file read and staged)', `${((uploadedAt - startedAt) / 1000).toFixed(1)} s`);
  line('job (started → done, the server\'s clock)', `${jobSeconds.toFixed(1)} s`);
  line('rows/s of the job alone', (ROWS / jobSeconds).toFixed(0));
  line('upload → job done', `${seconds.toFixed(1)} s`);
  line('rows/s (upload → job done)', rowsPerSecond.toFixed(0), { text: '≥ 10000', pass: rowsPerSecond >= 10_000 });
  line('server peak RSS during the import', mb(peak), { text: '< 400 MB', pass: peak < 400 * 1024 * 1024 });
  line('  server RSS before the upload', mb(rssSamples.filter((s) => s.at < startedAt).at(-1)?.rss ?? 0));
  line('  of which during the upload / during the job', `${mb(peakBetween(startedAt, uploadedAt))} / ${mb(peakBetween(uploadedAt, doneAt + 200))}`);
  // Where the time goes: this machine has 2 cores, so a phase of s seconds has at most 2s CPU seconds.
  line('CPU s, upload: server / whole machine', `${(serverCpuAt(uploadedAt) - serverCpuAt(startedAt)).toFixed(1)} / ${(cpuUploaded - cpuBefore).toFixed(1)}`);
  line('CPU s, job: server / whole machine', `${(serverCpuAt(doneAt) - serverCpuAt(uploadedAt)).toFixed(1)} / ${(cpuDone - cpuUploaded).toFixed(1)}`);

  // ---------- precision / recall from the report ----------
  const reportRes = await fetch(`${url}/api/imports/${uploaded.job.id}/report?lang=en`, { headers: { cookie } });
  const report = (parseCsv(await reportRes.text(), { bom: true }) as string[][]).slice(1);
  const flagged = new Set(report.filter((r) => r[1]!.startsWith('duplicate')).map((r) => Number(r[0])));
  const rejected = new Set(report.filter((r) => r[1] === 'rejected').map((r) => Number(r[0])));
  const truePositives = [...flagged].filter((n) => plan.planted.has(n)).length;
  const precision = truePositives / flagged.size;
  const recall = truePositives / plan.planted.size;
  line('duplicate precision', precision.toFixed(4), { text: '≥ 0.99', pass: precision >= 0.99 });
  line('duplicate recall', recall.toFixed(4), { text: '≥ 0.95', pass: recall >= 0.95 });
  line('invalid rows rejected', `${[...plan.invalid].filter((n) => rejected.has(n)).length} of ${plan.invalid.size} (${rejected.size} rejected in all)`);
  child.send({ kind: 'stop' });
  await new Promise((r) => child.once('exit', r));

  // ---------- the bare reference ----------
  await sql`create table bench_import_bare (company text, contact_name text, title text, mobile text, phone text, email text, province text, city text, industry text, source text)`;
  const bareStart = now();
  await copyInto(sql, 'bench_import_bare', ['company', 'contact_name', 'title', 'mobile', 'phone', 'email', 'province', 'city', 'industry', 'source'], plan.rows.slice(1));
  const bareSeconds = (now() - bareStart) / 1000;
  line('bare COPY of the same rows into a plain table', `${(ROWS / bareSeconds).toFixed(0)} rows/s`);
  line('full path / bare COPY', `${((rowsPerSecond / (ROWS / bareSeconds)) * 100).toFixed(1)} %`);

  // The database's floor for this data model: the leads the import created inserted again by bare
  // SQL (no file, no cleaning, no duplicate check) into the real leads table with all its indexes,
  // and one lead.created event each, in the import's batches; rolled back.
  const createdIds = (await sql<{ id: string }[]>`select id from leads where created_by is not null order by id`).map((r) => r.id);
  const floorStart = now();
  await sql
    .begin(async (tx) => {
      for (let i = 0; i < createdIds.length; i += 2_000) {
        const batch = createdIds.slice(i, i + 2_000);
        await tx`with inserted as (
            insert into leads (company, company_key, contact_name, title, mobile, phone, email, province, city, industry, source_channel, custom, created_by)
            select company, company_key || '~', contact_name, title, mobile, phone, email, province, city, industry, source_channel, custom, created_by
            from leads where id between ${batch[0]!} and ${batch.at(-1)!} and created_by is not null returning *)
          insert into lead_events (lead_id, type, actor_type, actor_id, actor_name, data, at)
          select id, 'lead.created', 'user', created_by, 'bench', jsonb_build_object('lead', to_jsonb(inserted)), clock_timestamp() from inserted`;
      }
      throw new RolledBack();
    })
    .catch((err) => {
      if (!(err instanceof RolledBack)) throw err;
    });
  const floorRate = createdIds.length / ((now() - floorStart) / 1000);
  line(`bare INSERT of the ${createdIds.length} created leads + events`, `${floorRate.toFixed(0)} rows/s`);
  line("the job's created leads/s against it", `${((job.createdCount / jobSeconds / floorRate) * 100).toFixed(0)} %`);
  await sql.end();
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
