import { fromPglite, PgBoss } from 'pg-boss';
import type { Database } from '../db/client.ts';
import { jobs, schedules, type JobName, type JobPayload } from './contract.ts';
import { cleanupIntakeRequests } from './intake-requests-cleanup.job.ts';
import { cleanupSessions } from './sessions-cleanup.job.ts';

type Handlers = { [N in JobName]: (payload: JobPayload<N>) => Promise<unknown> };

/** Starts pg-boss on the app's database (PGlite in-process, or PostgreSQL) with every queue and schedule. */
export async function startJobs(database: Database, url?: string): Promise<PgBoss> {
  const boss = database.pglite
    ? new PgBoss({ db: fromPglite(database.pglite), backend: 'pglite' })
    : new PgBoss({ connectionString: url!, max: 4 });
  boss.on('error', (err) => console.error('[jobs]', err));
  await boss.start();

  const handlers: Handlers = {
    'sessions.cleanup': () => cleanupSessions(database.db),
    'intake.requests_cleanup': () => cleanupIntakeRequests(database.db),
  };
  for (const name of Object.keys(jobs) as JobName[]) {
    await boss.createQueue(name);
    await boss.work(name, async ([job]) => handlers[name](jobs[name].parse(job?.data ?? {})));
    const cron = schedules[name];
    if (cron) await boss.schedule(name, cron);
  }
  return boss;
}
