// npm run bench:claim [-- --reps 200 --observers 50 --rate 200 --sustained-seconds 30 ...]
// Claim storm, sustained open-loop claims and full-stack vs bare throughput against a real
// server process, on PostgreSQL (DATABASE_URL) or PGlite. Prints figures; never fails on targets.
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { bareOnPglite, bareOnPostgres, closedLoop, type BareTarget } from './bare-reference.ts';
import { benchAdminEmail, benchPassword, freshPostgres, type SeedPlan } from './bench-seed.ts';
import { HttpClient, type JsonResponse } from './http-client.ts';
import type { FromObservers, ToObservers } from './observers.worker.ts';
import type { ChildMessage } from './server.child.ts';
import { inParallel, mb, ms, now, percentile, shuffled, sleep } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    reps: { type: 'string', default: process.env.BENCH_REPS ?? '200' },
    observers: { type: 'string', default: process.env.BENCH_OBSERVERS ?? '50' },
    'storm-leads': { type: 'string', default: '100' },
    rate: { type: 'string', default: '200' },
    'sustained-seconds': { type: 'string', default: process.env.BENCH_SUSTAINED_SECONDS ?? '30' },
    concurrency: { type: 'string', default: '64' },
    'throughput-seconds': { type: 'string', default: '5' },
    'pool-size': { type: 'string', default: '20' },
    'no-jobs': { type: 'boolean', default: false },
    json: { type: 'string' },
    'server-prof': { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`npm run bench:claim -- [--reps 200] [--observers 50] [--storm-leads 100] [--rate 200] [--sustained-seconds 30]
  [--concurrency 64] [--throughput-seconds 5] [--pool-size 20 (bare reference's connections; the server's pool is 20)]
  [--no-jobs (server without pg-boss workers)] [--json results.json] [--server-prof dir (node --cpu-prof of the server)]
PostgreSQL when DATABASE_URL is set: its database is dropped and created afresh, so its name must contain "bench".
PGlite in a temporary folder otherwise. Env: BENCH_REPS, BENCH_OBSERVERS, BENCH_SUSTAINED_SECONDS.`);
  process.exit(0);
}
const R = Number(args.reps);
const O = Number(args.observers);
const STORM_LEADS = Number(args['storm-leads']);
const RATE = Number(args.rate);
const SUSTAINED_S = Number(args['sustained-seconds']);
const C = Number(args.concurrency);
const THROUGHPUT_S = Number(args['throughput-seconds']);
const POOL_SIZE = Number(args['pool-size']);
const databaseUrl = process.env.DATABASE_URL || undefined;

// ---------- results ----------
type Row = { phase: string; metric: string; value: string; target?: string; pass?: boolean; raw?: number };
const rows: Row[] = [];
function report(phase: string, metric: string, raw: number, value: string, target?: { text: string; ok: (v: number) => boolean }) {
  const row: Row = { phase, metric, value, raw, ...(target ? { target: target.text, pass: target.ok(raw) } : {}) };
  rows.push(row);
  console.log(`  ${metric.padEnd(44)} ${value.padStart(14)}${row.target ? `   target ${row.target}: ${row.pass ? 'PASS' : 'MISS'}` : ''}`);
}
const onPg = Boolean(databaseUrl);
// Targets are stated for PostgreSQL on this 2-core machine; PGlite figures print them for comparison.
const atMost = (limit: number, unit = 'ms') => ({ text: `≤ ${limit} ${unit}`, ok: (v: number) => v <= limit });
const atLeast = (limit: number, unit = '') => ({ text: `≥ ${limit}${unit}`, ok: (v: number) => v >= limit });
const zero = { text: '= 0', ok: (v: number) => v === 0 };
// RSS figures are bytes, printed in MB (MiB) by `mb`.
const rssBelow300 = { text: '< 300 MB', ok: (bytes: number) => bytes < 300 * 1024 * 1024 };

// ---------- server child ----------
const rss = { samples: [] as { at: number; rss: number; cpuMs: number }[] };
/** Server CPU time (user + system) spent between two instants, from the child's 200 ms reports. */
function serverCpuMs(from: number, to: number): number {
  const before = rss.samples.filter((s) => s.at <= from).at(-1);
  const after = rss.samples.find((s) => s.at >= to) ?? rss.samples.at(-1);
  return (after?.cpuMs ?? 0) - (before?.cpuMs ?? 0);
}
function peakRss(from: number, to = Infinity): number {
  return Math.max(0, ...rss.samples.filter((s) => s.at >= from && s.at <= to).map((s) => s.rss));
}

