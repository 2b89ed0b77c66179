import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { apiKeys, intakeRequests } from '../db/schema/index.ts';
import { engines, useTestDatabase } from '../test/harness.ts';
import { cleanupIntakeRequests } from './intake-requests-cleanup.job.ts';

describe.each(engines)('intake requests cleanup on %s', (engine) => {
  const opened = useTestDatabase(engine);

  it('forgets answers older than 24 hours and keeps the rest; a second run deletes nothing', async () => {
    const [key] = await opened().db.insert(apiKeys).values({ name: 'k', prefix: 'lp_x', keyHash: 'h' }).returning();
    const answer = (idempotencyKey: string, hoursAgo: number) => ({
      apiKeyId: key!.id,
      idempotencyKey,
      requestHash: 'r',
      status: 200,
      response: sql`'{}'::jsonb`,
      createdAt: new Date(Date.now() - hoursAgo * 3_600_000),
    });
    await opened().db.insert(intakeRequests).values([answer('old', 25), answer('fresh', 23)]);
    expect(await cleanupIntakeRequests(opened().db)).toBe(1);
    expect((await opened().db.select({ k: intakeRequests.idempotencyKey }).from(intakeRequests)).map((r) => r.k)).toEqual(['fresh']);
    expect(await cleanupIntakeRequests(opened().db)).toBe(0);
  });
});
