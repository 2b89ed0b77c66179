import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, sqlArray, type Db } from '../../db/client.ts';
import type { SourceChannel, Stage } from '../../db/schema/index.ts';
import { listStages } from '../pipeline/pipeline-config.usecases.ts';
import { getSettings } from '../settings/settings.repository.ts';
import type { Viewer } from '../viewer.ts';
import { inScope, periodBounds, periodQuery, scopeQuery, viewerScope, type MetricScope } from './scope.ts';

export const channelsQuery = z.intersection(periodQuery, scopeQuery);

/** How good a source's leads are: how many, how many were taken, won, and what they brought in (CNY). */
export interface SourceQuality {
  source: SourceChannel;
  leads: number;
  held: number;
  won: number;
  revenue: number;
}

/** A trade show's leads and what they became, against what it cost. Ratios are null where they would divide by 0. */
export interface ExhibitionQuality {
  id: string;
  name: string;
  city: string;
  startsOn: string;
  endsOn: string;
  cost: number;
  leads: number;
  held: number;
  won: number;
  revenue: number;
  /** Won revenue / cost. */
  roi: number | null;
  costPerLead: number | null;
  costPerWon: number | null;
}

const wonStages = async (db: Db): Promise<Stage[]> => (await listStages(db)).filter((s) => s.kind === 'won').map((s) => s.key);

// Counted per lead: taken (held now), won and, for a won lead, its order's amount.
const tally = (won: Stage[]) => {
  const isWon = sql`l.stage = any(${sqlArray(won, 'text')})`;
  return sql`count(l.id)::int as leads, count(l.owner_id)::int as held, count(*) filter (where ${isWon})::int as won,
    coalesce(sum(d.amount) filter (where ${isWon}), 0)::float8 as revenue`;
};

/** Each source's leads created in a period, in a scope: the SQL, also run bare by bench/dashboard.bench.ts. */
export function sourcesSql(scope: MetricScope, period: { from: string; to: string }, timeZone: string, won: Stage[]): SQL {
  const { start, end } = periodBounds(period, timeZone);
  return sql`
    select l.source_channel as source, ${tally(won)}
    from leads l left join deals d on d.lead_id = l.id
    where l.created_at >= ${start} and l.created_at < ${end} and ${inScope(scope, sql`l.team_id`, sql`l.owner_id`)}
    group by 1
    order by 2 desc`;
}

/**
 * The exhibition board: the shows held in a period (overlapping it) with all their leads in a scope, and
 * ROI against the show's whole cost. The SQL, also run bare by bench/dashboard.bench.ts.
 */
export function exhibitionBoardSql(scope: MetricScope, period: { from: string; to: string }, won: Stage[]): SQL {
  // Per show, a lateral count over its own leads (leads_by_exhibition): a join with the scope's condition
  // would let the planner read every lead of every team.
  return sql`
    select x.id, x.name, x.city, to_char(x.starts_on, 'YYYY-MM-DD') as "startsOn", to_char(x.ends_on, 'YYYY-MM-DD') as "endsOn",
      x.cost::float8 as cost, t.leads, t.held, t.won, t.revenue
    from exhibitions x
      cross join lateral (
        select ${tally(won)}
        from leads l left join deals d on d.lead_id = l.id
        where l.exhibition_id = x.id and ${inScope(scope, sql`l.team_id`, sql`l.owner_id`)}
      ) t
    where x.starts_on <= ${period.to}::date and x.ends_on >= ${period.from}::date
    order by x.starts_on desc, x.name`;
}

const ratio = (a: number, b: number) => (b === 0 ? null : a / b);

export async function sourceQuality(db: Db, scope: MetricScope, period: { from: string; to: string }): Promise<SourceQuality[]> {
  const [won, { timeZone }] = await Promise.all([wonStages(db), getSettings(db)]);
  return rowsOf<SourceQuality>(await db.execute(sourcesSql(scope, period, timeZone, won)));
}

export async function exhibitionBoard(db: Db, scope: MetricScope, period: { from: string; to: string }): Promise<ExhibitionQuality[]> {
  const rows = rowsOf<Omit<ExhibitionQuality, 'roi' | 'costPerLead' | 'costPerWon'>>(await db.execute(exhibitionBoardSql(scope, period, await wonStages(db))));
  return rows.map((r) => ({ ...r, roi: ratio(r.revenue, r.cost), costPerLead: ratio(r.cost, r.leads), costPerWon: ratio(r.cost, r.won) }));
}

export const viewerSources = (db: Db, viewer: Viewer, input: z.infer<typeof channelsQuery>) => sourceQuality(db, viewerScope(viewer, input), input);
export const viewerExhibitions = (db: Db, viewer: Viewer, input: z.infer<typeof channelsQuery>) => exhibitionBoard(db, viewerScope(viewer, input), input);
