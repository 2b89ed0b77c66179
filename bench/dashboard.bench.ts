// npm run bench:dashboard [-- --requests 300 --warmup 20 --concurrency 4 --changes 50 --background-rate 50 --reseed]
// The dashboards on PostgreSQL with 1,000,000 leads and 5,000,000 calls: each endpoint's latency
// per role, sequential and with concurrent clients, against the same aggregate SQL run bare; then
// how fast a change reaches an open dashboard, quiet and under background load. Prints figures.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import postgres from 'postgres';
import { io, type Socket } from 'socket.io-client';
import { exhibitionBoardSql, sourcesSql } from '../core/metrics/channels.usecases.ts';
import { funnelSql } from '../core/metrics/funnel.usecases.ts';
import { viewerHealth } from '../core/metrics/pipeline-health.usecases.ts';
import { leaderboardSql, repActivity } from '../core/metrics/rep-activity.usecases.ts';
import type { MetricScope } from '../core/metrics/scope.ts';
import { listStages } from '../core/pipeline/pipeline-config.usecases.ts';
import { getSettings, organisationDay } from '../core/settings/settings.repository.ts';
import type { Viewer } from '../core/viewer.ts';
import { openDatabase, type Db } from '../db/client.ts';
import type { LeadEventType } from '../db/schema/index.ts';
import { benchPassword } from './bench-seed.ts';
import { dashboardDatabaseUrl, defaultPlan, seedDashboard } from './dashboard-seed.ts';
import { HttpClient } from './http-client.ts';
import type { ChildMessage } from './server.child.ts';
import { countedEvents, pipelineEvents } from '../web/src/lib/dashboard/dashboard-events.ts';
import { HEALTH_REFRESH_MS, REFRESH_MS, refreshThrottle, type RefreshThrottle } from '../web/src/lib/dashboard/refresh-throttle.ts';
import { inParallel, mb, ms, now, percentile, sleep } from './stats.ts';

