import { inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.ts';
import { teams, type WallScene, type WallScreen } from '../../db/schema/index.ts';
import { eventsHead } from '../events/event-log.ts';
import { exhibitionBoard } from '../metrics/channels.usecases.ts';
import { funnelOf } from '../metrics/funnel.usecases.ts';
import { leaderboardOf } from '../metrics/rep-activity.usecases.ts';
import { organisationDay } from '../settings/settings.repository.ts';
import { rankBy, shownName, type WallExhibitionRow, type WallFunnel, type WallPoolScene, type WallRepCounts, type WallState, type WallWin } from './wall-view.ts';

/** The minutes the pool scene's claim velocity looks back over. */
const VELOCITY_MINUTES = 15;
/** The wins the ticker shows. */
const RECENT_WINS = 10;
/** The funnel counts the leads of the last 30 days; the exhibition board the shows of the last 90. */
const FUNNEL_DAYS = 30;
const EXHIBITION_DAYS = 90;
/** The shows the board has room for. */
const EXHIBITIONS_SHOWN = 8;

/** Whose floor a screen shows: a team's, or (null) the whole organisation's. */
type TeamScope = string | null;

/** The scenes' data of one scope, before a screen's metric and masking are applied. */
interface ScopeData {
  day: string;
  reps: WallRepCounts[] | null;
  pool: WallPoolScene | null;
  wins: WallWin[] | null;
  funnel: WallFunnel | null;
  exhibitions: WallExhibitionRow[] | null;
}

/** The organisation day `days - 1` days before `day`, so [result, day] spans `days` days. */
const daysBefore = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);

// Read once, ranked by each screen's own metric (rankBy).
async function repCounts(db: Db, teamId: TeamScope, now: Date): Promise<WallRepCounts[]> {
  const board = await leaderboardOf(db, teamId, now, 'calls');
  return board.rows.map(({ userId, name, calls, talkSeconds, wins, revenue }) => ({ userId, name, calls, talkSeconds, wins, revenue }));
}

async function exhibitionsOf(db: Db, teamId: TeamScope, day: string): Promise<WallExhibitionRow[]> {
  const rows = await exhibitionBoard(db, { teamId, userId: null }, { from: daysBefore(day, EXHIBITION_DAYS), to: day });
  return rows.slice(0, EXHIBITIONS_SHOWN);
}

/**
 * The pools the scope's reps may claim from (all of them for the organisation) with their unclaimed
 * leads, and the claims of the last 15 minutes per minute (the log's lead_events_by_time index).
 */
export async function poolScene(db: Db, teamId: TeamScope, now: Date): Promise<WallPoolScene> {
  const visible =
    teamId === null
      ? sql`true`
      : sql`(not exists (select 1 from pool_teams pt where pt.pool_id = p.id) or exists (select 1 from pool_teams pt where pt.pool_id = p.id and pt.team_id = ${teamId}))`;
  const pools = rowsOf<{ id: string; name: string | null; unclaimed: number }>(
    await db.execute(sql`
      select p.id, p.name, (select count(*) from leads l where l.pool_id = p.id and l.owner_id is null)::int as unclaimed
      from pools p where ${visible}
      order by p.id = 'company' desc, p.name`),
  );
  const since = new Date(now.getTime() - VELOCITY_MINUTES * 60_000);
  const perMinute = rowsOf<{ ago: number; claims: number }>(
    await db.execute(sql`
      select greatest(0, floor(extract(epoch from (${now.toISOString()}::timestamptz - e.at)) / 60))::int as ago, count(*)::int as claims
      from lead_events e
      -- No upper bound: the log is stamped by the database's clock, which may run a little ahead of ours.
      where e.at > ${since.toISOString()}::timestamptz and e.type = 'lead.claimed'
        ${teamId === null ? sql`` : sql`and e.team_id = ${teamId}`}
      group by 1`),
  );
  const sparkline = Array.from({ length: VELOCITY_MINUTES }, (_, i) => perMinute.find((m) => m.ago === VELOCITY_MINUTES - 1 - i)?.claims ?? 0);
  const claims15m = sparkline.reduce((a, b) => a + b, 0);
  return {
    pools,
    unclaimed: pools.reduce((sum, p) => sum + p.unclaimed, 0),
    claims15m,
    perMinute: Math.round((claims15m / VELOCITY_MINUTES) * 10) / 10,
    sparkline,
  };
}

