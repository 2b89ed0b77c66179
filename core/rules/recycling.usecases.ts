import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.ts';
import type { RecycleRule } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import type { Actor } from '../events/lead-event.ts';
import { transactWithEvents } from '../events/event-log.ts';
import { findLeadViews } from '../leads/leads.repository.ts';
import { NotificationOutbox } from '../notifications/notifications.usecases.ts';
import { assignArrivals } from './assignment.usecases.ts';
import { drainInBatches } from './batches.ts';

/** Leads handled per transaction: short enough that claims and follow-ups never wait long on a sweep. */
export const SWEEP_BATCH = 100;

/** The rule as the actor of what it does; the web names it in the reader's language from `id`. */
export const recycleActor = (rule: RecycleRule): Actor => ({ type: 'rule', id: `recycle.${rule}`, name: `recycle.${rule}` });

// The limit of the rule that came due, as the pool has it now (hours for no_follow_up, days for the others).
const ruleLimit = sql`case l.recycle_rule when 'no_follow_up' then p.recycle_no_follow_up_hours when 'idle' then p.recycle_idle_days
  when 'stage_idle' then p.recycle_stage_idle_days else p.recycle_not_won_days end`;

interface Taken {
  id: number;
  owner_id: string;
  owner_name: string | null;
  pool_id: string;
  company: string;
  rule: RecycleRule;
  limit: number;
}

/**
 * Recycles up to `limit` leads due at `now`: each goes back to its pool with `lead.recycled` and
 * a notification to the one who lost it. Rows are locked with SKIP LOCKED and the due time is
 * read under that lock, so a lead another sweep holds is left to it, and a follow-up committed
 * first (which moves the due time) keeps the lead; one waiting for the lock finds it recycled.
 */
async function recycleBatch(ctx: CoreContext, now: Date, limit: number): Promise<number> {
  const outbox = new NotificationOutbox(ctx);
  let lost = new Map<number, string>();
  const count = await transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const taken = rowsOf<Taken>(
      await tx.execute(sql`with due as (
          select l.id, l.owner_id, l.pool_id, l.company, l.recycle_rule as rule, ${ruleLimit} as "limit"
          from leads l join pools p on p.id = l.pool_id
          where l.recycle_due_at <= ${now.toISOString()}::timestamptz
          order by l.recycle_due_at limit ${limit}
          for update of l skip locked),
        returned as (update leads l set owner_id = null, team_id = null, claimed_at = null from due where l.id = due.id returning l.id)
        select due.*, u.name as owner_name from due join returned using (id) left join users u on u.id = due.owner_id`),
    );
    const views = new Map((await findLeadViews(tx, taken.map((t) => Number(t.id)))).map((v) => [v.id, v]));
    for (const t of taken) {
      emit({
        type: 'lead.recycled',
        leadId: Number(t.id),
        actor: recycleActor(t.rule),
        data: { lead: views.get(Number(t.id))!, rule: t.rule, limit: t.limit, previousOwnerId: t.owner_id, previousOwnerName: t.owner_name },
        ownerId: null,
        teamId: null,
      });
    }
    await outbox.write(
      tx,
      now,
      taken.map((t) => ({
        userId: t.owner_id,
        kind: 'lead.recycled',
        leadId: Number(t.id),
        data: { company: t.company, rule: t.rule, limit: t.limit, poolId: t.pool_id },
      })),
    );
    lost = new Map(taken.map((t) => [Number(t.id), t.owner_id]));
    return taken.length;
  });
  outbox.send();
  // Back in the pool, each goes where the recycle door's rules say, never to the rep who lost it.
  await assignArrivals(ctx, 'recycle', [...lost.keys()], lost);
  return count;
}

interface Warned {
  id: number;
  owner_id: string;
  company: string;
  due: string | Date;
  rule: RecycleRule;
  limit: number;
}

/** Warns the owners of up to `limit` leads coming due within their pool's warning hours, once per due time. */
async function warnBatch(ctx: CoreContext, now: Date, limit: number): Promise<number> {
  const outbox = new NotificationOutbox(ctx);
  const count = await ctx.db.transaction(async (tx) => {
    const at = now.toISOString();
    const warned = rowsOf<Warned>(
      await tx.execute(sql`with soon as (
          select l.id, l.owner_id, l.company, l.recycle_due_at as due, l.recycle_rule as rule, ${ruleLimit} as "limit"
          from leads l join pools p on p.id = l.pool_id
          where l.recycle_due_at > ${at}::timestamptz
            and l.recycle_due_at <= ${at}::timestamptz + make_interval(hours => (select max(recycle_warn_hours) from pools))
            and p.recycle_warn_hours > 0 and l.recycle_due_at <= ${at}::timestamptz + make_interval(hours => p.recycle_warn_hours)
            and l.recycle_warned_for is distinct from l.recycle_due_at
          order by l.recycle_due_at limit ${limit}
          for update of l skip locked)
        update leads l set recycle_warned_for = soon.due from soon where l.id = soon.id
        returning soon.*`),
    );
    await outbox.write(
      tx,
      now,
      warned.map((w) => ({
        userId: w.owner_id,
        kind: 'lead.recycle_warning',
        leadId: Number(w.id),
        data: { company: w.company, dueAt: new Date(w.due).toISOString(), rule: w.rule, limit: w.limit },
      })),
    );
    return warned.length;
  });
  outbox.send();
  return count;
}

/** What one sweep did. */
export interface SweepResult {
  warned: number;
  recycled: number;
}

/**
 * The recycling sweep (the `rules.sweep` job, every minute): warns owners of leads coming due,
 * then recycles every lead due now, in batches. Idempotent, and safe on several nodes at once:
 * each lead is warned once per due time and recycled once.
 */
export async function sweepRecycling(ctx: CoreContext, batchSize = SWEEP_BATCH): Promise<SweepResult> {
  const now = ctx.clock.now();
  return {
    warned: await drainInBatches(batchSize, (limit) => warnBatch(ctx, now, limit)),
    recycled: await drainInBatches(batchSize, (limit) => recycleBatch(ctx, now, limit)),
  };
}

/** A pool's recycling policy changed: its held leads get their new due times (and rules). */
export async function rescheduleRecycling(db: Db, poolId: string): Promise<void> {
  await db.execute(sql`select pool_reschedule_recycling(${poolId})`);
}
