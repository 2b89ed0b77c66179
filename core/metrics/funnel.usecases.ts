import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Db } from '../../db/client.ts';
import { sourceChannels, type SourceChannel, type Stage, type StageKind } from '../../db/schema/index.ts';
import { listStages, type StageView } from '../pipeline/pipeline-config.usecases.ts';
import { getSettings } from '../settings/settings.repository.ts';
import type { Viewer } from '../viewer.ts';
import { inScope, periodBounds, periodQuery, scopeQuery, viewerScope, type MetricScope } from './scope.ts';

export const funnelQuery = z.intersection(
  periodQuery,
  scopeQuery.extend({ exhibitionId: z.string().max(100).optional(), source: z.enum(sourceChannels).optional() }),
);

/** The leads a funnel counts: those created in a period, in a scope, from one exhibition or source when given. */
export interface FunnelFilter extends MetricScope {
  exhibitionId: string | null;
  source: SourceChannel | null;
}

export interface FunnelStage {
  key: Stage;
  kind: StageKind;
  /** An admin's name; null: the built-in stage's name in the reader's language. */
  name: string | null;
  /** Leads that got this far (now here, further on, or lost after getting here). */
  reached: number;
  /** Leads in this stage now. */
  current: number;
  /** reached / the previous stage's reached; null for the first stage or when none reached the previous. */
  conversion: number | null;
}

export interface Funnel {
  from: string;
  to: string;
  /** Leads created in the period (the first stage's `reached`). */
  total: number;
  /** The open stages in order, then won. */
  stages: FunnelStage[];
  /** Leads lost, wherever they were lost from. */
  lost: number;
}

/** Leads counted by the furthest stage they reached and where they are now: the SQL, also run bare by bench/dashboard.bench.ts. */
export function funnelSql(filter: FunnelFilter, period: { from: string; to: string }, timeZone: string): SQL {
  const { start, end } = periodBounds(period, timeZone);
  return sql`
    select coalesce(l.furthest_stage, l.stage) as furthest, l.stage, count(*)::int as leads
    from leads l
    where l.created_at >= ${start} and l.created_at < ${end} and ${inScope(filter, sql`l.team_id`, sql`l.owner_id`)}
      ${filter.exhibitionId === null ? sql`` : sql`and l.exhibition_id = ${filter.exhibitionId}`}
      ${filter.source === null ? sql`` : sql`and l.source_channel = ${filter.source}`}
    group by 1, 2`;
}

/** Folds the counts by (furthest, stage) into the funnel: a lead reached every stage up to its furthest. */
export function foldFunnel(stages: StageView[], counts: { furthest: Stage; stage: Stage; leads: number }[], period: { from: string; to: string }): Funnel {
  const steps = stages.filter((s) => s.kind !== 'lost');
  const index = new Map(steps.map((s, i) => [s.key, i]));
  const lostKeys = new Set(stages.filter((s) => s.kind === 'lost').map((s) => s.key));
  const reached = steps.map(() => 0);
  const current = new Map<Stage, number>();
  let lost = 0;
  for (const { furthest, stage, leads } of counts) {
    // A lead lost before the column kept its furthest stage (or in a stage since removed) reached the first.
    const last = index.get(furthest) ?? 0;
    for (let i = 0; i <= last; i++) reached[i]! += leads;
    current.set(stage, (current.get(stage) ?? 0) + leads);
    if (lostKeys.has(stage)) lost += leads;
  }
  return {
    ...period,
    total: reached[0] ?? 0,
    lost,
    stages: steps.map((s, i) => ({
      key: s.key,
      kind: s.kind,
      name: s.name,
      reached: reached[i]!,
      current: current.get(s.key) ?? 0,
      conversion: i === 0 || reached[i - 1] === 0 ? null : reached[i]! / reached[i - 1]!,
    })),
  };
}

/** The funnel of the leads created in a period (organisation days) that a filter selects. */
export async function funnelOf(db: Db, filter: FunnelFilter, period: { from: string; to: string }): Promise<Funnel> {
  const [stages, { timeZone }] = await Promise.all([listStages(db), getSettings(db)]);
  const counts = rowsOf<{ furthest: Stage; stage: Stage; leads: number }>(await db.execute(funnelSql(filter, period, timeZone)));
  return foldFunnel(stages, counts, period);
}

/** The funnel in the viewer's scope: a rep's own leads, a manager's team's, any for an admin. */
export async function viewerFunnel(db: Db, viewer: Viewer, input: z.infer<typeof funnelQuery>): Promise<Funnel> {
  const scope = viewerScope(viewer, input);
  return funnelOf(db, { ...scope, exhibitionId: input.exhibitionId ?? null, source: input.source ?? null }, { from: input.from, to: input.to });
}
