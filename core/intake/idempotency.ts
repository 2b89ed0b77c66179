import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { intakeRequests } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';

/** An answer as it is stored and replayed. */
export interface StoredAnswer {
  status: number;
  body: unknown;
}

// The answer column of a request still being processed.
const PENDING = 0;
const WAIT_STEP_MS = 100;
/** How long a retry waits for the first request with its key to finish before `intake.request_in_progress`. */
export const WAIT_FOR_FIRST_MS = 30_000;
/** A claim older than this was left by a process that died mid-request; a retry takes it over. */
const ABANDONED_AFTER_MS = 10 * 60_000;

export const hashRequest = (body: string) => createHash('sha256').update(body).digest('hex');

/**
 * Runs `work` at most once per (API key, Idempotency-Key). The key is claimed by inserting its row
 * before the work starts (the primary key lets one insert win), so a concurrent retry waits for the
 * first one's answer instead of creating the leads again. Same key with another body:
 * `intake.idempotency_key_reused`.
 */
export async function once(db: Db, apiKeyId: string, key: string, requestHash: string, work: () => Promise<StoredAnswer>): Promise<StoredAnswer & { replayed: boolean }> {
  const where = and(eq(intakeRequests.apiKeyId, apiKeyId), eq(intakeRequests.idempotencyKey, key));
  const deadline = Date.now() + WAIT_FOR_FIRST_MS;
  for (;;) {
    const claimed = await db
      .insert(intakeRequests)
      .values({ apiKeyId, idempotencyKey: key, requestHash, status: PENDING, response: sql`'{}'::jsonb` })
      .onConflictDoNothing()
      .returning({ key: intakeRequests.idempotencyKey });
    if (claimed.length > 0) return { ...(await runClaimed(db, where, work)), replayed: false };

    const [seen] = await db.select().from(intakeRequests).where(where);
    if (!seen) continue; // the first one failed and let go of the key: claim it now
    if (seen.requestHash !== requestHash) throw new AppError('intake.idempotency_key_reused');
    if (seen.status !== PENDING) return { status: seen.status, body: seen.response, replayed: true };
    if (Date.now() - seen.createdAt.getTime() > ABANDONED_AFTER_MS) {
      const taken = await db
        .update(intakeRequests)
        .set({ createdAt: new Date() })
        .where(and(where, eq(intakeRequests.status, PENDING), eq(intakeRequests.createdAt, seen.createdAt)))
        .returning({ key: intakeRequests.idempotencyKey });
      if (taken.length > 0) return { ...(await runClaimed(db, where, work)), replayed: false };
    }
    if (Date.now() > deadline) throw new AppError('intake.request_in_progress');
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
}

async function runClaimed(db: Db, where: ReturnType<typeof and>, work: () => Promise<StoredAnswer>): Promise<StoredAnswer> {
  let answer: StoredAnswer;
  try {
    answer = await work();
  } catch (err) {
    // Nothing to replay: let a retry run it again (what did get created answers as duplicates then).
    await db.delete(intakeRequests).where(where);
    throw err;
  }
  await db
    .update(intakeRequests)
    .set({ status: answer.status, response: sql`${JSON.stringify(answer.body)}::jsonb` })
    .where(where);
  return answer;
}
