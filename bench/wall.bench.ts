// npm run bench:wall [-- --hours 24 --step-minutes 30]
// The wall screen in Chromium on the built app (run `npm run build` first): first paint and the gzipped
// JavaScript it loads, then a fast-forwarded soak — Playwright's page clock runs the screen through
// `--hours` of simulated time (scenes rotating, celebrations firing) while the server takes claims,
// calls and wins through the API — with the heap (after a forced GC) and DOM counters before and after.
// PGlite in a temporary folder, or PostgreSQL at BENCH_DATABASE_URL (its data is left as it was seeded).
// Prints figures; never fails on targets.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { chromiumArgs, findChromium } from '../test/chromium.ts';
import { defaultSpaDir, startServer } from '../server.ts';
import { demoPassword } from '../db/seed/demo.seed.ts';

const { values: args } = parseArgs({
  options: {
    hours: { type: 'string', default: '24' },
    'step-minutes': { type: 'string', default: '30' },
    'rotate-seconds': { type: 'string', default: '20' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log('npm run bench:wall -- [--hours 24] [--step-minutes 30 (simulated time between server events)] [--rotate-seconds 20]');
  process.exit(0);
}
const HOURS = Number(args.hours);
const STEP_MS = Number(args['step-minutes']) * 60_000;
const ROTATE_S = Number(args['rotate-seconds']);
const databaseUrl = process.env.BENCH_DATABASE_URL || undefined;
const executablePath = findChromium();
if (!executablePath) throw new Error('No Chromium: see test/chromium.ts');

const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const line = (label: string, value: string) => console.log(`  ${label.padEnd(46)} ${value}`);

const dataDir = databaseUrl ? undefined : mkdtempSync(path.join(os.tmpdir(), 'leadpool-wall-bench-'));
console.log(`Starting the app on ${databaseUrl ? 'PostgreSQL' : 'PGlite'} (seeding the demo when empty)...`);
const server = await startServer({ port: 0, databaseUrl, dataDir, seedDemoIfEmpty: true, jobs: false, signInPerMinute: 0, spaDir: defaultSpaDir });
const base = server.url.replace('//localhost:', '//127.0.0.1:');
const browser = await chromium.launch({ executablePath, args: chromiumArgs });

try {
  // ---------- the API side: an admin's screen, reps who work the pool ----------
  const signIn = async (email: string) => {
    const context = await browser.newContext({ baseURL: base });
    const res = await context.request.post('/api/auth/sign-in/email', { data: { email, password: demoPassword }, headers: { origin: base } });
    if (res.status() !== 200) throw new Error(`sign-in ${email}: ${res.status()}`);
    return context;
  };
  const post = async (context: BrowserContext, url: string, data: unknown = {}) => {
    const res = await context.request.post(url, { data, headers: { origin: base } });
    return { status: res.status(), body: await res.json().catch(() => null) };
  };
  const admin = await signIn('admin@demo.local');
  const created = await post(admin, '/api/wall-screens', { name: 'Bench wall', scenes: ['leaderboard', 'funnel', 'pool', 'wins', 'exhibitions'], rotateSeconds: ROTATE_S, sound: true });
  const { token } = (await post(admin, `/api/wall-screens/${created.body.screen.id}/token`)).body as { token: string };
  const reps = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => signIn(`rep${n}@demo.local`)));

  // ---------- first paint and JavaScript, cold cache ----------
  console.log('\nFirst load (1920×1080, cold cache)');
  const tvContext = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const first: Page = await tvContext.newPage();
  const scripts = new Map<string, { raw: number; gz: number }>();
  first.on('response', (res) => {
    if (!res.url().endsWith('.js')) return;
    void res.body().then(
      (body) => scripts.set(res.url(), { raw: body.length, gz: gzipSync(body).length }),
      () => {},
    );
  });
  await first.goto(`${base}/wall/screen#${token}`);
  await first.getByTestId('wall-screen').waitFor();
  await first.waitForLoadState('networkidle');
  const paint = await first.evaluate(() => {
    const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    return { fcp, domContentLoaded: nav?.domContentLoadedEventEnd ?? NaN };
  });
  const js = [...scripts.values()].reduce((sum, s) => ({ raw: sum.raw + s.raw, gz: sum.gz + s.gz }), { raw: 0, gz: 0 });
  line('first-contentful-paint', `${paint.fcp.toFixed(0)} ms   (target < 1500 ms)`);
  line('DOMContentLoaded', `${paint.domContentLoaded.toFixed(0)} ms`);
  line(`JavaScript loaded (${scripts.size} files)`, `${kb(js.raw)} raw, ${kb(js.gz)} gzipped   (target < 250 KB gz)`);
  await first.close();

  // The soak's page: the fake clock goes in before its scripts, so every timer of the screen is the bench's
  // to run (the first load above ran on the real clock: a faked one hides the paint timings).
  const page: Page = await tvContext.newPage();
  await page.clock.install();
  await page.goto(`${base}/wall/screen#${token}`);
  await page.getByTestId('wall-screen').waitFor();

  // ---------- the soak ----------
  const cdp: CDPSession = await tvContext.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const measure = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number };
    const dom = (await cdp.send('Memory.getDOMCounters')) as { documents: number; nodes: number; jsEventListeners: number };
    return { ...heap, ...dom };
  };

  const pool = (await (await reps[0]!.request.get('/api/pool?limit=200')).json()) as { items: { id: number }[] };
  const leads = pool.items.map((l) => l.id);
  let won = 0;
  let calls = 0;
  let celebrationsSeen = 0;
  let wonSeq = 0;
  const workStep = async (step: number) => {
    // A claim and a call every step; a win every third step (a celebration on the screen).
    const rep = reps[step % reps.length]!;
    const leadId = leads.shift();
    if (leadId === undefined) return;
    if ((await post(rep, `/api/leads/${leadId}/claim`)).status !== 200) return;
    const call = await post(rep, `/api/leads/${leadId}/calls`, {});
    if (call.status === 201 || call.status === 200) {
      await post(rep, `/api/calls/${call.body.call.id}/end`, { outcome: 'connected' });
      calls++;
    }
    if (step % 3 === 0) {
      const amount = 10_000 + (step % 7) * 5_000;
      const deal = {
        contractNo: `BENCH-${Date.now()}-${wonSeq++}`,
        signedOn: '2026-11-20',
        items: [{ name: '数控机床', quantity: 1, unitPrice: amount }],
        instalments: [{ dueOn: '2026-11-30', amount, paid: true }],
      };
      if ((await post(rep, `/api/leads/${leadId}/stage`, { stage: 'won', deal })).status === 200) won++;
    }
  };

  // An hour of simulated time first: what the screen holds once it has run a while.
  await page.clock.runFor(60 * 60_000);
  const before = await measure();
  const steps = Math.round((HOURS * 3_600_000) / STEP_MS);
  console.log(`\nSoak: ${HOURS} simulated hours in ${steps} steps of ${STEP_MS / 60_000} min (scenes every ${ROTATE_S} s)`);
  const started = Date.now();
  for (let step = 0; step < steps; step++) {
    await workStep(step);
    // Real time for the pushes to arrive (throttled to 500 ms on the server), then the fake clock runs.
    await new Promise((r) => setTimeout(r, 700));
    if (await page.getByTestId('wall-celebration').count()) celebrationsSeen++;
    await page.clock.runFor(STEP_MS);
    // Every 6 simulated hours, a sample: growth that levels off is caches filling, growth that keeps on is a leak.
    const hoursIn = ((step + 1) * STEP_MS) / 3_600_000;
    if (hoursIn % 6 === 0) {
      const sample = await measure();
      line(`  after ${hoursIn} h`, `heap ${kb(sample.usedSize)}, ${sample.nodes} nodes, ${sample.jsEventListeners} listeners`);
    }
  }
  const soakSeconds = (Date.now() - started) / 1000;
  const after = await measure();
  const scene = await page.getByTestId('wall-screen').getAttribute('data-scene');
  line('real time taken', `${soakSeconds.toFixed(0)} s`);
  line('server events', `${steps} claims, ${calls} calls, ${won} wins`);
  line('celebrations seen on screen', `${celebrationsSeen}`);
  line('screen still showing a scene', `${scene}`);
  console.log('\nMemory (after forced GC)       before (1 h in)     after');
  line('JS heap used', `${kb(before.usedSize).padStart(12)} ${kb(after.usedSize).padStart(12)}   (${((after.usedSize / before.usedSize - 1) * 100).toFixed(1)}%)`);
  line('JS heap total', `${kb(before.totalSize).padStart(12)} ${kb(after.totalSize).padStart(12)}`);
  line('DOM nodes', `${String(before.nodes).padStart(12)} ${String(after.nodes).padStart(12)}`);
  line('JS event listeners', `${String(before.jsEventListeners).padStart(12)} ${String(after.jsEventListeners).padStart(12)}`);
  line('documents', `${String(before.documents).padStart(12)} ${String(after.documents).padStart(12)}`);
} finally {
  await browser.close();
  await server.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
}
