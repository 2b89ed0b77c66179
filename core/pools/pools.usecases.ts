import { asc, count, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { assignmentRules, COMPANY_POOL_ID, leads, poolTeams, pools, type Pool } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { rescheduleRecycling } from '../rules/recycling.usecases.ts';
import { assertTeamsExist } from '../teams/teams.usecases.ts';

/** A pool's claiming policy and who may claim from it. */
export const poolInput = z.strictObject({
  // Null only for the company pool (its name then follows the reader's language).
  name: z.string().trim().min(1, 'required').max(100).nullable(),
  holdingLimit: z.number().int().min(1).max(100_000),
  dailyClaimLimit: z.number().int().min(1).max(100_000).nullable(),
  reclaimCooldownDays: z.number().int().min(0).max(365),
  protectNewHours: z.number().int().min(0).max(24 * 30),
  masksContacts: z.boolean(),
  /** Recycling (回收): each rule's limit, or null when the rule is off. */
  recycleNoFollowUpHours: z.number().int().min(1).max(24 * 365).nullable(),
  recycleIdleDays: z.number().int().min(1).max(3650).nullable(),
  recycleStageIdleDays: z.number().int().min(1).max(3650).nullable(),
  recycleNotWonDays: z.number().int().min(1).max(3650).nullable(),
  /** Hours before recycling that the owner is warned; 0: not warned. */
  recycleWarnHours: z.number().int().min(0).max(24 * 30),
  /** An open deal expected at or above this amount is never recycled; null: no such exemption. */
  recycleKeepAmount: z.number().min(0).max(1e12).nullable(),
  /** Member teams; none: open to everyone. */
  teamIds: z.array(z.string().min(1).max(100)).max(200),
});
export type PoolInput = z.infer<typeof poolInput>;

/** A pool as the API carries it. `name` is null for the company pool until an admin names it. */
export type PoolView = Omit<PoolInput, 'name'> & { id: string; name: string | null; isCompanyPool: boolean };

/** The pool's policy: every column but its identity and timestamps. */
const policyOf = ({ id: _id, name: _name, createdAt: _created, updatedAt: _updated, ...policy }: Pool): Omit<PoolInput, 'name' | 'teamIds'> => policy;

/** Every pool with its member teams, the company pool first. */
export async function listPools(db: Db): Promise<PoolView[]> {
  const rows = await db
    .select({
      pool: pools,
      teamIds: sql<string[]>`coalesce((select array_agg(pt.team_id order by pt.team_id) from ${poolTeams} pt where pt.pool_id = ${pools.id}), '{}')`,
    })
    .from(pools)
    .orderBy(sql`${pools.id} = ${COMPANY_POOL_ID} desc`, asc(pools.name));
  return rows.map(({ pool, teamIds }) => ({ id: pool.id, name: pool.name, isCompanyPool: pool.id === COMPANY_POOL_ID, ...policyOf(pool), teamIds }));
}

async function checkInput(db: Db, input: PoolInput, exceptId?: string): Promise<void> {
  if (input.name === null) {
    if (exceptId !== COMPANY_POOL_ID) throw new AppError('request.invalid', { fields: { name: ['required'] } });
  } else {
    const [taken] = await db.select({ id: pools.id }).from(pools).where(eq(pools.name, input.name));
    if (taken && taken.id !== exceptId) throw new AppError('pools.name_taken', { name: input.name });
  }
  await assertTeamsExist(db, input.teamIds, 'teamIds');
}

async function setTeams(tx: Db, poolId: string, teamIds: string[]): Promise<void> {
  await tx.delete(poolTeams).where(eq(poolTeams.poolId, poolId));
  const distinct = [...new Set(teamIds)];
  if (distinct.length > 0) await tx.insert(poolTeams).values(distinct.map((teamId) => ({ poolId, teamId })));
}

const mustFind = async (db: Db, id: string) => {
  const pool = (await listPools(db)).find((p) => p.id === id);
  if (!pool) throw new AppError('pools.not_found', { id });
  return pool;
};

export async function createPool(db: Db, input: PoolInput): Promise<PoolView> {
  await checkInput(db, input);
  const { teamIds, ...policy } = input;
  const id = await db.transaction(async (tx) => {
    const [row] = await tx.insert(pools).values(policy).returning({ id: pools.id });
    await setTeams(tx, row!.id, teamIds);
    return row!.id;
  });
  return mustFind(db, id);
}

export async function updatePool(db: Db, id: string, input: PoolInput): Promise<PoolView> {
  await mustFind(db, id);
  await checkInput(db, input, id);
  const { teamIds, ...policy } = input;
  await db.transaction(async (tx) => {
    await tx.update(pools).set({ ...policy, updatedAt: sql`now()` }).where(eq(pools.id, id));
    await setTeams(tx, id, teamIds);
    // Held leads follow the new recycling policy at once (and their countdowns with them).
    await rescheduleRecycling(tx, id);
  });
  return mustFind(db, id);
}

/** Deletes an empty pool no assignment rule moves leads into; the company pool stays. */
export async function deletePool(db: Db, id: string): Promise<void> {
  if (id === COMPANY_POOL_ID) throw new AppError('pools.company_pool');
  await mustFind(db, id);
  const [held] = await db.select({ n: count() }).from(leads).where(eq(leads.poolId, id));
  if (held!.n > 0) throw new AppError('pools.not_empty', { leads: held!.n });
  // An assignment rule that moves leads here would have nowhere to put them.
  const rules = await db
    .select({ name: assignmentRules.name })
    .from(assignmentRules)
    .where(sql`${assignmentRules.action}->>'type' = 'pool' and ${assignmentRules.action}->>'poolId' = ${id}`);
  if (rules.length > 0) throw new AppError('pools.in_use', { rules: rules.map((r) => r.name) });
  await db.delete(pools).where(eq(pools.id, id));
}
