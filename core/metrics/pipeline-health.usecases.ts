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

const hour = 3_600_000;
const ts = (t: Date): SQL => sql`${t.toISOString()}::timestamptz`;

/**
 * Each held open lead's first risk, in this order, and its time: the reminders' thresholds decide
 * "overdue" and "idle". The thresholds are worked out here, so the scan of every held lead compares
 * plain columns, and only a flagged lead's time is computed.
 */
function riskSql(reminders: ReminderSettings, now: Date, open: Stage[], scope: MetricScope, tail: SQL): SQL {
  const recycling = sql`l.recycle_due_at <= ${ts(new Date(now.getTime() + 24 * hour))}`;
  // Unqualified: it reads the lead's columns in both steps below.
  const unhandled =
    reminders.unhandledHours === null
      ? sql`false`
      : sql`(claimed_at <= ${ts(new Date(now.getTime() - reminders.unhandledHours * hour))} and (last_follow_up_at is null or last_follow_up_at < claimed_at))`;
  const idleDays = Object.entries(reminders.stageIdleDays).filter(([stage]) => open.includes(stage as Stage));
  const idle = idleDays.length
    ? sql.join(
        idleDays.map(([stage, days]) => sql`(l.stage = ${stage} and l.stage_changed_at <= ${ts(new Date(now.getTime() - days * 24 * hour))})`),
        sql` or `,
      )
    : sql`false`;
  const idleSince = idleDays.length
    ? sql`f.stage_changed_at + make_interval(days => case f.stage ${sql.join(
        idleDays.map(([stage, days]) => sql`when ${stage} then ${days}::int`),
        sql` `,
      )} end)`
    : sql`null::timestamptz`;
  return sql`
    with scanned as (
      select l.id, l.owner_id, l.stage, l.recycle_due_at, l.claimed_at, l.last_follow_up_at, l.next_follow_up_at, l.stage_changed_at,
        case when ${recycling} then 'recycling'
             when ${unhandled} or l.next_follow_up_at <= ${ts(now)} then 'overdue'
             when ${idle} then 'stage_idle' end as reason
      from leads l
      where l.owner_id is not null and l.stage = any(${sqlArray(open, 'text')}) and ${inScope(scope, sql`l.team_id`, sql`l.owner_id`)}
    ), risky as materialized (
      select f.id, f.owner_id, f.stage, f.reason,
        case when f.reason = 'recycling' then f.recycle_due_at
             when f.reason = 'stage_idle' then ${idleSince}
             when ${unhandled} then f.claimed_at + make_interval(hours => ${reminders.unhandledHours ?? 0}::int)
             else f.next_follow_up_at end as since
      from scanned f where f.reason is not null
    )
    ${tail}`;
}

/** The held open leads in a scope that are about to recycle, overdue for a follow-up, or idle in their stage. */
export async function leadsAtRisk(db: Db, scope: MetricScope, now: Date): Promise<LeadsAtRisk> {
  const [{ reminders }, stages] = await Promise.all([getSettings(db), listStages(db)]);
  const open = stages.filter((s) => s.kind === 'open').map((s) => s.key);
  // One pass over the scope's held leads for the counts and the most urgent; the company only for those.
  const tail = sql`select
      (select coalesce(json_object_agg(reason, n), '{}') from (select reason, count(*)::int as n from risky group by reason) c) as counts,
      (select coalesce(json_agg(x), '[]') from (
        select r.id::float8 as id, l.company, r.owner_id as "ownerId", u.name as "ownerName", r.stage, r.reason, r.since
        from (select * from risky order by array_position(array['recycling', 'overdue', 'stage_idle'], reason), since limit 20) r
        join leads l on l.id = r.id join users u on u.id = r.owner_id
        order by array_position(array['recycling', 'overdue', 'stage_idle'], r.reason), r.since) x) as leads`;
  const [row] = rowsOf<{ counts: Partial<Record<RiskReason, number>>; leads: (RiskyLead & { since: string })[] }>(await db.execute(riskSql(reminders, now, open, scope, tail)));
  const counts = Object.fromEntries(riskReasons.map((r) => [r, row?.counts[r] ?? 0])) as Record<RiskReason, number>;
  return { counts, leads: (row?.leads ?? []).map((l) => ({ ...l, since: new Date(l.since).toISOString() })) };
}

/** The sales cycle of a period and the leads at risk now, in the viewer's scope. */
export async function viewerHealth(db: Db, viewer: Viewer, now: Date, input: z.infer<typeof healthQuery>): Promise<PipelineHealth> {
  const scope = viewerScope(viewer, input);
  const [cycle, atRisk] = await Promise.all([salesCycle(db, scope, input), leadsAtRisk(db, scope, now)]);
  return { cycle, atRisk };
}