/** The scope's last won deals, newest first: the rep (of the scope's team), the company and the amount; no contact data. */
export async function recentWins(db: Db, teamId: TeamScope): Promise<WallWin[]> {
  const rows = rowsOf<{ dealId: number; repName: string | null; company: string; amount: number; wonAt: Date | string }>(
    await db.execute(sql`
      select d.id::int as "dealId", u.name as "repName", l.company, d.amount::float8 as amount, d.won_at as "wonAt"
      from deals d join leads l on l.id = d.lead_id left join users u on u.id = d.owner_id
      ${teamId === null ? sql`` : sql`where u.team_id = ${teamId}`}
      order by d.won_at desc, d.id desc
      limit ${RECENT_WINS}`),
  );
  return rows.map((r) => ({ ...r, wonAt: new Date(r.wonAt).toISOString() }));
}

async function scopeData(db: Db, teamId: TeamScope, scenes: Set<WallScene>, now: Date): Promise<ScopeData> {
  const { day } = await organisationDay(db, now);
  const [reps, pool, wins, funnel, exhibitions] = await Promise.all([
    scenes.has('leaderboard') ? repCounts(db, teamId, now) : null,
    scenes.has('pool') ? poolScene(db, teamId, now) : null,
    scenes.has('wins') ? recentWins(db, teamId) : null,
    scenes.has('funnel') ? funnelOf(db, { teamId, userId: null, exhibitionId: null, source: null }, { from: daysBefore(day, FUNNEL_DAYS), to: day }) : null,
    scenes.has('exhibitions') ? exhibitionsOf(db, teamId, day) : null,
  ]);
  return { day, reps, pool, wins, funnel, exhibitions };
}

/**
 * The state of each screen, computed once per distinct scope however many screens show it: each
 * screen then takes its scenes, ranks by its metric and masks names as it is set to.
 */
export async function wallStates(db: Db, screens: WallScreen[], now: Date): Promise<Map<string, WallState>> {
  const states = new Map<string, WallState>();
  if (screens.length === 0) return states;
  const scopes = new Map<TeamScope, Set<WallScene>>();
  for (const screen of screens) {
    const scenes = scopes.get(screen.teamId) ?? new Set();
    screen.scenes.forEach((s) => scenes.add(s));
    scopes.set(screen.teamId, scenes);
  }
  const teamIds = [...scopes.keys()].filter((id): id is string => id !== null);
  // The log's head first: the figures read after it are at least as new as it says.
  const seq = await eventsHead(db);
  const [teamNames, data] = await Promise.all([
    teamIds.length === 0 ? [] : db.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, teamIds)),
    // One scope after another: PGlite has one connection, and PostgreSQL's pool is shared with the requests.
    (async () => {
      const byScope = new Map<TeamScope, ScopeData>();
      for (const [teamId, scenes] of scopes) byScope.set(teamId, await scopeData(db, teamId, scenes, now));
      return byScope;
    })(),
  ]);
  for (const screen of screens) {
    const scope = data.get(screen.teamId)!;
    const shows = (scene: WallScene) => screen.scenes.includes(scene);
    states.set(screen.id, {
      screen: {
        id: screen.id,
        name: screen.name,
        teamName: teamNames.find((t) => t.id === screen.teamId)?.name ?? null,
        scenes: screen.scenes,
        metric: screen.metric,
        rotateSeconds: screen.rotateSeconds,
        maskNames: screen.maskNames,
        sound: screen.sound,
        locale: screen.locale,
      },
      seq,
      at: now.toISOString(),
      day: scope.day,
      leaderboard: shows('leaderboard') && scope.reps ? rankBy(scope.reps, screen.metric, screen.maskNames) : null,
      funnel: shows('funnel') ? scope.funnel : null,
      pool: shows('pool') ? scope.pool : null,
      wins: shows('wins') && scope.wins ? scope.wins.map((w) => ({ ...w, repName: shownName(w.repName, screen.maskNames) })) : null,
      exhibitions: shows('exhibitions') ? scope.exhibitions : null,
    });
  }
  return states;
}
