/**
 * Integration-test harness: a real server (in this process or as a child process) on a fresh
 * database — PGlite by default, PostgreSQL too when TEST_DATABASE_URL is set — and signed-in
 * HTTP and socket.io clients that talk to it the way the web app does.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { Clock } from '../core/clock.ts';
import type { LeadEvent, NotificationView } from '../realtime/contract.ts';
import { startServer, type RunningServer, type ServerOptions } from '../server.ts';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { demoPassword, seedDemo } from '../db/seed/demo.seed.ts';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export type EngineName = 'pglite' | 'postgres';

/** The engines the integration suite runs on: PGlite always, PostgreSQL when TEST_DATABASE_URL is set. */
export const engines: EngineName[] = ['pglite', ...(process.env.TEST_DATABASE_URL ? (['postgres'] as const) : [])];

export const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// ---------------------------------------------------------------- databases

export interface TestDatabase {
  engine: EngineName;
  /** PostgreSQL only. */
  url?: string;
  /** PGlite on disk only (persistent or child-process servers). */
  dataDir?: string;
  drop(): Promise<void>;
}

function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** A uniquely named PostgreSQL database created from TEST_DATABASE_URL; `drop()` removes it. */
export async function createPostgresDatabase(): Promise<TestDatabase> {
  const adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) throw new Error('TEST_DATABASE_URL is not set');
  const name = uniqueName('leadpool_test');
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}"`);
  } finally {
    await admin.end({ timeout: 5 });
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    engine: 'postgres',
    url: url.toString(),
    async drop() {
      const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await sql.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await sql.end({ timeout: 5 });
      }
    },
  };
}

/** A fresh database for one test file: PostgreSQL, or PGlite (in memory unless `onDisk`). */
export async function createTestDatabase(engine: EngineName, options: { onDisk?: boolean } = {}): Promise<TestDatabase> {
  if (engine === 'postgres') return createPostgresDatabase();
  if (!options.onDisk) return { engine, drop: async () => {} };
  const dataDir = mkdtempSync(path.join(tmpdir(), 'leadpool-test-'));
  return { engine, dataDir, drop: async () => rmSync(dataDir, { recursive: true, force: true }) };
}

/** Opens the test database directly (migrated), e.g. to seed it or to check invariants. */
export async function openTestDatabase(database: TestDatabase) {
  const opened = await openDatabase({ url: database.url, dataDir: database.dataDir, inMemory: !database.url && !database.dataDir, poolSize: 2 });
  await migrateDatabase(opened);
  return opened;
}

/**
 * A fresh, migrated database for the calling describe block, opened before its tests and dropped
 * after them; the returned function gives the open database.
 */
export function useTestDatabase(engine: EngineName): () => Awaited<ReturnType<typeof openTestDatabase>> {
  let database: TestDatabase | undefined;
  let opened: Awaited<ReturnType<typeof openTestDatabase>> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase(engine);
    opened = await openTestDatabase(database);
  });
  afterAll(async () => {
    await opened?.close();
    await database?.drop();
  });
  return () => opened!;
}

/** Seeds the demo data into an empty test database (for child-process servers on PostgreSQL). */
export async function seedTestDatabase(database: TestDatabase, leadCount = 200): Promise<void> {
  const opened = await openTestDatabase(database);
  try {
    await seedDemo(opened.db, { leadCount });
  } finally {
    await opened.close();
  }
}

// ---------------------------------------------------------------- HTTP + socket clients

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface SignedInUser {
  id: string;
  name: string;
  email: string;
  role: string;
  teamId: string | null;
}

/** Messages of one kind a socket received, and a way to wait for one. */
class Inbox<T> {
  readonly items: T[] = [];
  private waiters: { match: (item: T) => boolean; resolve: (item: T) => void }[] = [];
  private readonly describe: (item: T) => string;

  constructor(describe: (item: T) => string) {
    this.describe = describe;
  }

  push(item: T): void {
    this.items.push(item);
    this.waiters = this.waiters.filter((w) => {
      if (!w.match(item)) return true;
      w.resolve(item);
      return false;
    });
  }

