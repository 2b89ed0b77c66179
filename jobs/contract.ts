import { z } from 'zod';

/** Every job by name, with its payload schema (payloads are validated before a handler runs). */
export const jobs = {
  'sessions.cleanup': z.object({}),
  'intake.requests_cleanup': z.object({}),
  'imports.run': z.object({ jobId: z.string().min(1).max(100) }),
  'imports.cleanup': z.object({}),
  // batchSize: leads per transaction (SWEEP_BATCH by default).
  'rules.sweep': z.object({ batchSize: z.number().int().min(1).max(5_000).optional() }),
  'webhooks.dispatch': z.object({}),
} as const;

export type JobName = keyof typeof jobs;
export type JobPayload<N extends JobName> = z.infer<(typeof jobs)[N]>;

/** Schedules (cron, minute granularity, UTC). */
export const schedules: Partial<Record<JobName, string>> = {
  'sessions.cleanup': '17 3 * * *',
  'intake.requests_cleanup': '23 * * * *',
  'imports.cleanup': '41 * * * *',
  // Recycling warnings, recycling and reminders: a lead comes due to the minute.
  'rules.sweep': '* * * * *',
  // New events become deliveries, and deliveries due (first tries and retries) are sent.
  'webhooks.dispatch': '* * * * *',
};