const { values: args } = parseArgs({
  options: {
    requests: { type: 'string', default: '300' },
    warmup: { type: 'string', default: '20' },
    concurrency: { type: 'string', default: '4' },
    changes: { type: 'string', default: '50' },
    'background-rate': { type: 'string', default: '50' },
    leads: { type: 'string', default: String(defaultPlan.leads) },
    calls: { type: 'string', default: String(defaultPlan.calls) },
    only: { type: 'string' },
    reseed: { type: 'boolean', default: false },
    json: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(`npm run bench:dashboard -- [--requests 300] [--warmup 20] [--concurrency 4] [--changes 50] [--background-rate 50 (calls logged/s)]
  [--leads 1000000] [--calls 5000000] [--reseed] [--only funnel,leaderboard (endpoint names)] [--json results.json]
PostgreSQL at BENCH_DATABASE_URL (default ${dashboardDatabaseUrl}): created and seeded if missing, reused when seeded (--reseed: afresh).`);
  process.exit(0);
}
const N = Number(args.requests);
const WARMUP = Number(args.warmup);
const C = Number(args.concurrency);
const CHANGES = Number(args.changes);
const BACKGROUND_RATE = Number(args['background-rate']);
const url = process.env.BENCH_DATABASE_URL || dashboardDatabaseUrl;
const plan = { ...defaultPlan, leads: Number(args.leads), calls: Number(args.calls) };

// ---------- the endpoints (adjust here) ----------
type Role = 'admin' | 'manager';
interface Period {
  from: string;
  to: string;
}
/** What a bare run needs to build an endpoint's SQL exactly as the use case does. */
interface BareContext {
  db: Db;
  scope: MetricScope;
  viewer: Viewer;
  timeZone: string;
  won: string[];
  day: Awaited<ReturnType<typeof organisationDay>>;
}
interface Endpoint {
  name: string;
  path: (p: Period) => string;
  period: (today: string) => Period;
  /** The aggregate SQL an exported builder gives; or the statements the use case runs, recorded (no builder exported). */
  bare: { builder: (ctx: BareContext, p: Period) => SQL } | { recorded: (ctx: BareContext, p: Period) => Promise<unknown> };
  /** p95 target in ms (and ≤ 2× bare), for PostgreSQL on this 2-core machine. */
  target?: number;
  /** Fewer requests for the heavy year-long variants. */
  share?: number;
}
const daysBefore = (today: string, n: number) => new Date(Date.parse(today) - n * 86_400_000).toISOString().slice(0, 10);
const last30 = (today: string) => ({ from: daysBefore(today, 29), to: today });
const last365 = (today: string) => ({ from: daysBefore(today, 364), to: today });
const week = (today: string) => ({ from: daysBefore(today, 6), to: today });
const q = (p: Period) => `from=${p.from}&to=${p.to}`;
const funnelFilter = (ctx: BareContext) => ({ ...ctx.scope, exhibitionId: null, source: null });

const endpoints: Endpoint[] = [
  { name: 'leaderboard', path: () => '/api/dashboard/leaderboard?metric=calls', period: week, bare: { builder: (ctx) => leaderboardSql(ctx.scope.teamId, 'calls', new Date()) }, target: 25 },
  { name: 'funnel 30 d', path: (p) => `/api/dashboard/funnel?${q(p)}`, period: last30, bare: { builder: (ctx, p) => funnelSql(funnelFilter(ctx), p, ctx.timeZone) }, target: 60 },
  { name: 'funnel 365 d', path: (p) => `/api/dashboard/funnel?${q(p)}`, period: last365, bare: { builder: (ctx, p) => funnelSql(funnelFilter(ctx), p, ctx.timeZone) }, share: 1 / 3 },
  { name: 'exhibitions 30 d', path: (p) => `/api/dashboard/exhibitions?${q(p)}`, period: last30, bare: { builder: (ctx, p) => exhibitionBoardSql(ctx.scope, p, ctx.won) }, target: 120 },
  { name: 'exhibitions 365 d', path: (p) => `/api/dashboard/exhibitions?${q(p)}`, period: last365, bare: { builder: (ctx, p) => exhibitionBoardSql(ctx.scope, p, ctx.won) }, share: 1 / 3 },
  { name: 'sources 30 d', path: (p) => `/api/dashboard/sources?${q(p)}`, period: last30, bare: { builder: (ctx, p) => sourcesSql(ctx.scope, p, ctx.timeZone, ctx.won) } },
  { name: 'sources 365 d', path: (p) => `/api/dashboard/sources?${q(p)}`, period: last365, bare: { builder: (ctx, p) => sourcesSql(ctx.scope, p, ctx.timeZone, ctx.won) }, share: 1 / 3 },
  { name: 'health 30 d', path: (p) => `/api/dashboard/health?${q(p)}`, period: last30, bare: { recorded: (ctx, p) => viewerHealth(ctx.db, ctx.viewer, new Date(), p) } },
  { name: 'activity 7 d', path: (p) => `/api/dashboard/activity?${q(p)}&grain=day`, period: week, bare: { recorded: (ctx, p) => repActivity(ctx.db, ctx.viewer, { ...p, grain: 'day' }) } },
  { name: 'activity 30 d', path: (p) => `/api/dashboard/activity?${q(p)}&grain=day`, period: last30, bare: { recorded: (ctx, p) => repActivity(ctx.db, ctx.viewer, { ...p, grain: 'day' }) } },
];
const roles: Role[] = ['admin', 'manager'];

// What the web's dashboard page refetches on: its leaderboard and activity table; its funnel and channel tables; its health.
const counted = countedEvents;
const moving = pipelineEvents;
// The web's LiveSync hands events to the screens in batches of 80 ms; each part of the page then refetches
// at once after a quiet spell, at most once per REFRESH_MS (the health: HEALTH_REFRESH_MS), as
// web/src/lib/dashboard/live-refresh.ts and insights.svelte.ts drive it.
const BATCH_MS = 80;

// ---------- server child (bench/server.child.ts), its RSS ----------
const rss: { at: number; rss: number }[] = [];
const peakRss = (from: number, to = Infinity) => Math.max(0, ...rss.filter((s) => s.at >= from && s.at <= to).map((s) => s.rss));
const startScript = JSON.parse(readFileSync(path.join(import.meta.dirname, '..', 'package.json'), 'utf8')).scripts.start as string;
const serverNodeFlags = startScript.match(/--[a-z-]+=\S+/g) ?? [];

function startServer(): Promise<{ child: ChildProcess; url: string }> {
  const child = fork(path.join(import.meta.dirname, 'server.child.ts'), [], {
    env: { ...process.env, BENCH_MODE: 'serve', BENCH_DATABASE_URL: url, BENCH_JOBS: '0' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: serverNodeFlags,
  });
  return new Promise((resolve, reject) => {
    child.on('message', (m: ChildMessage) => {
      if (m.kind === 'rss') rss.push({ at: m.at, rss: m.rss });
      else if (m.kind === 'ready') resolve({ child, url: m.url });
      else if (m.kind === 'failed') reject(new Error(`server child failed:\n${m.message}`));
    });
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
}

// ---------- timing ----------
interface Timing {
  p50: number;
  p95: number;
  p99: number;
  perSecond: number;
}
const timingOf = (samples: number[], elapsedMs: number): Timing => ({
  p50: percentile(samples, 50),
  p95: percentile(samples, 95),
  p99: percentile(samples, 99),
  perSecond: (samples.length / elapsedMs) * 1000,
});

/** `count` runs of `task` by `clients` callers at once, after `warmup` runs; latency of each. */
async function timed(count: number, clients: number, warmup: number, task: () => Promise<void>): Promise<Timing> {
  for (let i = 0; i < warmup; i++) await task();
  const samples: number[] = [];
  let left = count;
  const started = now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (left-- > 0) {
        const t = now();
        await task();
        samples.push(now() - t);
      }
    }),
  );
  return timingOf(samples, now() - started);
}

// ---------- results ----------
interface EndpointRow {
  endpoint: string;
  role: Role;
  requests: number;
  rows: number;
  sequential: Timing;
  concurrent: Timing;
  bare: Timing;
  bareConcurrent: Timing;
  bareSource: 'builder' | 'recorded';
  ratio: number;
  target?: number;
  pass?: boolean;
}
const endpointRows: EndpointRow[] = [];
type Line = { section: string; metric: string; value: string; target?: string; pass?: boolean };
const lines: Line[] = [];
function report(section: string, metric: string, value: string, target?: { text: string; ok: boolean }) {
  lines.push({ section, metric, value, ...(target ? { target: target.text, pass: target.ok } : {}) });
  console.log(`  ${metric.padEnd(60)} ${value.padStart(16)}${target ? `   target ${target.text}: ${target.ok ? 'PASS' : 'MISS'}` : ''}`);
}

// ---------- bare SQL ----------
const dialect = new PgDialect({ casing: 'snake_case' });
type Statement = { sql: string; params: unknown[] };

/** The statements a use case sends through `db.execute`, recorded as it runs once against the real database. */
async function recordStatements(db: Db, run: (db: Db) => Promise<unknown>): Promise<Statement[]> {
  const statements: Statement[] = [];
  const recording = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === 'execute')
        return (query: SQL) => {
          statements.push(dialect.sqlToQuery(query));
          return target.execute(query);
        };
      return Reflect.get(target, prop, receiver);
    },
  });
  await run(recording);
  return statements;
}