  waitFor(match: (item: T) => boolean, timeoutMs: number): Promise<T> {
    const seen = this.items.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const waiter = { match, resolve: (item: T) => (clearTimeout(timer), resolve(item)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`No matching socket message within ${timeoutMs} ms; got ${this.items.map(this.describe).join(', ') || 'none'}`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
  }
}

/** Collects the socket's `event` and `notification` messages and lets a test wait for one. */
export class TestSocket {
  readonly socket: Socket;
  private readonly eventInbox = new Inbox<LeadEvent>((e) => `${e.seq}:${e.type}:${e.leadId}`);
  private readonly notificationInbox = new Inbox<NotificationView>((n) => `${n.id}:${n.kind}:${n.leadId}`);

  constructor(socket: Socket) {
    this.socket = socket;
    socket.on('event', (event: LeadEvent) => this.eventInbox.push(event));
    socket.on('notification', (notification: NotificationView) => this.notificationInbox.push(notification));
  }

  get events(): LeadEvent[] {
    return this.eventInbox.items;
  }

  get notifications(): NotificationView[] {
    return this.notificationInbox.items;
  }

  /** The first event (already received or arriving within `timeoutMs`) that matches. */
  waitFor(match: (e: LeadEvent) => boolean, timeoutMs = 3_000): Promise<LeadEvent> {
    return this.eventInbox.waitFor(match, timeoutMs);
  }

  /** The first notification (already received or arriving within `timeoutMs`) that matches. */
  waitForNotification(match: (n: NotificationView) => boolean, timeoutMs = 3_000): Promise<NotificationView> {
    return this.notificationInbox.waitFor(match, timeoutMs);
  }

  /** Resolves with the disconnect reason when the server drops this socket. */
  disconnected(timeoutMs = 3_000): Promise<string> {
    if (!this.socket.connected) return Promise.resolve('already disconnected');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`socket still connected after ${timeoutMs} ms`)), timeoutMs);
      this.socket.once('disconnect', (reason) => (clearTimeout(timer), resolve(reason)));
    });
  }

  close(): void {
    this.socket.disconnect();
  }
}

/** Connects a socket.io client with these cookies; rejects with the `connect_error` message when refused. */
export function connectSocket(baseUrl: string, cookie?: string): Promise<TestSocket> {
  const socket = io(baseUrl, {
    transports: ['websocket'],
    extraHeaders: cookie ? { cookie } : {},
    reconnection: false,
    forceNew: true,
    timeout: 5_000,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(new TestSocket(socket)));
    socket.once('connect_error', (err) => {
      socket.disconnect();
      reject(err);
    });
  });
}

function freshRequest(url: URL, method: string, headers: Record<string, string>, body: string | Uint8Array | undefined): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers: { ...headers, connection: 'close' }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const h = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') h.set(k, v);
        resolve(new Response(Buffer.concat(chunks), { status: res.statusCode, headers: h }));
      });
    });
    // The server may hang up while we are still writing the rest of a refused body.
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    req.end(body);
  });
}

/** Talks to the API as one signed-in user (or anonymously), keeping the session cookie. */
export class ApiClient {
  readonly sockets: TestSocket[] = [];
  readonly baseUrl: string;
  readonly cookie: string | undefined;
  readonly user: SignedInUser | undefined;

  constructor(baseUrl: string, cookie: string | undefined, user: SignedInUser | undefined) {
    this.baseUrl = baseUrl;
    this.cookie = cookie;
    this.user = user;
  }

