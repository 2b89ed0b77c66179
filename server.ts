import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createAdaptorServer } from '@hono/node-server';
import { serveStatic } from '@hono/node-server/serve-static';
import { createApi } from './api/app.ts';
import type { DoorSettings } from './api/doors.ts';
import type { ApiDeps } from './api/context.ts';
import { authSecret, createAuth } from './core/users/auth.ts';
import { ViewerCache } from './core/users/viewer-cache.ts';
import { systemClock, type Clock } from './core/clock.ts';
import { PoolDirectory } from './core/pools/pool-directory.ts';
import { countUsers } from './core/users/users.usecases.ts';
import { fillCompanyKeys } from './core/dedup/duplicates.ts';
import { migrateDatabase, openDatabase } from './db/client.ts';
import { seedDemo } from './db/seed/demo.seed.ts';
import { jobHandlers, startJobs, WebhookNudge, type Jobs } from './jobs/boss.ts';
import { jobs as jobContract, type JobName, type JobPayload } from './jobs/contract.ts';
import { runImport, type ImportContext } from './core/imports/import.usecases.ts';
import { getLead } from './core/pool/pool.usecases.ts';
import { appendNote, compactNote, noteAccess, readNote } from './core/notes/notes.usecases.ts';
import { createHub, type Hub } from './realtime/hub.ts';
import { wallStates } from './core/wall/wall-scenes.usecases.ts';
import { LeaderboardCache, movesLeaderboards } from './core/metrics/leaderboard-cache.ts';
import { authenticateDisplay, liveScreens } from './core/wall/wall-screens.usecases.ts';
import { DiskRecordingStorage } from './core/recordings/recording-storage.ts';
import { defaultRecordingMaxBytes } from './core/recordings/recordings.usecases.ts';

export interface ServerOptions {
  port?: number;
  host?: string;
  /** PostgreSQL; without it PGlite runs in `dataDir`. */
  databaseUrl?: string;
  dataDir?: string;
  /** PGlite in memory (tests). */
  inMemory?: boolean;
  /** socket.io Redis adapter, so several nodes share rooms. */
  redisUrl?: string;
  /** Seed demo data when the database has no users (the embedded default does). */
  seedDemoIfEmpty?: boolean;
  /** Built SPA to serve; skipped when absent. */
  spaDir?: string;
  /** Run pg-boss workers and schedules (default true). */
  jobs?: boolean;
  signInPerMinute?: number;
  /** The booth form and intake API: booth submissions per minute per client, proxy trust, public URL. */
  doors?: Partial<DoorSettings>;
  log?: (line: string) => void;
  /** Where use cases read the time (tests move it by hand). */
  clock?: Clock;
  /** Folder of call recordings (default: `recordings` in `dataDir`, or in ./data). */
  recordingsDir?: string;
  /** The largest recording accepted, in bytes (default 50 MB). */
  recordingMaxBytes?: number;
}

export interface RunningServer {
  url: string;
  port: number;
  engine: 'pglite' | 'postgres';
  seeded: boolean;
  /** Runs a job's handler on this node now, as its worker would (tests drive time-based jobs with it). */
  runJob<N extends JobName>(name: N, payload: JobPayload<N>): Promise<unknown>;
  close(): Promise<void>;
}

const root = path.dirname(fileURLToPath(import.meta.url));
export const defaultSpaDir = path.join(root, 'build');

