// `npm start`: build the SPA when its sources are newer than the build, then run the server.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { DataDirLockedError } from '../db/client.ts';
import { demoLogins, demoPassword } from '../db/seed/demo.seed.ts';
import { defaultSpaDir, startServer } from '../server.ts';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(path.join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

const index = path.join(defaultSpaDir, 'index.html');
const sources = ['web', 'messages', 'vite.config.ts', 'project.inlang/settings.json'].filter(existsSync);
const stale = !existsSync(index) || Math.max(...sources.map((s) => (statSync(s).isDirectory() ? newestMtime(s) : statSync(s).mtimeMs))) > statSync(index).mtimeMs;
if (stale && process.env.LEADPOOL_SKIP_BUILD !== '1') {
  console.log('Building the web app...');
  execFileSync(process.execPath, [path.resolve('node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
}

const databaseUrl = process.env.DATABASE_URL || undefined;
const recordingMaxMb = Number(process.env.RECORDING_MAX_MB || 50);
if (!(recordingMaxMb > 0)) {
  console.error(`RECORDING_MAX_MB must be a positive number of megabytes, not "${process.env.RECORDING_MAX_MB}".`);
  process.exit(1);
}
try {
  const server = await startServer({
    port: Number(process.env.PORT ?? 3000),
    databaseUrl,
    dataDir: process.env.DATA_DIR ?? 'data',
    redisUrl: process.env.REDIS_URL || undefined,
    // The embedded default starts with the demo; PostgreSQL starts empty (first visit creates the admin).
    seedDemoIfEmpty: !databaseUrl,
    signInPerMinute: Number(process.env.SIGN_IN_PER_MINUTE ?? 30),
    doors: {
      boothPerMinute: Number(process.env.BOOTH_PER_MINUTE ?? 20),
      trustProxy: process.env.TRUST_PROXY === '1' || process.env.TRUST_PROXY === 'true',
      publicUrl: process.env.PUBLIC_URL || undefined,
    },
    recordingsDir: process.env.RECORDINGS_DIR || undefined,
    recordingMaxBytes: Math.round(recordingMaxMb * 1024 * 1024),
    log: (line) => console.log(line),
  });
  console.log(`\nLeadpool is running at ${server.url}  (database: ${server.engine})`);
  if (!databaseUrl) {
    console.log(`Demo logins (password ${demoPassword}):`);
    console.log(`  admin    ${demoLogins.admin}`);
    console.log(`  managers ${demoLogins.managers.join(', ')}`);
    console.log(`  reps     rep1@demo.local ... rep20@demo.local`);
  }
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('Stopping...');
    await server.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
} catch (err) {
  if (err instanceof DataDirLockedError) {
    console.error(err.message);
    process.exit(1);
  }
  throw err;
}
