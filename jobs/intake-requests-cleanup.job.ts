import { lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { intakeRequests } from '../db/schema/index.ts';

/** How long an Idempotency-Key's answer is kept for replay (as the OpenAPI description says). */
export const IDEMPOTENCY_KEPT_HOURS = 24;

/** Forgets answers older than that. Idempotent: a second run finds nothing to delete. */
export async function cleanupIntakeRequests(db: Db): Promise<number> {
  const deleted = await db
    .delete(intakeRequests)
    .where(lt(intakeRequests.createdAt, sql`now() - make_interval(hours => ${IDEMPOTENCY_KEPT_HOURS})`))
    .returning({ key: intakeRequests.idempotencyKey });
  return deleted.length;
}
