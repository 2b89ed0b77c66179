import { fromPglite, PgBoss } from 'pg-boss';
import type { Database } from '../db/client.ts';
import { jobs, schedules, type JobName, type JobPayload } from './contract.ts';
import { cleanupImports } from './imports-cleanup.job.ts';
import { cleanupIntakeRequests } from './intake-requests-cleanup.job.ts';
import { cleanupSessions } from './sessions-cleanup.job.ts';
import { runImport, type ImportContext } from '../core/imports/import.usecases.ts';
import { sweepRecycling } from '../core/rules/recycling.usecases.ts';
import { sweepReminders } from '../core/rules/reminders.usecases.ts';
import { anyWebhookEnabled, deliverDue, dispatchWebhooks } from '../core/webhooks/webhooks.usecases.ts';

// Someone is watching an import's progress bar: pick it up quickly.
const pollingSeconds: Partial<Record<JobName, number>> = { 'imports.run': 0.5, 'webhooks.dispatch': 0.5 };

/** What a handler knows of its delivery: whether the queue will retry it if it throws. */
export interface Attempt {
  last: boolean;
}

export type Handlers = { [N in JobName]: (payload: JobPayload<N>, attempt: Attempt) => Promise<unknown> };

/** What each job does, on this node's database and core. */
export function jobHandlers(database: Database, ctx: ImportContext): Handlers {
  return {
    'sessions.cleanup': () => cleanupSessions(database.db),
    'intake.requests_cleanup': () => cleanupIntakeRequests(database.db),
    'imports.run': ({ jobId }, attempt) => runImport(ctx, jobId, { lastAttempt: attempt.last }),
    'imports.cleanup': () => cleanupImports(database.db),
    'rules.sweep': async ({ batchSize }) => ({ ...(await sweepRecycling(ctx, batchSize)), reminded: await sweepReminders(ctx, batchSize) }),
    'webhooks.dispatch': async () => ({ dispatched: await dispatchWebhooks(ctx.db, ctx.clock), sent: await deliverDue(ctx.db, ctx.clock) }),
  };
}

/** pg-boss with this node's workers, and a way to hand them a job without waiting for their next poll. */
export interface Jobs {
  boss: PgBoss;
  /** Queues the job and wakes this node's worker for it (another node's may still take it first). */
  sendNow<N extends JobName>(name: N, payload: JobPayload<N>): Promise<void>;
}

/** Starts pg-boss on the app's database (PGlite in-process, or PostgreSQL) with every queue and schedule. */
export async function startJobs(database: Database, url: string | undefined, handlers: Handlers): Promise<Jobs> {
  const boss = database.pglite
    ? new PgBoss({ db: fromPglite(database.pglite), backend: 'pglite' })
    : new PgBoss({ connectionString: url!, max: 4 });
  boss.on('error', (err) => console.error('[jobs]', err));
  await boss.start();

  const workerIds = new Map<JobName, string>();
  for (const name of Object.keys(jobs) as JobName[]) {
    await boss.createQueue(name);
    // The payload is parsed by its own job's schema; TypeScript cannot pair the two across the union.
    const handler = handlers[name] as (payload: unknown, attempt: Attempt) => Promise<unknown>;
    workerIds.set(
      name,
      await boss.work(name, { pollingIntervalSeconds: pollingSeconds[name] ?? 2, includeMetadata: true }, async ([job]) =>
        handler(jobs[name].parse(job?.data ?? {}), { last: !job || job.retryCount >= job.retryLimit }),
      ),
    );
    const cron = schedules[name];
    if (cron) await boss.schedule(name, cron);
  }
  return {
    boss,
    async sendNow(name, payload) {
      await boss.send(name, payload);
      boss.notifyWorker(workerIds.get(name)!);
    },
  };
}

/**
 * Wakes the webhook dispatcher soon after events are appended, at most once a second and only
 * while some webhook is on (read again when an admin changes them, and every minute for other
 * nodes' changes); the minute schedule catches up whatever a nudge misses.
 */
export class WebhookNudge {
  readonly #db: Database['db'];
  readonly #jobs: Jobs | undefined;
  #enabled: Promise<boolean> | null = null;
  #readAt = 0;
  #pending = false;

  constructor(db: Database['db'], jobs: Jobs | undefined) {
    this.#db = db;
    this.#jobs = jobs;
  }

  changed(): void {
    this.#enabled = null;
  }

  eventsAppended(): void {
    const jobs = this.#jobs;
    if (!jobs || this.#pending) return;
    if (!this.#enabled || Date.now() - this.#readAt > 60_000) {
      this.#readAt = Date.now();
      this.#enabled = anyWebhookEnabled(this.#db).catch(() => false);
    }
    this.#pending = true;
    void this.#enabled.then(async (on) => {
      await new Promise((resolve) => setTimeout(resolve, on ? 1000 : 0));
      this.#pending = false;
      if (on) await jobs.sendNow('webhooks.dispatch', {}).catch((err: unknown) => console.error('[webhooks]', err));
    });
  }
}
