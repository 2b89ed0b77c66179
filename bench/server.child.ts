// Run twice by the bench: BENCH_MODE=seed seeds the bench data and exits (PGlite allows one
// process per data dir, and seeding 50k leads would inflate the server's heap); then the
// server under test runs in its own process, so its RSS is the server's alone, and reports
// its RSS and CPU time to the parent over IPC.
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import { startServer } from '../server.ts';
import { seedBench, type SeedPlan } from './bench-seed.ts';

export type ChildMessage =
  | { kind: 'seeded'; seed: Awaited<ReturnType<typeof seedBench>> }
  | { kind: 'ready'; url: string; engine: string }
  | { kind: 'rss'; rss: number; at: number; cpuMs: number }
  | { kind: 'failed'; message: string }
  | { kind: 'job-done'; ms: number; result: unknown; loopDelayMs: { p99: number; max: number } };

const send = (m: ChildMessage) => process.connected && process.send?.(m);
// Parent gone (finished or crashed): nothing left to serve.
process.on('disconnect', () => process.exit(0));
const plan = JSON.parse(process.env.BENCH_SEED_PLAN ?? '{}') as SeedPlan;
const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const dataDir = process.env.BENCH_DATA_DIR || undefined;

try {
  if (process.env.BENCH_MODE === 'seed') {
    const database = await openDatabase({ url: databaseUrl, dataDir });
    await migrateDatabase(database);
    const seed = await seedBench(database.db, plan);
    await database.close();
    // Exit only once the (large) message is handed over.
    process.send!({ kind: 'seeded', seed } satisfies ChildMessage, () => process.exit(0));
    await new Promise(() => {});
  }

  const server = await startServer({ port: 0, host: '127.0.0.1', databaseUrl, dataDir, seedDemoIfEmpty: false, jobs: process.env.BENCH_JOBS === '1', signInPerMinute: 0, spaDir: '/nonexistent' });
  const report = () => {
    const cpu = process.cpuUsage();
    send({ kind: 'rss', rss: process.memoryUsage.rss(), at: Date.now(), cpuMs: (cpu.user + cpu.system) / 1000 });
  };
  report();
  setInterval(report, 200).unref();
  send({ kind: 'ready', url: server.url.replace('localhost', '127.0.0.1'), engine: server.engine });
  process.on('message', async (m: { kind: string; name?: string; payload?: unknown }) => {
    if (m.kind === 'run-job') {
      // A job run in this server's process, as its pg-boss worker would, timed here.
      const started = performance.now();
      // How long this process's requests waited for the event loop while the job ran.
      const loop = monitorEventLoopDelay({ resolution: 1 });
      loop.enable();
      const result = await server.runJob(m.name as never, (m.payload ?? {}) as never);
      loop.disable();
      send({ kind: 'job-done', ms: performance.now() - started, result, loopDelayMs: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 } });
    }
    if (m.kind === 'stop') {
      await server.close().catch(() => {});
      process.exit(0);
    }
  });
} catch (err) {
  send({ kind: 'failed', message: (err as Error).stack ?? String(err) });
  process.exit(1);
}
