import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf } from '../../db/client.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents } from '../events/event-log.ts';
import { userActor } from '../events/lead-event.ts';
import type { Viewer } from '../viewer.ts';
import type { LeadView } from './lead-view.ts';
import { moveNote } from '../notes/notes.usecases.ts';
import { findLeadView } from './leads.repository.ts';
import { canSeeContact } from './visibility.ts';

export const mergeInput = z.strictObject({ mergedId: z.number().int().positive() });

// Fields the survivor takes from the merged lead where it has none (the landline with its extension).
const filled = ['contact_name', 'title', 'mobile', 'email', 'province', 'city', 'industry', 'exhibition_id', 'intent', 'expected_amount'];

/**
 * Merges `mergedId` into `survivorId` (a manager or admin who sees both whole): the survivor keeps its
 * fields and fills its gaps from the other, takes its tags, shares, collision requests, tasks and notes, and its
 * timeline shows both histories (the merged lead's events stay in the log under its id, listed through
 * lead_merges). The merged row is deleted; `lead.merged` tells every screen.
 */
export async function mergeLeads(ctx: CoreContext, viewer: Viewer, survivorId: number, mergedId: number): Promise<LeadView> {
  if (survivorId === mergedId) throw new AppError('lead.merge_self');
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const held = rowsOf<{ id: number; owner_id: string | null; team_id: string | null; pool_id: string }>(
      await tx.execute(sql`select id::float8 as id, owner_id, team_id, pool_id from leads where id in (${survivorId}, ${mergedId}) order by id for update`),
    );
    for (const id of [survivorId, mergedId]) {
      const lead = held.find((h) => Number(h.id) === id);
      if (!lead) throw new AppError('lead.not_found', { id });
      if (!canSeeContact(viewer, { ownerId: lead.owner_id, teamId: lead.team_id, poolId: lead.pool_id })) throw new AppError('lead.not_visible', { id });
    }
    const merged = (await findLeadView(tx, mergedId))!;
    await tx.execute(sql`update leads s set
        ${sql.join(filled.map((c) => sql`${sql.identifier(c)} = coalesce(s.${sql.identifier(c)}, m.${sql.identifier(c)})`), sql`, `)},
        phone = coalesce(s.phone, m.phone), phone_ext = case when s.phone is null then m.phone_ext else s.phone_ext end,
        custom = m.custom || s.custom,
        last_activity_at = greatest(s.last_activity_at, m.last_activity_at)
      from leads m where s.id = ${survivorId} and m.id = ${mergedId}`);
    await tx.execute(sql`insert into lead_tags (lead_id, tag_id) select ${survivorId}, tag_id from lead_tags where lead_id = ${mergedId} on conflict do nothing`);
    await tx.execute(sql`insert into lead_shares (lead_id, user_id, created_at) select ${survivorId}, s.user_id, s.created_at from lead_shares s
      where s.lead_id = ${mergedId} and s.user_id is distinct from (select owner_id from leads where id = ${survivorId}) on conflict do nothing`);
    await tx.execute(sql`update collision_requests set lead_id = ${survivorId} where lead_id = ${mergedId}`);
    await tx.execute(sql`update tasks set lead_id = ${survivorId} where lead_id = ${mergedId}`);
    // Calls and their recordings are the customer's history too (and a deleted row would strand recordings on disk).
    await tx.execute(sql`update calls set lead_id = ${survivorId} where lead_id = ${mergedId}`);
    await moveNote(tx, merged, survivorId, ctx.clock.now());
    await tx.execute(sql`update lead_merges set survivor_id = ${survivorId} where survivor_id = ${mergedId}`);
    await tx.execute(sql`insert into lead_merges (merged_id, survivor_id, merged_by) values (${mergedId}, ${survivorId}, ${viewer.id})`);
    await tx.execute(sql`delete from leads where id = ${mergedId}`);
    const lead = (await findLeadView(tx, survivorId))!;
    emit({ type: 'lead.merged', leadId: survivorId, actor: userActor(viewer), data: { lead, merged }, ownerId: lead.ownerId, teamId: lead.teamId });
    return lead;
  });
}

/** The lead a merged lead now lives on, if `id` was merged away. */
export async function mergedInto(ctx: CoreContext, id: number): Promise<number | null> {
  const [row] = rowsOf<{ survivor_id: number }>(await ctx.db.execute(sql`select survivor_id::float8 as survivor_id from lead_merges where merged_id = ${id}`));
  return row ? Number(row.survivor_id) : null;
}
