import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, sqlArray, type Db } from '../../db/client.ts';
import type { Stage } from '../../db/schema/index.ts';
import { listStages } from '../pipeline/pipeline-config.usecases.ts';
import { getSettings, type ReminderSettings } from '../settings/settings.repository.ts';
import type { Viewer } from '../viewer.ts';
import { inScope, periodBounds, periodQuery, scopeQuery, viewerScope, type MetricScope } from './scope.ts';

export const healthQuery = z.intersection(periodQuery, scopeQuery);

/** How long won deals took, from the lead's arrival to the order, in days. */
export interface SalesCycle {
  deals: number;
  averageDays: number | null;
  medianDays: number | null;
}

/** Why a held lead is at risk: the pool takes it back within a day; a follow-up is overdue; it sits too long in its stage. */
export const riskReasons = ['recycling', 'overdue', 'stage_idle'] as const;
export type RiskReason = (typeof riskReasons)[number];

export interface RiskyLead {
  id: number;
  company: string;
  ownerId: string;
  ownerName: string;
  stage: Stage;
  reason: RiskReason;
  /** When it recycles, or since when it is overdue or idle. */
  since: string;
}

export interface LeadsAtRisk {
  counts: Record<RiskReason, number>;
  /** The most urgent first, at most 20. */
  leads: RiskyLead[];
}

export interface PipelineHealth {
  cycle: SalesCycle;
  atRisk: LeadsAtRisk;
}

const days = sql`extract(epoch from d.won_at - l.created_at) / 86400`;

/** The sales cycle of the deals won in a period, in a scope (the lead's team, the deal's owner). */
export async function salesCycle(db: Db, scope: MetricScope, period: { from: string; to: string }): Promise<SalesCycle> {
  const { timeZone } = await getSettings(db);
  const { start, end } = periodBounds(period, timeZone);
  const [row] = rowsOf<SalesCycle>(
    await db.execute(sql`
      select count(*)::int as deals, avg(${days})::float8 as "averageDays",
        percentile_cont(0.5) within group (order by ${days})::float8 as "medianDays"
      from deals d join leads l on l.id = d.lead_id
      where d.won_at >= ${start} and d.won_at < ${end} and ${inScope(scope, sql`l.team_id`, sql`d.owner_id`)}`),
  );
  return row!;
}

// Each held open lead's first risk, in this order, and its time: the reminders' thresholds decide "overdue" and "idle".
function riskSql(reminders: ReminderSettings, now: Date, open: Stage[], scope: MetricScope, tail: SQL): SQL {
  const at = sql`${now.toISOString()}::timestamptz`;
  const unhandled =
    reminders.unhandledHours === null
      ? sql`false`
      : sql`(l.claimed_at <= ${at} - make_interval(hours => ${reminders.unhandledHours}::int) and (l.last_follow_up_at is null or l.last_follow_up_at < l.claimed_at))`;
  const idleDays = sql`(${JSON.stringify(reminders.stageIdleDays)}::jsonb ->> l.stage)::int`;
  return sql`
    with risky as (
      select l.id, l.company, l.owner_id, l.stage,
        case when l.recycle_due_at <= ${at} + interval '1 day' then 'recycling'
             when ${unhandled} or l.next_follow_up_at <= ${at} then 'overdue'
             when l.stage_changed_at <= ${at} - make_interval(days => ${idleDays}) then 'stage_idle' end as reason,
        case when l.recycle_due_at <= ${at} + interval '1 day' then l.recycle_due_at
             when ${unhandled} then l.claimed_at + make_interval(hours => ${reminders.unhandledHours ?? 0}::int)
             when l.next_follow_up_at <= ${at} then l.next_follow_up_at
             else l.stage_changed_at + make_interval(days => ${idleDays}) end as since
      from leads l
      where l.owner_id is not null and l.stage = any(${sqlArray(open, 'text')}) and ${inScope(scope, sql`l.team_id`, sql`l.owner_id`)}
    )
    ${tail}`;
}

/** The held open leads in a scope that are about to recycle, overdue for a follow-up, or idle in their stage. */
export async function leadsAtRisk(db: Db, scope: MetricScope, now: Date): Promise<LeadsAtRisk> {
  const [{ reminders }, stages] = await Promise.all([getSettings(db), listStages(db)]);
  const open = stages.filter((s) => s.kind === 'open').map((s) => s.key);
  // One pass over the scope's held leads for the counts and the most urgent.
  const [row] = rowsOf<{ counts: Partial<Record<RiskReason, number>>; leads: (RiskyLead & { since: string })[] }>(
    await db.execute(
      riskSql(
        reminders,
        now,
        open,
        scope,
        sql`, flagged as materialized (select * from risky where reason is not null)
          select
            (select coalesce(json_object_agg(reason, n), '{}') from (select reason, count(*)::int as n from flagged group by reason) c) as counts,
            (select coalesce(json_agg(x), '[]') from (
              select f.id::float8 as id, f.company, f.owner_id as "ownerId", u.name as "ownerName", f.stage, f.reason, f.since
              from flagged f join users u on u.id = f.owner_id
              order by array_position(array['recycling', 'overdue', 'stage_idle'], f.reason), f.since limit 20) x) as leads`,
      ),
    ),
  );
  const counts = Object.fromEntries(riskReasons.map((r) => [r, row?.counts[r] ?? 0])) as Record<RiskReason, number>;
  return { counts, leads: (row?.leads ?? []).map((l) => ({ ...l, since: new Date(l.since).toISOString() })) };
}

/** The sales cycle of a period and the leads at risk now, in the viewer's scope. */
export async function viewerHealth(db: Db, viewer: Viewer, now: Date, input: z.infer<typeof healthQuery>): Promise<PipelineHealth> {
  const scope = viewerScope(viewer, input);
  const [cycle, atRisk] = await Promise.all([salesCycle(db, scope, input), leadsAtRisk(db, scope, now)]);
  return { cycle, atRisk };
}
