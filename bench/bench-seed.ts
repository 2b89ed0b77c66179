import postgres from 'postgres';
import { hashPassword } from 'better-auth/crypto';
import { companyKey } from '../core/dedup/cleaning.ts';
import type { Db } from '../db/client.ts';
import { eq } from 'drizzle-orm';
import { accounts, COMPANY_POOL_ID, leads, pools, teams, users } from '../db/schema/index.ts';

export const benchPassword = 'bench-pass-1234';
export const benchAdminEmail = 'bench-admin@bench.local';

export interface SeedPlan {
  reps: number;
  observers: number;
  /** Lead ids are handed out in blocks, one per phase, in this order. */
  leadBlocks: Record<string, number>;
}

export interface SeedResult {
  repEmails: string[];
  observerEmails: string[];
  /** Phase name -> the ids of its pool leads. */
  leads: Record<string, number[]>;
}

/**
 * Seeds what the benchmark needs on a fresh database: one team, R reps and O observers
 * (all role `rep`) and an admin, with one precomputed password hash as the demo seed does, the pool leads
 * of every phase, and a holding limit high enough that only the storm meets a real limit.
 */
export async function seedBench(db: Db, plan: SeedPlan): Promise<SeedResult> {
  const password = await hashPassword(benchPassword);
  const [team] = await db.insert(teams).values({ name: 'bench team' }).returning();
  const people = [
    ...Array.from({ length: plan.reps }, (_, i) => ({ name: `压测销售${i + 1}`, email: `bench-rep${i + 1}@bench.local` })),
    ...Array.from({ length: plan.observers }, (_, i) => ({ name: `观察员${i + 1}`, email: `bench-obs${i + 1}@bench.local` })),
  ].map((p) => ({ ...p, id: crypto.randomUUID(), role: 'rep' as 'rep' | 'admin', teamId: team!.id as string | null, emailVerified: true }));
  // The admin reads the event log and every lead's owner to check the storm.
  people.push({ name: '压测管理员', email: benchAdminEmail, id: crypto.randomUUID(), role: 'admin', teamId: null, emailVerified: true });
  for (let i = 0; i < people.length; i += 500) {
    const slice = people.slice(i, i + 500);
    await db.insert(users).values(slice);
    await db.insert(accounts).values(slice.map((p) => ({ id: crypto.randomUUID(), userId: p.id, accountId: p.id, providerId: 'credential', password })));
  }
  await db.update(pools).set({ holdingLimit: 1_000_000 }).where(eq(pools.id, COMPANY_POOL_ID));

  const result: SeedResult = { repEmails: people.slice(0, plan.reps).map((p) => p.email), observerEmails: people.slice(plan.reps, plan.reps + plan.observers).map((p) => p.email), leads: {} };
  let n = 0;
  for (const [phase, count] of Object.entries(plan.leadBlocks)) {
    const ids: number[] = [];
    for (let start = 0; start < count; start += 1000) {
      const rows = Array.from({ length: Math.min(1000, count - start) }, () => {
        n++;
        return {
          company: `压测${phase}有限公司${n}`,
          companyKey: companyKey(`压测${phase}有限公司${n}`),
          contactName: '张三',
          mobile: `+86138${String(n).padStart(8, '0')}`,
          province: '浙江省',
          city: '杭州市',
          industry: '机械设备',
          intent: 'B' as const,
        };
      });
      const inserted = await db.insert(leads).values(rows).returning({ id: leads.id });
      ids.push(...inserted.map((r) => r.id));
    }
    result.leads[phase] = ids;
  }
  return result;
}

/** Drops and creates the database `url` names (which must say "bench" or "dashboard", so no real one is dropped). */
export async function freshPostgres(url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  if (!/bench|dashboard/i.test(name)) throw new Error(`The bench's database URL names database "${name}"; the bench drops and recreates it, so its name must contain "bench" or "dashboard".`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  await sql.unsafe(`drop database if exists "${name}" with (force)`);
  await sql.unsafe(`create database "${name}"`);
  await sql.end();
}
