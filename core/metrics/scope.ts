import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { AppError } from '../errors.ts';
import type { Viewer } from '../viewer.ts';

/** Whose figures a dashboard counts: a team's (null: the whole organisation's) and, within it, one rep's (null: every rep's). */
export interface MetricScope {
  teamId: string | null;
  userId: string | null;
}

/** A dashboard's filters by team and rep, as the query string carries them. */
export const scopeQuery = z.object({
  teamId: z.string().max(100).optional(),
  userId: z.string().max(100).optional(),
});

/**
 * The scope a viewer may see: an admin anyone's, a manager their team's (`auth.forbidden` for another
 * team), a rep their own whatever they ask.
 */
export function viewerScope(viewer: Viewer, asked: z.infer<typeof scopeQuery>): MetricScope {
  if (viewer.role === 'admin') return { teamId: asked.teamId ?? null, userId: asked.userId ?? null };
  if (viewer.role === 'manager') {
    if (asked.teamId !== undefined && asked.teamId !== viewer.teamId) throw new AppError('auth.forbidden');
    return { teamId: viewer.teamId ?? '', userId: asked.userId ?? null };
  }
  if (viewer.role === 'rep') return { teamId: viewer.teamId ?? '', userId: viewer.id };
  throw new AppError('auth.forbidden');
}

/** The scope as a condition on a table's team and owner columns (`true` for the whole organisation). */
export function inScope(scope: MetricScope, team: SQL, owner: SQL): SQL {
  const parts = [
    ...(scope.teamId === null ? [] : [sql`${team} = ${scope.teamId}`]),
    ...(scope.userId === null ? [] : [sql`${owner} = ${scope.userId}`]),
  ];
  return parts.length === 0 ? sql`true` : sql.join(parts, sql` and `);
}

/** A period of whole organisation days, [from, to], as the query string carries it (at most a year and a day). */
export const periodQuery = z
  .object({ from: z.iso.date(), to: z.iso.date() })
  .refine((q) => q.from <= q.to, { path: ['to'], message: 'ends_before_start' })
  .refine((q) => Date.parse(q.to) - Date.parse(q.from) <= 366 * 86_400_000, { path: ['from'], message: 'too_big' });

/** The instants a period of organisation days spans, [start, end), as SQL in the organisation's time zone. */
export const periodBounds = (period: { from: string; to: string }, timeZone: string) => ({
  start: sql`(${period.from}::date::timestamp at time zone ${timeZone})`,
  end: sql`((${period.to}::date + 1)::timestamp at time zone ${timeZone})`,
});