// The server under test runs with the V8 flags `npm start` gives it (its heap settings are part of what is measured).
const startScript = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')).scripts.start as string;
const serverNodeFlags = startScript.match(/--[a-z-]+=\S+/g) ?? [];

function forkChild(mode: 'seed' | 'serve', plan: SeedPlan, dataDir?: string): ChildProcess {
  return fork(path.join(import.meta.dirname, 'server.child.ts'), [], {
    env: {
      ...process.env,
      BENCH_MODE: mode,
      BENCH_SEED_PLAN: JSON.stringify(plan),
      BENCH_DATABASE_URL: databaseUrl ?? '',
      BENCH_DATA_DIR: dataDir ?? '',
      BENCH_JOBS: args['no-jobs'] ? '0' : '1',
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...serverNodeFlags, ...(mode === 'serve' && args['server-prof'] ? ['--cpu-prof', '--cpu-prof-dir', args['server-prof']] : [])],
  });
}

function childMessage<K extends ChildMessage['kind']>(child: ChildProcess, kind: K): Promise<Extract<ChildMessage, { kind: K }>> {
  return new Promise((resolve, reject) => {
    child.on('message', (m: ChildMessage) => {
      if (m.kind === 'rss') rss.samples.push({ at: m.at, rss: m.rss, cpuMs: m.cpuMs });
      else if (m.kind === kind) resolve(m as Extract<ChildMessage, { kind: K }>);
      else if (m.kind === 'failed') reject(new Error(`server child failed:\n${m.message}`));
    });
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
}

async function startChild(plan: SeedPlan, dataDir?: string) {
  const seeder = forkChild('seed', plan, dataDir);
  const { seed } = await childMessage(seeder, 'seeded');
  if (seeder.exitCode === null) await new Promise((r) => seeder.once('exit', r));
  const child = forkChild('serve', plan, dataDir);
  const ready = await childMessage(child, 'ready');
  return { child, seed, ...ready };
}

// ---------- observers ----------
class Observers {
  readonly #worker: Worker;
  readonly #listeners = new Set<(m: FromObservers) => void>();
  constructor(url: string, cookies: string[]) {
    this.#worker = new Worker(new URL('./observers.worker.ts', import.meta.url), { workerData: { url, cookies } });
    this.#worker.on('message', (m: FromObservers) => {
      for (const l of this.#listeners) l(m);
    });
    this.#worker.on('error', (err) => console.error('observer worker:', err));
  }
  next<K extends FromObservers['kind']>(kind: K, timeoutMs: number): Promise<Extract<FromObservers, { kind: K }> | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#listeners.delete(listener);
        resolve(undefined);
      }, timeoutMs);
      const listener = (m: FromObservers) => {
        if (m.kind !== kind) return;
        clearTimeout(timer);
        this.#listeners.delete(listener);
        resolve(m as Extract<FromObservers, { kind: K }>);
      };
      this.#listeners.add(listener);
    });
  }
  on(listener: (m: FromObservers) => void) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  send(m: ToObservers) {
    this.#worker.postMessage(m);
  }
  async collect() {
    const records = this.next('records', 30_000);
    this.send({ kind: 'collect' });
    return (await records)!;
  }
  async close() {
    this.send({ kind: 'close' });
    await Promise.race([new Promise((r) => this.#worker.once('exit', r)), sleep(2_000)]);
    await this.#worker.terminate();
  }
}

/** Per (observer, event) delivery, duplicates and misses against the expected seq of each lead. */
function deliveryOf(records: Extract<FromObservers, { kind: 'records' }>, expected: Map<number, number>, responseAt: Map<number, number>) {
  const fromCommit: number[] = [];
  const fromResponse: number[] = [];
  const lastPerLead = new Map<number, number>();
  const seen = new Set<string>();
  let duplicates = 0;
  let foreign = 0;
  for (let i = 0; i < records.seq.length; i++) {
    const key = `${records.observer[i]}:${records.seq[i]}`;
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    const leadId = records.leadId[i]!;
    if (expected.get(leadId) !== records.seq[i]) foreign++;
    fromCommit.push(records.recv[i]! - records.at[i]!);
    const responded = responseAt.get(leadId);
    if (responded !== undefined) fromResponse.push(records.recv[i]! - responded);
    lastPerLead.set(leadId, Math.max(lastPerLead.get(leadId) ?? 0, records.recv[i]! - records.at[i]!));
  }
  let missed = 0;
  for (let o = 0; o < O; o++) for (const seq of expected.values()) if (!seen.has(`${o}:${seq}`)) missed++;
  return { fromCommit, fromResponse, toAll: [...lastPerLead.values()], duplicates, missed, foreign };
}

// ---------- main ----------
async function main() {
  const started = new Date();
  const pgliteDir = databaseUrl ? undefined : mkdtempSync(path.join(os.tmpdir(), 'leadpool-bench-'));
  if (databaseUrl) await freshPostgres(databaseUrl);
  const sustainedCount = Math.round(RATE * SUSTAINED_S);
  const plan: SeedPlan = {
    reps: R,
    observers: O,
    leadBlocks: { warmup: R, storm: STORM_LEADS, sustained: sustainedCount, throughput: Math.max(10_000, THROUGHPUT_S * 6_000), bare: databaseUrl ? Math.max(20_000, THROUGHPUT_S * 12_000) : 0 },
  };
  console.log(`Leadpool claim bench — ${onPg ? 'PostgreSQL' : 'PGlite'}, ${R} reps, ${O} observers, ${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`Seeding and starting the server (node ${serverNodeFlags.join(' ')})...`);
  const server = await startChild(plan, pgliteDir);
  const http = new HttpClient(server.url);
  let t = now();
  const cookies = await inParallel(server.seed.repEmails, 8, (email) => http.signIn(email, benchPassword));
  const observerCookies = await inParallel(server.seed.observerEmails, 8, (email) => http.signIn(email, benchPassword));
  const adminCookie = await http.signIn(benchAdminEmail, benchPassword);
  console.log(`  signed in ${R + O + 1} users in ${((now() - t) / 1000).toFixed(1)} s; server RSS peak so far ${mb(peakRss(0))} (start-up, and scrypt password checks, 8 at a time)`);
  const repIds = await inParallel(cookies, 16, async (cookie) => (await http.request('GET', '/api/auth/get-session', { cookie })).body.user.id as string);

  const observers = new Observers(server.url, observerCookies);
  const connected = (await observers.next('connected', 60_000))!;
  console.log(`  ${connected.count}/${O} observer sockets connected${connected.failed.length ? ` (failed: ${connected.failed[0]})` : ''}`);

  // Warm-up: one claim per rep opens each rep's keep-alive connection and warms the JIT.
  await inParallel(server.seed.leads.warmup!, R, (id, i) => http.request('POST', `/api/leads/${id}/claim`, { cookie: cookies[i]! }));
  await sleep(500);

  // ---- 1. storm ----
  console.log(`\n1. storm: ${R} reps race for the same ${STORM_LEADS} pool leads`);
  const stormLeads = server.seed.leads.storm!;
  const wins = new Map<number, { count: number; userId: string; at: number }>();
  const takenSeen = new Set<number>();
  const stopFirstSeen = observers.on((m) => m.kind === 'firstSeen' && takenSeen.add(m.leadId));
  observers.send({ kind: 'watch', phase: 'storm', leadIds: stormLeads, announce: true });
  await sleep(100);
  const headBeforeStorm = (await http.request('GET', '/api/events/head', { cookie: adminCookie })).body.last as number;
  const allSeenStorm = observers.next('allSeen', 60_000);
  const stormStart = now();
  const stormLatency: number[] = [];
  let stormRequests = 0;
  const statusCounts: Record<string, number> = {};
  await Promise.all(
    cookies.map(async (cookie, rep) => {
      for (const id of shuffled(stormLeads)) {
        // The rep's pool screen drops a lead once the claim reaches it live.
        if (takenSeen.has(id)) continue;
        const sent = now();
        const res: JsonResponse = await http.request('POST', `/api/leads/${id}/claim`, { cookie });
        const at = now();
        stormRequests++;
        stormLatency.push(at - sent);
        const code = res.status === 200 ? '200' : `${res.status} ${res.body?.error?.code ?? ''}`;
        statusCounts[code] = (statusCounts[code] ?? 0) + 1;
        if (res.status === 200) {
          const prev = wins.get(id);
          wins.set(id, { count: (prev?.count ?? 0) + 1, userId: repIds[rep]!, at: prev?.at ?? at });
        }
        if (res.status === 200 || res.body?.error?.code === 'pool.already_claimed') takenSeen.add(id);
      }
    }),
  );
  const stormHttpDone = now();
  const allSeen = await allSeenStorm;
  stopFirstSeen();
  const stormRecords = await observers.collect();

  // The log and the table, as the admin reads them.
  const claimedEvents: { seq: number; leadId: number; actor: { id: string } }[] = [];
  for (let since = headBeforeStorm, more = true; more; ) {
    const res = await http.request('GET', `/api/events?since=${since}&limit=1000`, { cookie: adminCookie });
    if (res.status !== 200) throw new Error(`GET /api/events?since=${since}: ${res.status} ${JSON.stringify(res.body)}`);
    const page = res.body;
    claimedEvents.push(...page.events.filter((e: { type: string; leadId: number }) => e.type === 'lead.claimed' && stormLeads.includes(e.leadId)));
    since = page.last;
    more = page.more;
  }
  const owners = await inParallel(stormLeads, 16, async (id) => (await http.request('GET', `/api/leads/${id}`, { cookie: adminCookie })).body.lead.ownerId as string | null);
  let doubleClaims = 0;
  let tableMismatch = 0;
  const eventsPerLead = new Map<number, number>();
  for (const e of claimedEvents) eventsPerLead.set(e.leadId, (eventsPerLead.get(e.leadId) ?? 0) + 1);
  stormLeads.forEach((id, i) => {
    const win = wins.get(id);
    if ((win?.count ?? 0) > 1 || (eventsPerLead.get(id) ?? 0) > 1) doubleClaims++;
    if (!win || owners[i] !== win.userId) tableMismatch++;
  });
  const expectedStorm = new Map(claimedEvents.map((e) => [e.leadId, e.seq]));
  const stormDelivery = deliveryOf(stormRecords, expectedStorm, new Map([...wins].map(([id, w]) => [id, w.at])));
  console.log(`  ${stormRequests} claim requests: ${Object.entries(statusCounts).map(([k, v]) => `${k}×${v}`).join(', ')}`);
  report('storm', 'double claims (200s, log and table)', doubleClaims, String(doubleClaims), zero);
  report('storm', 'leads whose table owner ≠ the one 200', tableMismatch, String(tableMismatch), zero);
  report('storm', 'lead.claimed events in the log', claimedEvents.length, `${claimedEvents.length}/${STORM_LEADS}`);
  report('storm', 'missed events (all observers)', stormDelivery.missed, String(stormDelivery.missed), zero);
  report('storm', 'duplicated events (all observers)', stormDelivery.duplicates, String(stormDelivery.duplicates), zero);
  report('storm', 'events not matching the log', stormDelivery.foreign, String(stormDelivery.foreign), zero);
  const seenWithin = allSeen ? allSeen.at - stormStart : Number.POSITIVE_INFINITY;
  report('storm', 'start → every observer saw all claims', seenWithin, ms(seenWithin), onPg ? atMost(1500) : undefined);
  report('storm', 'start → last claim response', stormHttpDone - stormStart, ms(stormHttpDone - stormStart));
  report('storm', 'claim HTTP p50 / p99', percentile(stormLatency, 99), `${ms(percentile(stormLatency, 50))} / ${ms(percentile(stormLatency, 99))}`);
  report('storm', 'delivery p50 (at → observer)', percentile(stormDelivery.fromCommit, 50), ms(percentile(stormDelivery.fromCommit, 50)));
  report('storm', 'delivery p99 (at → observer)', percentile(stormDelivery.fromCommit, 99), ms(percentile(stormDelivery.fromCommit, 99)), onPg ? atMost(150) : undefined);
  report('storm', 'delivery p99 (at → last observer)', percentile(stormDelivery.toAll, 99), ms(percentile(stormDelivery.toAll, 99)));
  report('storm', 'delivery p50 / p99 (200 response → observer)', percentile(stormDelivery.fromResponse, 99), `${ms(percentile(stormDelivery.fromResponse, 50))} / ${ms(percentile(stormDelivery.fromResponse, 99))}`);
  report('storm', 'server RSS peak', peakRss(stormStart), mb(peakRss(stormStart)), onPg ? rssBelow300 : undefined);

  // ---- 2. sustained ----
  console.log(`\n2. sustained: ${RATE} distinct claims/s offered open-loop for ${SUSTAINED_S} s`);
  await sleep(500);
  const sustainedLeads = server.seed.leads.sustained!;
  observers.send({ kind: 'watch', phase: 'sustained', leadIds: sustainedLeads, announce: false });
  await sleep(100);
  // Resolved whenever the last observer completes; the wait below gives up 10 s after the last response.
  const allSeenSustained = observers.next('allSeen', 3_600_000);
  const sustainedLatency: number[] = [];
  const sustainedResponses = new Map<number, number>();
  const sustainedStatus: Record<string, number> = {};
  const inFlight: Promise<void>[] = [];
  const t0 = now() + 10;
  const intervalMs = 1000 / RATE;
  let maxLag = 0;
  for (let i = 0; i < sustainedLeads.length; ) {
    const due = Math.min(sustainedLeads.length, Math.floor((now() - t0) / intervalMs) + 1);
    for (; i < due; i++) {
      const scheduled = t0 + i * intervalMs;
      maxLag = Math.max(maxLag, now() - scheduled);
      const id = sustainedLeads[i]!;
      inFlight.push(
        http.request('POST', `/api/leads/${id}/claim`, { cookie: cookies[i % R]! }).then(
          (res) => {
            const at = now();
            // Open loop: latency from the scheduled send time, so a stalled server cannot hide its backlog.
            sustainedLatency.push(at - scheduled);
            sustainedStatus[res.status] = (sustainedStatus[res.status] ?? 0) + 1;
            if (res.status === 200) sustainedResponses.set(id, at);
          },
          (err: NodeJS.ErrnoException) => {
            const key = `error ${err.code ?? err.message}`;
            sustainedStatus[key] = (sustainedStatus[key] ?? 0) + 1;
          },
        ),
      );
    }
    await sleep(Math.max(1, t0 + i * intervalMs - now()));
  }
  await Promise.all(inFlight);
  const sustainedEnd = now();
  const sustainedSeen = await Promise.race([allSeenSustained, sleep(10_000).then(() => undefined)]);
  const sustainedRecords = await observers.collect();
  // The expected seq of each claimed lead is the one the observers agree on; misses and duplicates are counted against it.
  const sustainedExpected = new Map<number, number>();
  for (let k = 0; k < sustainedRecords.seq.length; k++) sustainedExpected.set(sustainedRecords.leadId[k]!, sustainedRecords.seq[k]!);
  for (const id of sustainedResponses.keys()) if (!sustainedExpected.has(id)) sustainedExpected.set(id, -1);
  const sustainedDelivery = deliveryOf(sustainedRecords, sustainedExpected, sustainedResponses);
  console.log(`  responses: ${Object.entries(sustainedStatus).map(([k, v]) => `${k}×${v}`).join(', ')}; send-loop lag max ${ms(maxLag)}${sustainedSeen ? '' : '; observers did not see every claim within 10 s'}`);
  report('sustained', 'claims answered / s', sustainedLatency.length / ((sustainedEnd - t0) / 1000), ((sustainedLatency.length / (sustainedEnd - t0)) * 1000).toFixed(0));
  report('sustained', 'claim HTTP p50', percentile(sustainedLatency, 50), ms(percentile(sustainedLatency, 50)));
  report('sustained', 'claim HTTP p99', percentile(sustainedLatency, 99), ms(percentile(sustainedLatency, 99)), onPg ? atMost(100) : undefined);
  report('sustained', 'missed / duplicated events', sustainedDelivery.missed + sustainedDelivery.duplicates, `${sustainedDelivery.missed} / ${sustainedDelivery.duplicates}`, zero);
  report('sustained', 'delivery p50 (at → observer)', percentile(sustainedDelivery.fromCommit, 50), ms(percentile(sustainedDelivery.fromCommit, 50)));
  report('sustained', 'delivery p99 (at → observer)', percentile(sustainedDelivery.fromCommit, 99), ms(percentile(sustainedDelivery.fromCommit, 99)), onPg ? atMost(150) : undefined);
  report('sustained', 'delivery p50 / p99 (200 response → observer)', percentile(sustainedDelivery.fromResponse, 99), `${ms(percentile(sustainedDelivery.fromResponse, 50))} / ${ms(percentile(sustainedDelivery.fromResponse, 99))}`);
  report('sustained', 'server RSS peak', peakRss(t0), mb(peakRss(t0)), onPg ? rssBelow300 : undefined);
  report('sustained', 'server RSS at end', rss.samples.at(-1)!.rss, mb(rss.samples.at(-1)!.rss), onPg ? rssBelow300 : undefined);

  // ---- 3. throughput ----
  console.log(`\n3. throughput: closed loop, concurrency ${C}, ${THROUGHPUT_S} s, no observers`);
  await observers.close();
  await sleep(1_000);
  const tpStart = now();
  const full = await closedLoop(server.seed.leads.throughput!, C, THROUGHPUT_S, async (id, worker) => {
    const res = await http.request('POST', `/api/leads/${id}/claim`, { cookie: cookies[worker % R]! });
    return res.status === 200;
  });
  const tpEnd = now();
  await sleep(300);
  const cpuPerClaim = serverCpuMs(tpStart, tpEnd) / full.won;
  let bare: BareTarget & { leadIds?: number[] };
  let bareIds: number[];
  let bareDir: string | undefined;
  let bareUsers: string[];
  if (databaseUrl) {
    bare = bareOnPostgres(databaseUrl, POOL_SIZE);
    bareIds = server.seed.leads.bare!;
    bareUsers = repIds;
  } else {
    // PGlite: the server holds its data dir, so the reference runs on an in-process PGlite of its own.
    bareDir = mkdtempSync(path.join(os.tmpdir(), 'leadpool-bench-bare-'));
    const local = await bareOnPglite(bareDir, Math.max(10_000, THROUGHPUT_S * 8_000));
    bare = local;
    bareIds = local.leadIds;
    bareUsers = [local.userId];
  }
  // Like the full stack, each caller claims as a rep of its own (their rows are updated by the holding trigger).
  const bareResult = await closedLoop(bareIds, C, THROUGHPUT_S, (id, worker) => bare.claim(bareUsers[worker % bareUsers.length]!, null, id));
  await bare.close();
  const ratio = full.perSecond / bareResult.perSecond;
  report('throughput', `full stack claims/s (C=${C})`, full.perSecond, `${full.perSecond.toFixed(0)}${full.exhausted ? ' (ran out of leads)' : ''}`, onPg ? atLeast(1000) : undefined);
  report('throughput', `bare UPDATE+INSERT tx/s (C=${C}${onPg ? `, pool ${POOL_SIZE}` : ', in-process'})`, bareResult.perSecond, `${bareResult.perSecond.toFixed(0)}${bareResult.exhausted ? ' (ran out of leads)' : ''}`);
  report('throughput', 'full / bare', ratio, `${ratio.toFixed(2)}×`, onPg ? atLeast(0.3, '×') : undefined);
  report('throughput', 'server CPU per full-stack claim', cpuPerClaim, ms(cpuPerClaim));
  if (full.failed || bareResult.failed) console.log(`  non-200 claims: full ${full.failed}, bare ${bareResult.failed}`);
  report('throughput', 'server RSS peak', peakRss(tpStart, tpEnd), mb(peakRss(tpStart, tpEnd)), onPg ? rssBelow300 : undefined);
  report('run', 'server RSS peak (whole run)', peakRss(0), mb(peakRss(0)), onPg ? rssBelow300 : undefined);
  report('run', 'server RSS at end', rss.samples.at(-1)!.rss, mb(rss.samples.at(-1)!.rss), onPg ? rssBelow300 : undefined);

  // ---- summary ----
  http.close();
  server.child.send({ kind: 'stop' });
  await Promise.race([new Promise((r) => server.child.once('exit', r)), sleep(10_000)]);
  if (server.child.exitCode === null) server.child.kill();
  if (pgliteDir) rmSync(pgliteDir, { recursive: true, force: true });
  if (bareDir) rmSync(bareDir, { recursive: true, force: true });

  console.log(`\nSummary (${onPg ? 'PostgreSQL' : 'PGlite'}; ${started.toISOString()}; ${os.cpus().length} cores; load average at end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; targets are for PostgreSQL)`);
  console.log(`| phase | metric | value | target | |\n|---|---|---|---|---|`);
  for (const r of rows) console.log(`| ${r.phase} | ${r.metric} | ${r.value} | ${r.target ?? ''} | ${r.target ? (r.pass ? 'PASS' : 'MISS') : ''} |`);
  if (args.json) writeFileSync(args.json, JSON.stringify({ engine: onPg ? 'postgres' : 'pglite', started, reps: R, observers: O, rows }, null, 2));
  process.exit(0);
}

await main().catch((err) => {
  console.error(err);
  process.exit(1);
});
