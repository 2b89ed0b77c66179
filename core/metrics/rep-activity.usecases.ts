import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Db } from '../../db/client.ts';
import { csvBom, csvLine } from '../csv.ts';
import { getSettings, organisationDay, organisationDaySql } from '../settings/settings.repository.ts';
import type { Viewer } from '../viewer.ts';
import { inScope, periodBounds, periodQuery, scopeQuery, viewerScope } from './scope.ts';

/** A rep's counters (db/schema/metrics.table.ts rep_daily), summed over a day or a period. */
export interface RepCounters {
  claims: number;
  calls: number;
  connected: number;
  talkSeconds: number;
  followUps: number;
  stageAdvances: number;
  wins: number;
  revenue: number;
}

/** What a leaderboard can rank by (the wall screen's admin-chosen metric among them). */
export const leaderboardMetrics = ['calls', 'talkSeconds', 'wins', 'revenue', 'claims', 'connected', 'followUps'] as const;
export type LeaderboardMetric = (typeof leaderboardMetrics)[number];

// rep_daily's columns; claims come from the log (see repDaily in db/schema/metrics.table.ts).
const columnOf: Record<Exclude<keyof RepCounters, 'claims'>, string> = {
  calls: 'calls',
  connected: 'connected',
  talkSeconds: 'talk_seconds',
  followUps: 'follow_ups',
  stageAdvances: 'stage_advances',
  wins: 'wins',
  revenue: 'revenue',
};
const counterKeys = Object.keys(columnOf) as (keyof typeof columnOf)[];

// rep_daily's counters summed (coalesced to 0 for a rep with no row), as columns named like RepCounters.
const summed = (alias: string) => sql.raw(counterKeys.map((k) => `coalesce(sum(${alias}.${columnOf[k]}), 0)::float8 as "${k}"`).join(', '));

// A rep's claims in [start, end): the log's lead_events_claims_by_actor index answers it per rep.
const claimsOf = (user: SQL, start: SQL, end: SQL) =>
  sql`(select count(*) from lead_events e where e.type = 'lead.claimed' and e.actor_id = ${user} and e.at >= ${start} and e.at < ${end})::float8`;


// The reps a scope ranks: active reps of the team (every team's for the whole organisation).
const repsOf = (teamId: string | null): SQL => sql`u.role = 'rep' and u.active ${teamId === null ? sql`` : sql`and u.team_id = ${teamId}`}`;

export const leaderboardQuery = z.object({
  metric: z.enum(leaderboardMetrics).default('calls'),
  teamId: z.string().max(100).optional(),
});

export interface LeaderboardRow extends RepCounters {
  rank: number;
  userId: string;
  name: string;
  teamId: string | null;
}
export interface Leaderboard {
  /** The organisation's day (its time zone). */
  day: string;
  metric: LeaderboardMetric;
  /** How many reps the ranking is among. */
  ranked: number;
  /** Best first; ties share a rank. A rep sees only their own row. */
  rows: LeaderboardRow[];
}

/**
 * The ranking of a team's reps (every rep's for a null team) by `metric` on the organisation's day that
 * holds `now`, in one statement (the day's bounds from the settings' time zone included): the SQL, also
 * run bare by bench/dashboard.bench.ts.
 */
export function leaderboardSql(teamId: string | null, metric: LeaderboardMetric, now: Date): SQL {
  const order = sql.raw(`"${metric}" desc`);
  return sql`
    with today as (
      select o.d as day, o.starts, o.ends from settings s cross join lateral (${organisationDaySql(now, sql`s.time_zone`)}) o where s.id = 1
    )
    select to_char(t.day, 'YYYY-MM-DD') as day, t.ends as "dayEnds", rank() over (order by ${order})::int as rank, counted.* from (
      select u.id as "userId", u.name, u.team_id as "teamId", ${summed('r')},
        ${claimsOf(sql`u.id`, sql`t.starts`, sql`t.ends`)} as claims
      from today t cross join users u left join rep_daily r on r.user_id = u.id and r.day = t.day
      where ${repsOf(teamId)}
      group by u.id, t.starts, t.ends
    ) counted cross join today t
    order by ${order}, name`;
}

