import postgres from 'postgres';
import { migrateDatabase, openDatabase, type Database } from '../db/client.ts';
import { leads } from '../db/schema/index.ts';
import { now } from './stats.ts';

/**
 * The floor under the full stack: the claim's essential SQL — a conditional UPDATE and an
 * event insert in one transaction — with no HTTP, auth, holding limit, lead view or fan-out.
 */
export interface BareTarget {
  /** One claim transaction on lead `id` for user `userId`; resolves true if it won. */
  claim(userId: string, teamId: string | null, id: number): Promise<boolean>;
  close(): Promise<void>;
}

export function bareOnPostgres(url: string, poolSize: number): BareTarget {
  const sql = postgres(url, { max: poolSize, onnotice: () => {} });
  return {
    async claim(userId, teamId, id) {
      return sql.begin(async (tx) => {
        const won = await tx`update leads set owner_id = ${userId}, team_id = ${teamId}, claimed_at = now() where id = ${id} and owner_id is null returning id`;
        if (won.length === 0) return false;
        await tx`insert into lead_events (lead_id, type, actor_type, actor_id, actor_name, owner_id, team_id, data)
                 values (${id}, 'lead.claimed', 'user', ${userId}, 'bench', ${userId}, ${teamId}, ${sql.json({ lead: { id } })})`;
        return true;
      });
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/** PGlite in this process, on disk like the server's, with the app's migrations and `count` pool leads. */
export async function bareOnPglite(dataDir: string, count: number): Promise<BareTarget & { leadIds: number[]; userId: string }> {
  const database: Database = await openDatabase({ dataDir });
  await migrateDatabase(database);
  const pg = database.pglite!;
  const userId = crypto.randomUUID();
  await pg.query(`insert into users (id, name, email, role) values ($1, 'bench', 'bare@bench.local', 'rep')`, [userId]);
  const leadIds: number[] = [];
  for (let start = 0; start < count; start += 1000) {
    const rows = await database.db
      .insert(leads)
      .values(Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({ company: `bare ${start + i}` })))
      .returning({ id: leads.id });
    leadIds.push(...rows.map((r) => r.id));
  }
  return {
    leadIds,
    userId,
    async claim(user, teamId, id) {
      return pg.transaction(async (tx) => {
        const won = await tx.query(`update leads set owner_id = $1, team_id = $2, claimed_at = now() where id = $3 and owner_id is null returning id`, [user, teamId, id]);
        if (won.rows.length === 0) return false;
        await tx.query(
          `insert into lead_events (lead_id, type, actor_type, actor_id, actor_name, owner_id, team_id, data) values ($1, 'lead.claimed', 'user', $2, 'bench', $2, $3, $4)`,
          [id, user, teamId, JSON.stringify({ lead: { id } })],
        );
        return true;
      });
    },
    close: () => database.close(),
  };
}

/** Closed loop: `concurrency` callers each claim the next unclaimed id until `seconds` pass or ids run out. */
export async function closedLoop(ids: number[], concurrency: number, seconds: number, claim: (id: number, worker: number) => Promise<boolean>) {
  let next = 0;
  let won = 0;
  let failed = 0;
  const start = now();
  const deadline = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (now() < deadline && next < ids.length) {
        const id = ids[next++]!;
        try {
          if (await claim(id, worker)) won++;
          else failed++;
        } catch {
          failed++;
        }
      }
    }),
  );
  const elapsed = (now() - start) / 1000;
  return { won, failed, elapsed, perSecond: won / elapsed, exhausted: next >= ids.length };
}
