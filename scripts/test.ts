// `npm test`: every check in order, stopping at the first failure, with a summary line at the end.
//   node scripts/test.ts                 everything
//   node scripts/test.ts unit integration  only the named sections
// Integration tests also run on PostgreSQL when TEST_DATABASE_URL is set (and the two-node test
// when a Redis answers at REDIS_URL, default redis://127.0.0.1:6379).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumHelp, findChromium } from '../test/chromium.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const bin = {
  paraglide: 'node_modules/@inlang/paraglide-js/bin/run.js',
  svelteKit: 'node_modules/@sveltejs/kit/svelte-kit.js',
  svelteCheck: 'node_modules/svelte-check/bin/svelte-check',
  tsc: 'node_modules/typescript/bin/tsc',
  vitest: 'node_modules/vitest/vitest.mjs',
  vite: 'node_modules/vite/bin/vite.js',
  playwright: 'node_modules/@playwright/test/cli.js',
};
const hasWeb = existsSync('web/src') && existsSync('vite.config.ts');
const reports = mkdtempSync(path.join(tmpdir(), 'leadpool-test-'));

interface Counts {
  passed: number;
  failed: number;
  skipped: number;
}
interface Section {
  name: string;
  /** Why it does not run here, if it does not. */
  skip?: string;
  needsChromium?: boolean;
  steps: string[][];
  /** Test counts, read after the run. */
  counts?: () => Counts | undefined;
}

function vitestCounts(file: string) {
  return () => {
    if (!existsSync(file)) return undefined;
    const r = JSON.parse(readFileSync(file, 'utf8')) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
    return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + r.numTodoTests };
  };
}
const vitest = (project: string) => {
  const out = path.join(reports, `${project}.json`);
  return {
    steps: [[bin.vitest, 'run', '--project', project, '--passWithNoTests', '--reporter=default', '--reporter=json', `--outputFile.json=${out}`]],
    counts: vitestCounts(out),
  };
};
const playwrightReport = path.join(reports, 'e2e.json');

const sections: Section[] = [
  {
    name: 'svelte-check',
    skip: hasWeb ? undefined : 'no web/ app yet',
    steps: [
      // The messages module is generated (and git-ignored); a clean clone has none until it is compiled.
      [bin.paraglide, 'compile', '--project', './project.inlang', '--outdir', './web/src/lib/paraglide', '--strategy', 'baseLocale', '--silent'],
      [bin.svelteKit, 'sync'],
      [bin.svelteCheck, '--fail-on-warnings', '--tsconfig', './tsconfig.json'],
    ],
  },
  { name: 'tsc', steps: [[bin.tsc, '-p', 'tsconfig.node.json']] },
  { name: 'unit', ...vitest('unit') },
  { name: 'integration', ...vitest('integration') },
  { name: 'component', skip: hasWeb ? undefined : 'no web/ app yet', needsChromium: true, ...vitest('component') },
  {
    name: 'e2e',
    skip: hasWeb ? undefined : 'no web/ app yet',
    needsChromium: true,
    steps: [
      [bin.vite, 'build', '--logLevel', 'warn'],
      [bin.playwright, 'test', '--reporter=list,json'],
    ],
    counts: () => {
      if (!existsSync(playwrightReport)) return undefined;
      const { stats } = JSON.parse(readFileSync(playwrightReport, 'utf8')) as { stats: { expected: number; unexpected: number; skipped: number; flaky: number } };
      return { passed: stats.expected + stats.flaky, failed: stats.unexpected, skipped: stats.skipped };
    },
  },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !sections.some((s) => s.name === w));
if (unknown.length > 0) {
  console.error(`Unknown section(s): ${unknown.join(', ')}. Sections: ${sections.map((s) => s.name).join(', ')}`);
  process.exit(2);
}
const selected = wanted.length > 0 ? sections.filter((s) => wanted.includes(s.name)) : sections;

const bar = (title: string) => console.log(`\n${'━'.repeat(8)} ${title} ${'━'.repeat(Math.max(8, 70 - title.length))}`);
const totals: Counts = { passed: 0, failed: 0, skipped: 0 };
const timings: string[] = [];
let failedSection: string | undefined;
const started = Date.now();

console.log(`Leadpool tests — node ${process.version}; integration on PGlite${process.env.TEST_DATABASE_URL ? ' and PostgreSQL' : ' (set TEST_DATABASE_URL to add PostgreSQL)'}`);

if (selected.some((s) => s.needsChromium && !s.skip)) {
  const chromium = findChromium();
  if (!chromium) {
    console.error(`\n${chromiumHelp}`);
    process.exit(1);
  }
  process.env.CHROMIUM_PATH = chromium;
  console.log(`Chromium: ${chromium}`);
}

for (const section of selected) {
  if (section.skip) {
    bar(`${section.name}: skipped (${section.skip})`);
    timings.push(`${section.name} skipped`);
    continue;
  }
  bar(section.name);
  const t0 = Date.now();
  let ok = true;
  for (const [script, ...args] of section.steps) {
    console.log(`$ ${path.basename(script!)} ${args.join(' ')}`);
    const env = section.name === 'e2e' ? { ...process.env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport } : process.env;
    const result = spawnSync(process.execPath, [script!, ...args], { stdio: 'inherit', env });
    if (result.status !== 0) {
      ok = false;
      break;
    }
  }
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  const counts = section.counts?.();
  if (counts) {
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
  }
  timings.push(`${section.name} ${ok ? 'ok' : 'FAILED'} ${seconds}s${counts ? ` (${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped)` : ''}`);
  if (!ok) {
    failedSection = section.name;
    // A check that fails without failing tests (type errors, a crashed run) still counts as a failure.
    if (!counts || counts.failed === 0) totals.failed += 1;
    break;
  }
}

rmSync(reports, { recursive: true, force: true });
bar('summary');
for (const line of timings) console.log(`  ${line}`);
const minutes = ((Date.now() - started) / 60_000).toFixed(1);
if (failedSection) console.log(`\nFAILED at "${failedSection}" after ${minutes} min`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSection ? 1 : 0);