// ---------- the simulated dashboard page (as the web behaves) ----------
interface DashboardView {
  at: number;
  calls: Map<string, number>;
  stageAdvances: Map<string, number>;
}

/** One part of the page as web/src/lib/dashboard/live-refresh.ts drives it, with the web's own throttle. */
class Refresher {
  fetches = 0;
  failed = 0;
  readonly #types: ReadonlySet<LeadEventType>;
  readonly #throttle: RefreshThrottle;
  readonly #refresh: () => Promise<void>;
  constructor(types: ReadonlySet<LeadEventType>, refresh: () => Promise<void>, ms = REFRESH_MS) {
    this.#types = types;
    this.#refresh = refresh;
    // A refetch cut off (the server stopping at the end) is a failed fetch, not a crash.
    this.#throttle = refreshThrottle(() => this.load().catch(() => void this.failed++), ms);
  }
  async load() {
    this.fetches++;
    await this.#refresh();
  }
  apply(types: LeadEventType[]) {
    if (types.some((t) => this.#types.has(t))) this.#throttle.ask();
  }
  stop() {
    this.#throttle.stop();
  }
}

/**
 * A dashboard tab of a manager or an admin: its socket hears the log, batched as LiveSync batches it;
 * the leaderboard with the activity table, and the funnel with health and the channel tables, refetch
 * as the web's page does. The view keeps what the first part last showed.
 */
class SimDashboard {
  readonly socket: Socket;
  view: DashboardView = { at: 0, calls: new Map(), stageAdvances: new Map() };
  events = 0;
  countedEvents = 0;
  failedFetches = 0;
  readonly board: Refresher;
  readonly flow: Refresher;
  readonly health: Refresher;
  #batch: LeadEventType[] = [];
  #batchTimer: ReturnType<typeof setTimeout> | undefined;
  #waiters = new Set<() => void>();
  readonly #http: HttpClient;
  readonly #cookie: string;
  readonly #today: string;

  constructor(serverUrl: string, http: HttpClient, cookie: string, today: string) {
    this.#http = http;
    this.#cookie = cookie;
    this.#today = today;
    this.board = new Refresher(counted, () => this.#loadBoard());
    this.flow = new Refresher(moving, () => this.#loadParts(['funnel', 'sources', 'exhibitions']));
    this.health = new Refresher(moving, () => this.#loadParts(['health']), HEALTH_REFRESH_MS);
    this.socket = io(serverUrl, { transports: ['websocket'], extraHeaders: { cookie }, forceNew: true });
    this.socket.on('event', (event: { type: LeadEventType }) => {
      this.events++;
      if (counted.has(event.type)) this.countedEvents++;
      this.#batch.push(event.type);
      this.#batchTimer ??= setTimeout(() => {
        const types = this.#batch;
        this.#batch = [];
        this.#batchTimer = undefined;
        this.board.apply(types);
        this.flow.apply(types);
        this.health.apply(types);
      }, BATCH_MS);
    });
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.connected) return resolve();
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', reject);
    });
  }