  /**
   * `fresh` sends the request on its own connection: a server that answers before reading a
   * huge body (413) closes that connection, and a pooled one would fail the next request.
   */
  async request<T = any>(method: string, pathname: string, body?: unknown, init: { rawBody?: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string>; fresh?: boolean } = {}): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { origin: this.baseUrl, ...init.headers };
    if (this.cookie) headers.cookie = this.cookie;
    let payload: string | Uint8Array<ArrayBuffer> | undefined = init.rawBody;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = init.fresh ? await freshRequest(new URL(pathname, this.baseUrl), method, headers, payload) : await fetch(new URL(pathname, this.baseUrl), { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON (an HTML page): keep the text for the assertion message.
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  get<T = any>(pathname: string) {
    return this.request<T>('GET', pathname);
  }
  post<T = any>(pathname: string, body?: unknown) {
    return this.request<T>('POST', pathname, body ?? {});
  }
  put<T = any>(pathname: string, body: unknown) {
    return this.request<T>('PUT', pathname, body);
  }
  patch<T = any>(pathname: string, body: unknown) {
    return this.request<T>('PATCH', pathname, body);
  }

  async socket(): Promise<TestSocket> {
    const socket = await connectSocket(this.baseUrl, this.cookie);
    this.sockets.push(socket);
    return socket;
  }

  closeSockets(): void {
    for (const s of this.sockets) s.close();
  }
}

/** Signs in with email and password; throws with the response when refused. */
export async function signIn(baseUrl: string, email: string, password = demoPassword): Promise<ApiClient> {
  const res = await signInResponse(baseUrl, email, password);
  if (res.status !== 200) throw new Error(`sign-in as ${email} failed: ${res.status} ${JSON.stringify(res.body)}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  return new ApiClient(baseUrl, cookie, res.body.user as SignedInUser);
}

export function signInResponse(baseUrl: string, email: string, password = demoPassword): Promise<ApiResponse> {
  return new ApiClient(baseUrl, undefined, undefined).post('/api/auth/sign-in/email', { email, password });
}

// ---------------------------------------------------------------- in-process server

// The server prints http://localhost:port but listens on IPv4 only; don't let ::1 get tried first.
const local = (url: string) => url.replace('//localhost:', '//127.0.0.1:');

export interface TestServer {
  readonly url: string;
  readonly engine: EngineName;
  readonly database: TestDatabase;
  readonly running: RunningServer;
  anonymous(): ApiClient;
  signIn(email: string, password?: string): Promise<ApiClient>;
  /** Stops the server and starts it again on the same database (a new port). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export interface TestServerOptions {
  /** Seed the demo (1 admin, 2 managers, 20 reps, ~500 leads) into the fresh database (default true). */
  seed?: boolean;
  /** PGlite on disk instead of in memory (needed to survive `restart()`). */
  onDisk?: boolean;
  server?: Partial<ServerOptions>;
}

/** Starts a real server on port 0 on a fresh database of the given engine. */
export async function startTestServer(engine: EngineName, options: TestServerOptions = {}): Promise<TestServer> {
  const database = await createTestDatabase(engine, { onDisk: options.onDisk });
  const recordingsDir = mkdtempSync(path.join(tmpdir(), 'leadpool-recordings-'));
  const serverOptions: ServerOptions = {
    recordingsDir,
    port: 0,
    jobs: false,
    signInPerMinute: 0,
    seedDemoIfEmpty: options.seed ?? true,
    databaseUrl: database.url,
    dataDir: database.dataDir,
    inMemory: !database.url && !database.dataDir,
    spaDir: path.join(tmpdir(), 'leadpool-no-spa'),
    ...options.server,
  };
  let running = await startServer(serverOptions);
  const clients: ApiClient[] = [];
  const track = (c: ApiClient) => (clients.push(c), c);
  const handle: TestServer = {
    get url() {
      return local(running.url);
    },
    engine,
    database,
    get running() {
      return running;
    },
    anonymous: () => track(new ApiClient(local(running.url), undefined, undefined)),
    signIn: async (email, password) => track(await signIn(local(running.url), email, password)),
    async restart() {
      for (const c of clients) c.closeSockets();
      await running.close();
      running = await startServer({ ...serverOptions, seedDemoIfEmpty: false });
    },
    async close() {
      for (const c of clients) c.closeSockets();
      await running.close();
      await database.drop();
      rmSync(recordingsDir, { recursive: true, force: true });
    },
  };
  return handle;
}

// ---------------------------------------------------------------- child-process server

export interface ServerProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process printed so far. */
  output(): string;
  /** Resolves with the exit code (or signal) when the process ends. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface ServerProcessOptions {
  databaseUrl?: string;
  dataDir?: string;
  redisUrl?: string;
  /** Milliseconds to wait for "running at" (default 60 s: a stale lock takes a while). */
  startTimeoutMs?: number;
}

/**
 * Runs `node scripts/start.ts` (the real entry point, with jobs, without building the SPA)
 * as a child process on port 0 and resolves once it prints its URL. Rejects, with its output,
 * if it exits first.
 */
export function spawnServer(options: ServerProcessOptions): Promise<ServerProcess> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: '0',
    LEADPOOL_SKIP_BUILD: '1',
    SIGN_IN_PER_MINUTE: '0',
    DATABASE_URL: options.databaseUrl ?? '',
    DATA_DIR: options.dataDir ?? '',
    REDIS_URL: options.redisUrl ?? '',
  };
  const child = spawn(process.execPath, [path.join(root, 'scripts/start.ts')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server process did not start within ${options.startTimeoutMs ?? 60_000} ms:\n${out}`));
    }, options.startTimeoutMs ?? 60_000);
    const onData = () => {
      const match = /running at (http:\/\/\S+)/.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      resolve({
        url: local(match[1]!),
        child,
        output: () => out,
        exited,
        kill: (signal = 'SIGTERM') => {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    };
    child.stdout!.on('data', onData);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(Object.assign(new Error(`server process exited (code ${code}, signal ${signal}) before starting:\n${out}`), { code, output: out }));
    });
  });
}