/** Composition root: open db → migrate → seed → jobs → hub → api → listen. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const log = options.log ?? (() => {});
  const database = await openDatabase({ url: options.databaseUrl, dataDir: options.dataDir, inMemory: options.inMemory });
  await migrateDatabase(database);
  const { db } = database;

  let seeded = false;
  if (options.seedDemoIfEmpty && (await countUsers(db)) === 0) {
    log('Seeding demo data...');
    await seedDemo(db);
    seeded = true;
  }
  // Leads written before the duplicate check existed get their company key.
  await fillCompanyKeys(db);

  let hub: Hub | undefined;
  let jobs: Jobs | undefined;
  // Workers may publish (a resumed import) before the nudge exists.
  let webhookNudge: WebhookNudge | undefined;
  const poolDirectory = new PoolDirectory(db);
  await poolDirectory.reload();
  const leaderboards = new LeaderboardCache(db);
  const core: ImportContext = {
    db,
    clock: options.clock ?? systemClock,
    events: {
      publish: (events) => {
        // Before the events reach any screen: a dashboard that refetches on them finds no stale board.
        if (movesLeaderboards(events.map((e) => e.event.type))) {
          leaderboards.changed();
          hub?.countersMoved();
        }
        hub?.publish(events);
        webhookNudge?.eventsAppended();
      },
    },
    notifications: {
      notify: (delivered) => hub?.notify(delivered),
      readChanged: (userId, unread) => hub?.readChanged(userId, unread),
    },
    userChanged: (userId) => hub?.userChanged(userId),
    importNotifier: {
      progress: (userId, job) => hub?.importProgress(userId, job),
      logAdvanced: (seq) => hub?.logAdvanced(seq),
    },
    async enqueueImport(jobId) {
      if (jobs) await jobs.sendNow('imports.run', { jobId });
      // Without workers (jobs: false) this node runs the import itself, after answering.
      else setImmediate(() => void runImport(core, jobId).catch((err: unknown) => console.error('[imports]', err)));
    },
  };
  const handlers = jobHandlers(database, core);
  jobs = options.jobs === false ? undefined : await startJobs(database, options.databaseUrl, handlers);
  webhookNudge = new WebhookNudge(db, jobs);

  const port = options.port ?? 3000;
  const auth = createAuth(db, {
    baseURL: process.env.BETTER_AUTH_URL ?? `http://localhost:${port}`,
    secret: await authSecret(db, process.env.BETTER_AUTH_SECRET),
    signInPerMinute: options.signInPerMinute ?? 30,
  });
  const viewers = new ViewerCache(auth, poolDirectory);
  const deps: ApiDeps = {
    ...core,
    recordings: {
      storage: new DiskRecordingStorage(options.recordingsDir ?? path.join(options.dataDir ?? 'data', 'recordings')),
      maxBytes: options.recordingMaxBytes ?? defaultRecordingMaxBytes,
    },
    engine: database.engine,
    doors: { boothPerMinute: 20, trustProxy: false, ...options.doors },
    auth,
    viewers,
    webhooksChanged: () => webhookNudge.changed(),
    wallChanged: (screenId, how) => hub?.wallChanged(screenId, how),
    leaderboards,
    async poolsChanged() {
      await poolDirectory.reload();
      hub?.poolsChanged();
    },
  };
  const app = createApi(deps);
  const spaDir = options.spaDir ?? defaultSpaDir;
  if (existsSync(path.join(spaDir, 'index.html'))) {
    app.use('/*', serveStatic({ root: spaDir }));
    // Client-side routes (/pool, /leads/42, ...) all load the SPA shell.
    app.get('/*', serveStatic({ root: spaDir, path: 'index.html' }));
  }

  const server = createAdaptorServer({ fetch: app.fetch });
  hub = await createHub(server as import('node:http').Server, viewers, poolDirectory, {
    redisUrl: options.redisUrl,
    countersMovedElsewhere: () => leaderboards.changed(),
    // Presence follows the lead page's rule: whoever may open the lead may be seen looking at it.
    canView: (viewer, leadId) => getLead(core, viewer, leadId).then(() => true),
    notes: {
      access: (viewer, leadId) => noteAccess(db, viewer, leadId),
      read: (leadId, stateVector) => readNote(db, leadId, stateVector),
      append: (viewer, leadId, update) => appendNote(core, viewer, leadId, update),
      compact: (leadId) => compactNote(db, leadId),
    },
    wall: {
      authenticate: (token) => authenticateDisplay(db, token, core.clock.now()),
      live: (ids) => liveScreens(db, ids),
      states: (screens) => wallStates(db, screens, core.clock.now()),
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host ?? '0.0.0.0', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;

  return {
    url: `http://localhost:${actualPort}`,
    port: actualPort,
    engine: database.engine,
    seeded,
    runJob(name, payload) {
      const handler = handlers[name] as (payload: unknown, attempt: { last: boolean }) => Promise<unknown>;
      return handler(jobContract[name].parse(payload), { last: true });
    },
    async close() {
      await hub?.close();
      await jobs?.boss.stop({ graceful: true, timeout: 5_000 });
      await database.close();
    },
  };
}
