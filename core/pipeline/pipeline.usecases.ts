import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { AppError } from '../errors.ts';
import { leadFor, type LeadView } from '../leads/lead-view.ts';
import { listOwnedBy, queryLeadViews } from '../leads/leads.repository.ts';
import type { Viewer } from '../viewer.ts';

/** Whose leads a pipeline board shows: the caller's own, or their team's (managers; admins: every held lead). */
export const pipelineQuery = z.object({ scope: z.enum(['mine', 'team']).default('mine') });
export type PipelineScope = z.infer<typeof pipelineQuery>['scope'];

/** A team's board is at most this many leads (a team of 40 at a holding limit of 50). */
export const PIPELINE_MAX = 2_000;

/** The held leads a pipeline board shows, as the viewer may see them. */
export async function listPipeline(db: Db, viewer: Viewer, scope: PipelineScope): Promise<LeadView[]> {
  if (scope === 'mine') return listOwnedBy(db, viewer.id);
  if (viewer.role !== 'manager' && viewer.role !== 'admin') throw new AppError('auth.forbidden');
  const team = viewer.role === 'admin' ? sql`` : sql`and l.team_id = ${viewer.teamId ?? ''}`;
  const leads = await queryLeadViews(db, sql`where l.owner_id is not null ${team} order by l.last_activity_at desc nulls last, l.id desc limit ${PIPELINE_MAX}`);
  return leads.map((lead) => leadFor(viewer, lead));
}