/** Whether a Redis answers at `url` (the two-node test needs one). */
export async function redisAvailable(url = redisUrl): Promise<boolean> {
  const { createClient } = await import('redis');
  const client = createClient({ url, socket: { connectTimeout: 1_000, reconnectStrategy: false } });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.ping();
    return true;
  } catch {
    return false;
  } finally {
    await client.close().catch(() => {});
  }
}

// ---------------------------------------------------------------- fixtures

/** Signs in several demo users at once: `signInAll(server, ['admin', 'rep1'])`. */
export function signInAll<const N extends readonly string[]>(server: TestServer, names: N): Promise<{ -readonly [K in keyof N]: ApiClient }> {
  return Promise.all(names.map((n) => server.signIn(`${n}@demo.local`))) as Promise<never>;
}

let mobileCounter = Math.floor(Math.random() * 9_000);

/** A valid, distinct mainland mobile number (+86 139 xxxx xxxx). */
export function freshMobile(): string {
  mobileCounter = (mobileCounter + 1) % 10_000;
  return `139${String(process.pid % 10_000).padStart(4, '0')}${String(mobileCounter).padStart(4, '0')}`;
}

/** Input for POST /api/leads with a unique company name. */
export function leadInput(overrides: Record<string, unknown> = {}) {
  const tag = Math.random().toString(36).slice(2, 8);
  return { company: `测试${tag}有限公司`, contactName: '张伟', mobile: freshMobile(), province: '山东', city: '济南', industry: '机械设备', ...overrides };
}

