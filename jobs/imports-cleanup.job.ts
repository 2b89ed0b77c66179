import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { importJobs } from '../db/schema/index.ts';

/** An upload still being read after this long was cut off (its node died mid-read). */
export const READING_ABANDONED_HOURS = 1;
/** An upload nobody started within this long is dropped with its staged rows. */
export const UPLOAD_KEPT_DAYS = 7;

/** Deletes abandoned uploads and their staged rows (cascade). Idempotent: a second run finds nothing. */
export async function cleanupImports(db: Db): Promise<number> {
  const deleted = await db
    .delete(importJobs)
    .where(
      or(
        and(eq(importJobs.status, 'reading'), lt(importJobs.createdAt, sql`now() - make_interval(hours => ${READING_ABANDONED_HOURS})`)),
        and(eq(importJobs.status, 'uploaded'), lt(importJobs.createdAt, sql`now() - make_interval(days => ${UPLOAD_KEPT_DAYS})`)),
      ),
    )
    .returning({ id: importJobs.id });
  return deleted.length;
}