/** Today's leaderboard of a team (the whole organisation for null): every active rep, those without a count at 0; and when its day ends. */
export async function leaderboardOf(db: Db, teamId: string | null, now: Date, metric: LeaderboardMetric): Promise<Leaderboard & { endsAt: Date }> {
  const rows = rowsOf<LeaderboardRow & { day: string; dayEnds: string | Date }>(await db.execute(leaderboardSql(teamId, metric, now)));
  const { day, end } = rows[0] ? { day: rows[0].day, end: new Date(rows[0].dayEnds) } : await organisationDay(db, now);
  return { day, endsAt: end, metric, ranked: rows.length, rows: rows.map(({ day: _, dayEnds: __, ...row }) => row) };
}

/** Where today's leaderboards come from: computed, or kept until the counters move (core/metrics/leaderboard-cache.ts). */
export type LeaderboardSource = (teamId: string | null, metric: LeaderboardMetric) => Promise<Leaderboard>;

/** Today's leaderboard in the viewer's scope: a manager's team, any team or all for an admin; a rep sees only their own row, ranked in their team. */
export async function todayLeaderboard(boards: LeaderboardSource, viewer: Viewer, input: z.infer<typeof leaderboardQuery>): Promise<Leaderboard> {
  const scope = viewerScope(viewer, { teamId: input.teamId });
  const { day, metric, ranked, rows } = await boards(scope.teamId, input.metric);
  return { day, metric, ranked, rows: scope.userId === null ? rows : rows.filter((r) => r.userId === scope.userId) };
}

export const activityGrains = ['day', 'week', 'month'] as const;
export const activityQuery = z.intersection(periodQuery, scopeQuery.extend({ grain: z.enum(activityGrains).default('day') }));

export interface ActivityRow extends RepCounters {
  /** The period's first day (a week starts on Monday). */
  period: string;
  userId: string;
  name: string;
  teamId: string | null;
}

/** Each rep's counters per day, week or month of [from, to] (organisation days), in the viewer's scope; periods without activity left out. */
export async function repActivity(db: Db, viewer: Viewer, input: z.infer<typeof activityQuery>): Promise<ActivityRow[]> {
  const scope = viewerScope(viewer, input);
  const grain = sql.raw(`'${input.grain}'`);
  const { timeZone } = await getSettings(db);
  const { start, end } = periodBounds(input, timeZone);
  // The counters from rep_daily, and the claims from the log (each rep's range of its claims index), per period.
  return rowsOf<ActivityRow>(
    await db.execute(sql`
      with daily as (
        select date_trunc(${grain}, r.day)::date as period, r.user_id, ${summed('r')}, 0::float8 as claims
        from rep_daily r
        where r.day between ${input.from}::date and ${input.to}::date and ${inScope(scope, sql`r.team_id`, sql`r.user_id`)}
        group by 1, 2
      ), claimed as (
        select date_trunc(${grain}, (e.at at time zone ${timeZone})::date)::date as period, e.actor_id as user_id, count(*)::float8 as claims
        from users c join lead_events e on e.type = 'lead.claimed' and e.actor_id = c.id and e.at >= ${start} and e.at < ${end}
        where ${inScope(scope, sql`e.team_id`, sql`c.id`)}
        group by 1, 2
      )
      select to_char(x.period, 'YYYY-MM-DD') as period, u.id as "userId", u.name, u.team_id as "teamId",
        ${sql.raw([...counterKeys, 'claims'].map((k) => `sum(x."${k}")::float8 as "${k}"`).join(', '))}
      from (select period, user_id, ${sql.raw(counterKeys.map((k) => `"${k}"`).join(', '))}, claims from daily
            union all select period, user_id, ${sql.raw(counterKeys.map(() => '0').join(', '))}, claims from claimed) x
        join users u on u.id = x.user_id
      group by 1, u.id
      order by 1, u.name`),
  );
}

const activityHeaders = {
  'zh-CN': ['周期', '销售', '领取', '通话', '接通', '通话时长（秒）', '跟进', '推进阶段', '赢单', '成交金额（元）'],
  en: ['Period', 'Rep', 'Claims', 'Calls', 'Connected', 'Talk time (s)', 'Follow-ups', 'Stage advances', 'Wins', 'Revenue (CNY)'],
};

/** The activity table as CSV (UTF-8 with BOM, so Excel reads the Chinese names), headers in `lang`. */
export function activityCsv(rows: ActivityRow[], lang: 'zh-CN' | 'en'): string {
  return (
    csvBom +
    csvLine(activityHeaders[lang]) +
    rows.map((r) => csvLine([r.period, r.name, r.claims, r.calls, r.connected, r.talkSeconds, r.followUps, r.stageAdvances, r.wins, r.revenue])).join('')
  );
}