/** Creates a lead in the pool as `client` and returns it. */
export async function createPoolLead(client: ApiClient, overrides: Record<string, unknown> = {}) {
  const res = await client.post('/api/leads', leadInput(overrides));
  if (res.status !== 201) throw new Error(`creating a lead failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.lead as { id: number; company: string; mobile: string | null; [key: string]: unknown };
}

/** A pool's policy as the admin API takes it, with defaults that restrict nothing and recycle nothing. */
export const poolPolicy = (fields: Record<string, unknown> = {}) => ({
  name: `测试池${Math.random().toString(36).slice(2, 8)}`,
  holdingLimit: 50,
  dailyClaimLimit: null,
  reclaimCooldownDays: 0,
  protectNewHours: 0,
  masksContacts: true,
  recycleNoFollowUpHours: null,
  recycleIdleDays: null,
  recycleStageIdleDays: null,
  recycleNotWonDays: null,
  recycleWarnHours: 0,
  recycleKeepAmount: null,
  teamIds: [],
  ...fields,
});

/** The organisation's reminders (Admin › Settings) all off, as `PUT /api/settings` takes them. */
export const noReminders = { unhandledHours: null, stageIdleDays: {}, followUpDue: false, careAmount: null, careDays: null };

/** The setup of the specs about working leads: a server on `clock`, signed in as admin, manager1 and rep2, reminders off. */
export async function startWorkServer(engine: EngineName, clock: Clock, options: Partial<ServerOptions> = {}) {
  const server = await startTestServer(engine, { server: { clock, ...options } });
  const [admin, manager1, rep2] = await signInAll(server, ['admin', 'manager1', 'rep2']);
  const off = await admin.put('/api/settings', { reminders: noReminders });
  if (off.status !== 200) throw new Error(`turning reminders off failed: ${off.status} ${JSON.stringify(off.body)}`);
  return { server, admin, manager1, rep2, team1: manager1.user!.teamId! };
}

export type WorkServer = Awaited<ReturnType<typeof startWorkServer>>;

/**
 * `startWorkServer` as a spec's hooks: `ready` gets the server and its clients before the tests run; the
 * server closes after them, and the clock is reset before each.
 */
export function useWorkServer(engine: EngineName, clock: Clock & { reset(): void }, ready: (work: WorkServer) => unknown, options: Partial<ServerOptions> = {}): void {
  let server: TestServer | undefined;
  beforeAll(async () => {
    const work = await startWorkServer(engine, clock, options);
    server = work.server;
    await ready(work);
  });
  afterAll(() => server?.close());
  beforeEach(() => clock.reset());
}

/** A lead `creator` puts in the pool (with `fields`) and `owner` claims. */
export async function claimedLead(creator: ApiClient, owner: ApiClient, fields: Record<string, unknown> = {}) {
  const lead = await createPoolLead(creator, fields);
  const res = await owner.post(`/api/leads/${lead.id}/claim`);
  if (res.status !== 200) throw new Error(`claiming lead ${lead.id} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return lead;
}

/** Creates an extra user through the admin API (demo has only 20 reps) and signs them in. */
export async function createUser(server: TestServer, admin: ApiClient, fields: { role?: string; teamId?: string | null; name?: string } = {}) {
  const tag = Math.random().toString(36).slice(2, 8);
  const email = `extra-${tag}@test.local`;
  const res = await admin.post('/api/users', { name: fields.name ?? `测试员${tag}`, email, password: 'test12345', role: fields.role ?? 'rep', teamId: fields.teamId ?? null });
  if (res.status !== 201) throw new Error(`creating a user failed: ${res.status} ${JSON.stringify(res.body)}`);
  return { user: res.body.user as { id: string; name: string; email: string }, client: await server.signIn(email, 'test12345') };
}

/** An order as `POST /api/leads/:id/stage` takes it when winning: one product line worth `amount`, paid in two halves. */
export function sampleDeal(amount: number, contractNo = `HT-${Math.random().toString(36).slice(2, 10)}`) {
  return {
    contractNo,
    signedOn: '2026-11-20',
    items: [{ name: '数控机床 CK6150', quantity: 2, unitPrice: amount / 2 }],
    instalments: [
      { dueOn: '2026-11-30', amount: amount / 2, paid: true },
      { dueOn: '2027-01-31', amount: amount / 2 },
    ],
  };
}

/** The id of a built-in lost reason (`price`, `competitor`, …) from the pipeline's config. */
export async function lostReasonId(client: ApiClient, key = 'price'): Promise<number> {
  const reasons = (await client.get('/api/pipeline/config')).body.config.lostReasons as { id: number; key: string | null }[];
  return reasons.find((r) => r.key === key)!.id;
}

/** The newest seq (where a fresh client starts its cursor). */
export async function eventsHead(client: ApiClient): Promise<number> {
  const res = await client.get('/api/events/head');
  if (res.status !== 200) throw new Error(`events head: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.last as number;
}