  #get(path: string) {
    return this.#http.request('GET', path, { cookie: this.#cookie });
  }

  async #loadBoard(): Promise<void> {
    const [board, activity] = await Promise.all([this.#get('/api/dashboard/leaderboard?metric=calls'), this.#get(`/api/dashboard/activity?${q(week(this.#today))}&grain=day`)]);
    const at = now();
    if (board.status !== 200 || activity.status !== 200) {
      this.failedFetches++;
      return;
    }
    const calls = new Map<string, number>(board.body.leaderboard.rows.map((r: { userId: string; calls: number }) => [r.userId, r.calls]));
    const stageAdvances = new Map<string, number>(
      activity.body.items.filter((r: { period: string }) => r.period === this.#today).map((r: { userId: string; stageAdvances: number }) => [r.userId, r.stageAdvances]),
    );
    this.view = { at, calls, stageAdvances };
    for (const w of this.#waiters) w();
  }

  async #loadParts(parts: string[]): Promise<void> {
    const period = q(last30(this.#today));
    const answers = await Promise.all(parts.map((part) => this.#get(`/api/dashboard/${part}?${period}`)));
    if (answers.some((a) => a.status !== 200)) this.failedFetches++;
  }

  load() {
    return Promise.all([this.board.load(), this.flow.load(), this.health.load()]);
  }

  /** Resolves with the time the first view satisfying `ok` arrived (NaN after `timeoutMs`). */
  until(ok: (view: DashboardView) => boolean, timeoutMs: number): Promise<number> {
    if (ok(this.view)) return Promise.resolve(this.view.at);
    return new Promise((resolve) => {
      const check = () => {
        if (!ok(this.view)) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(this.view.at);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        resolve(Number.NaN);
      }, timeoutMs);
      this.#waiters.add(check);
    });
  }

  close() {
    clearTimeout(this.#batchTimer);
    this.board.stop();
    this.flow.stop();
    this.health.stop();
    this.socket.close();
  }
}

// ---------- main ----------
async function main() {
  const started = new Date();
  console.log(`Leadpool dashboard bench — PostgreSQL ${url}, ${os.cpus().length} cores, node ${process.version}, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  console.log(`Data set: ${plan.leads.toLocaleString()} leads, ${plan.calls.toLocaleString()} calls`);
  const seed = await seedDashboard(url, plan, { reseed: args.reseed, log: (l) => console.log(l) });
  const pg = postgres(url, { max: C, onnotice: () => {} });
  const database = await openDatabase({ url, poolSize: C });

  console.log(`Starting the server (node ${serverNodeFlags.join(' ')}, no jobs)...`);
  const server = await startServer();
  const http = new HttpClient(server.url);
  const [adminCookie, managerCookie] = await Promise.all([http.signIn(seed.adminEmail, benchPassword), http.signIn(seed.managerEmails[0]!, benchPassword)]);
  const session = async (cookie: string) => (await http.request('GET', '/api/auth/get-session', { cookie })).body.user as { id: string; name: string; role: Role; teamId: string | null };
  const people = { admin: await session(adminCookie), manager: await session(managerCookie) };
  const cookies: Record<Role, string> = { admin: adminCookie, manager: managerCookie };
  const startedServing = now();

  const settings = await getSettings(database.db);
  const won = (await listStages(database.db)).filter((s) => s.kind === 'won').map((s) => s.key);
  const day = await organisationDay(database.db, new Date());
  const today = day.day;

  // ---- 1. endpoints ----
  const selected = args.only ? endpoints.filter((e) => args.only!.split(',').some((o) => e.name.startsWith(o.trim()))) : endpoints;
  console.log(`\n1. endpoints: ${N} requests each (after ${WARMUP} warm-up) sequentially, then ${N} by ${C} concurrent clients; bare SQL the same`);
  console.log(`  ${'endpoint'.padEnd(18)} ${'role'.padEnd(8)} ${'rows'.padStart(5)}  ${'seq p50/p95/p99'.padStart(22)}  ${`C=${C} p50/p95/p99`.padStart(22)}  ${'bare p50/p95'.padStart(16)}  ratio`);
  for (const endpoint of selected) {
    for (const role of roles) {
      const person = people[role];
      const viewer: Viewer = { id: person.id, name: person.name, role, teamId: person.teamId, pools: [] };
      const ctx: BareContext = { db: database.db, scope: { teamId: role === 'admin' ? null : person.teamId, userId: null }, viewer, timeZone: settings.timeZone, won, day };
      const period = endpoint.period(today);
      const count = Math.max(20, Math.round(N * (endpoint.share ?? 1)));
      const pathname = endpoint.path(period);
      let rows = 0;
      const call = async () => {
        const res = await http.request('GET', pathname, { cookie: cookies[role] });
        if (res.status !== 200) throw new Error(`GET ${pathname} as ${role}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        const body = res.body as Record<string, unknown>;
        const payload = body.items ?? (body.leaderboard as { rows: unknown[] } | undefined)?.rows ?? (body.funnel as { stages: unknown[] } | undefined)?.stages ?? body.health;
        rows = Array.isArray(payload) ? payload.length : 1;
      };
      const sequential = await timed(count, 1, WARMUP, call);
      const concurrent = await timed(count, C, 0, call);
      const statements: Statement[] = 'builder' in endpoint.bare ? [dialect.sqlToQuery(endpoint.bare.builder(ctx, period))] : await recordStatements(database.db, (db) => (endpoint.bare as { recorded: (c: BareContext, p: Period) => Promise<unknown> }).recorded({ ...ctx, db }, period));
      // Unprepared, as Drizzle's execute sends them; several statements of one use case run at once, as it runs them.
      const runBare = async () => {
        await Promise.all(statements.map((s) => pg.unsafe(s.sql, s.params as postgres.ParameterOrJSON<never>[])));
      };
      const bare = await timed(count, 1, WARMUP, runBare);
      const bareConcurrent = await timed(count, C, 0, runBare);
      const ratio = sequential.p95 / bare.p95;
      const pass = endpoint.target === undefined ? undefined : sequential.p95 <= endpoint.target && ratio <= 2;
      endpointRows.push({ endpoint: endpoint.name, role, requests: count, rows, sequential, concurrent, bare, bareConcurrent, bareSource: 'builder' in endpoint.bare ? 'builder' : 'recorded', ratio, ...(endpoint.target ? { target: endpoint.target, pass } : {}) });
      const three = (t: Timing) => `${ms(t.p50)} / ${ms(t.p95)} / ${ms(t.p99)}`;
      console.log(
        `  ${endpoint.name.padEnd(18)} ${role.padEnd(8)} ${String(rows).padStart(5)}  ${three(sequential).padStart(22)}  ${three(concurrent).padStart(22)}  ${`${ms(bare.p50)} / ${ms(bare.p95)}`.padStart(16)}  ${ratio.toFixed(2)}×${'recorded' in endpoint.bare ? ' (recorded SQL)' : ''}${endpoint.target ? `   target p95 ≤ ${endpoint.target} ms, ≤ 2× bare: ${pass ? 'PASS' : 'MISS'}` : ''}`,
      );
    }
  }
  const endpointsEnd = now();

  // ---- 2. live updates ----
  console.log(`\n2. live updates: ${CHANGES} changes by a rep of the manager's team (a logged call, a stage moved), seen on the manager's and the admin's dashboards`);
  const team = people.manager.teamId!;
  const reps = await pg<{ id: string; email: string; team_id: string }[]>`select id, email, team_id from users where role = 'rep' order by email`;
  const measured = reps.find((r) => r.team_id === team)!;
  // Background callers: a fifth of them in the manager's team, the rest elsewhere.
  const others = [...reps.filter((r) => r.team_id === team && r.id !== measured.id).slice(0, 4), ...reps.filter((r) => r.team_id !== team).slice(0, 16)];
  const repCookies = new Map<string, string>(await inParallel([measured, ...others], 4, async (r) => [r.id, await http.signIn(r.email, benchPassword)] as [string, string]));
  const leadsOf = async (userId: string, stage: string | null, limit: number) =>
    (await pg<{ id: string }[]>`select id from leads where owner_id = ${userId} and ${stage === null ? pg`stage not in ('won', 'lost')` : pg`stage = ${stage}`} order by id limit ${limit}`).map((r) => Number(r.id));
  const callLeads = await leadsOf(measured.id, null, CHANGES * 2);
  const newLeads = await leadsOf(measured.id, 'new', CHANGES * 2);
  const backgroundLeads = new Map(await inParallel(others, 4, async (r) => [r.id, await leadsOf(r.id, null, 400)] as [string, number[]]));

  const dashboards = { manager: new SimDashboard(server.url, http, managerCookie, today), admin: new SimDashboard(server.url, http, adminCookie, today) };
  await Promise.all(Object.values(dashboards).map((d) => d.connected()));
  await Promise.all(Object.values(dashboards).map((d) => d.load()));

  let callCursor = 0;
  let stageCursor = 0;
  /** One change by the measured rep; resolves with when its request was sent, and what each dashboard should then show. */
  async function change(kind: 'call' | 'stage'): Promise<{ sent: number; ok: (v: DashboardView) => boolean; failed?: string }> {
    const cookie = repCookies.get(measured.id)!;
    if (kind === 'call') {
      const target = (dashboards.manager.view.calls.get(measured.id) ?? 0) + 1;
      const leadId = callLeads[callCursor++ % callLeads.length]!;
      const started = await http.request('POST', `/api/leads/${leadId}/calls`, { cookie, json: { selfDial: true } });
      if (started.status !== 201) return { sent: now(), ok: () => false, failed: `start call ${started.status} ${JSON.stringify(started.body).slice(0, 200)}` };
      const sent = now();
      const ended = await http.request('POST', `/api/calls/${started.body.call.id}/end`, { cookie, json: { outcome: 'connected' } });
      return { sent, ok: (v) => (v.calls.get(measured.id) ?? 0) >= target, ...(ended.status === 200 ? {} : { failed: `end call ${ended.status}` }) };
    }
    const target = (dashboards.manager.view.stageAdvances.get(measured.id) ?? 0) + 1;
    const leadId = newLeads[stageCursor++]!;
    const sent = now();
    const moved = await http.request('POST', `/api/leads/${leadId}/stage`, { cookie, json: { stage: 'contacted' } });
    return { sent, ok: (v) => (v.stageAdvances.get(measured.id) ?? 0) >= target, ...(moved.status === 200 ? {} : { failed: `stage ${moved.status} ${JSON.stringify(moved.body).slice(0, 200)}` }) };
  }

  async function liveRound(label: string) {
    const latency: Record<'manager' | 'admin', number[]> = { manager: [], admin: [] };
    let missed = 0;
    const failures: string[] = [];
    for (let i = 0; i < CHANGES; i++) {
      // Let both dashboards settle on the previous change, then a pause of 0.2–1 s so changes land at any point of the throttle.
      await sleep(200 + Math.random() * 800);
      // A request that fails (a kept-alive socket the server closed as it was reused) is counted, not fatal.
      const c = await change(i % 2 === 0 ? 'call' : 'stage').catch((err: Error) => ({ sent: now(), ok: () => false, failed: err.message }));
      if (c.failed) {
        failures.push(c.failed);
        continue;
      }
      const seen = await Promise.all((['manager', 'admin'] as const).map((d) => dashboards[d].until(c.ok, 10_000)));
      (['manager', 'admin'] as const).forEach((d, k) => {
        if (Number.isNaN(seen[k]!)) missed++;
        else latency[d].push(seen[k]! - c.sent);
      });
    }
    for (const d of ['manager', 'admin'] as const) {
      const t = latency[d];
      report(label, `${d}'s dashboard: change → refreshed figure p50 / p95 / max`, `${ms(percentile(t, 50))} / ${ms(percentile(t, 95))} / ${ms(Math.max(...t))}`, {
        text: 'p95 ≤ 1 s',
        ok: percentile(t, 95) <= 1000,
      });
    }
    report(label, 'changes not seen within 10 s / failed requests', `${missed} / ${failures.length}`, { text: '= 0', ok: missed === 0 && failures.length === 0 });
    if (failures.length) console.log(`    first failure: ${failures[0]}`);
  }

  const quietStart = now();
  await liveRound('live, quiet');
  report('live, quiet', 'server RSS peak', mb(peakRss(quietStart)));

  // Background: other reps log calls open-loop (start + end: two events, one counted) at BACKGROUND_RATE per second.
  console.log(`\n  with background load: ${BACKGROUND_RATE} calls logged/s by ${others.length} other reps (${BACKGROUND_RATE * 2} events/s, ${BACKGROUND_RATE} counted)`);
  let backgroundOn = true;
  const backgroundStatus: Record<string, number> = {};
  const backgroundLatency: number[] = [];
  const inFlight = new Set<Promise<void>>();
  const backgroundCursor = new Map<string, number>();
  const background = (async () => {
    const t0 = now();
    for (let i = 0; backgroundOn; i++) {
      const due = t0 + (i * 1000) / BACKGROUND_RATE;
      if (due > now()) await sleep(due - now());
      const rep = others[i % others.length]!;
      const cursor = backgroundCursor.get(rep.id) ?? 0;
      backgroundCursor.set(rep.id, cursor + 1);
      const leadId = backgroundLeads.get(rep.id)![cursor % backgroundLeads.get(rep.id)!.length]!;
      const cookie = repCookies.get(rep.id)!;
      const p = (async () => {
        const sent = now();
        const started = await http.request('POST', `/api/leads/${leadId}/calls`, { cookie, json: { selfDial: true } });
        const ended = started.status === 201 ? await http.request('POST', `/api/calls/${started.body.call.id}/end`, { cookie, json: { outcome: 'no_answer' } }) : started;
        backgroundLatency.push(now() - sent);
        const key = `${started.status}/${ended.status}`;
        backgroundStatus[key] = (backgroundStatus[key] ?? 0) + 1;
      })().catch((err: Error) => {
        backgroundStatus[err.message] = (backgroundStatus[err.message] ?? 0) + 1;
      });
      inFlight.add(p);
      void p.finally(() => inFlight.delete(p));
    }
  })();
  await sleep(2_000);
  const loadStart = now();
  const atLoadStart = { manager: counters(dashboards.manager), admin: counters(dashboards.admin) };
  await liveRound('live, under load');
  const atLoadEnd = { manager: counters(dashboards.manager), admin: counters(dashboards.admin) };
  const loadEnd = now();
  backgroundOn = false;
  await background;
  await Promise.all(inFlight);
  const loadSeconds = (loadEnd - loadStart) / 1000;
  console.log(`    background calls: ${Object.entries(backgroundStatus).map(([k, v]) => `${k}×${v}`).join(', ')}; start+end p50 / p99 ${ms(percentile(backgroundLatency, 50))} / ${ms(percentile(backgroundLatency, 99))}`);
  for (const d of ['manager', 'admin'] as const) {
    const diff = (k: keyof ReturnType<typeof counters>) => atLoadEnd[d][k] - atLoadStart[d][k];
    // Each refetch is one computation on the server: the leaderboard (kept until the counters move) + activity, funnel + sources + exhibitions, or health.
    // The throttle bounds them by time (one per window at most), not by the events.
    const most = 1000 / REFRESH_MS;
    const mostHealth = 1000 / HEALTH_REFRESH_MS;
    report(
      'live, under load',
      `${d}: events heard (counted) / refetches board, funnel and channels, health (${loadSeconds.toFixed(0)} s)`,
      `${diff('events')} (${diff('countedEvents')}) / ${diff('boardFetches')}, ${diff('flowFetches')}, ${diff('healthFetches')}`,
      {
        text: `≤ ${most.toFixed(1)}/s, health ≤ ${mostHealth.toFixed(1)}/s`,
        ok: Math.max(diff('boardFetches'), diff('flowFetches')) <= loadSeconds * most + 1 && diff('healthFetches') <= loadSeconds * mostHealth + 1,
      },
    );
    if (diff('failed') > 0) console.log(`    ${d}: ${diff('failed')} refetches failed`);
  }
  report('live, under load', 'server RSS peak', mb(peakRss(loadStart)));
  report('run', 'server RSS peak: endpoints phase / whole run', `${mb(peakRss(startedServing, endpointsEnd))} / ${mb(peakRss(0))}`);

  // ---- summary ----
  Object.values(dashboards).forEach((d) => d.close());
  http.close();
  server.child.send({ kind: 'stop' });
  await Promise.race([new Promise((r) => server.child.once('exit', r)), sleep(10_000)]);
  if (server.child.exitCode === null) server.child.kill();
  await pg.end();
  await database.close();

  console.log(`\nSummary (PostgreSQL; ${started.toISOString()}; ${os.cpus().length} cores; load average at end ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}; data set ${Object.entries(seed.counts).map(([k, v]) => `${k} ${v.toLocaleString()}`).join(', ')})`);
  console.log(`| endpoint | role | rows | p50 / p95 / p99 | C=${C}: p50 / p95 / p99 | bare p50 / p95 | p95 / bare p95 | target | |\n|---|---|---|---|---|---|---|---|---|`);
  for (const r of endpointRows) {
    console.log(
      `| ${r.endpoint} | ${r.role} | ${r.rows} | ${ms(r.sequential.p50)} / ${ms(r.sequential.p95)} / ${ms(r.sequential.p99)} | ${ms(r.concurrent.p50)} / ${ms(r.concurrent.p95)} / ${ms(r.concurrent.p99)} | ${ms(r.bare.p50)} / ${ms(r.bare.p95)}${r.bareSource === 'recorded' ? ' ¹' : ''} | ${r.ratio.toFixed(2)}× | ${r.target ? `≤ ${r.target} ms, ≤ 2×` : ''} | ${r.target ? (r.pass ? 'PASS' : 'MISS') : ''} |`,
    );
  }
  console.log(`¹ no SQL builder exported by core/metrics: the statements the use case ran, recorded and replayed.`);
  console.log(`\n| section | metric | value | target | |\n|---|---|---|---|---|`);
  for (const l of lines) console.log(`| ${l.section} | ${l.metric} | ${l.value} | ${l.target ?? ''} | ${l.target ? (l.pass ? 'PASS' : 'MISS') : ''} |`);
  if (args.json) writeFileSync(args.json, JSON.stringify({ started, plan, seed, endpoints: endpointRows, lines }, null, 2));
  process.exit(0);
}

const counters = (d: SimDashboard) => ({
  events: d.events,
  countedEvents: d.countedEvents,
  boardFetches: d.board.fetches,
  flowFetches: d.flow.fetches,
  healthFetches: d.health.fetches,
  failed: d.failedFetches + d.board.failed + d.flow.failed + d.health.failed,
});

await main().catch((err) => {
  console.error(err);
  process.exit(1);
});
