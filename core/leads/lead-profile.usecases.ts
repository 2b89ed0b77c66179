import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { leads, leadTags } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { liveCustomFields } from '../custom-fields/custom-fields.usecases.ts';
import { parseCustomValues } from '../custom-fields/custom-values.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents } from '../events/event-log.ts';
import type { LeadChanges } from '../events/lead-event.ts';
import { resolveTags, type TagRef } from '../tags/tags.usecases.ts';
import type { Viewer } from '../viewer.ts';
import { leadFor, type LeadView } from './lead-view.ts';
import { findLeadView } from './leads.repository.ts';
import type { UpdateLeadInput } from './leads.schemas.ts';

type CustomValues = Record<string, string | number | string[]>;

/**
 * A new lead's tags and custom values, checked against the tags and the live field definitions:
 * unknown tags answer 422 with `tagIds`, bad values with `custom.<key>` (a missing required one too).
 */
export async function checkLeadExtras(db: Db, input: { tagIds?: string[]; custom?: Record<string, unknown> }): Promise<{ tags: TagRef[]; custom: CustomValues }> {
  const [tags, fields] = await Promise.all([resolveTags(db, input.tagIds ?? [], 'tagIds'), liveCustomFields(db)]);
  const parsed = parseCustomValues(fields, input.custom ?? {});
  if (!parsed.ok) throw new AppError('request.invalid', { fields: parsed.fields });
  return { tags, custom: parsed.values };
}

/** Sets a new lead's tags (in its creating transaction). */
export async function insertLeadTags(tx: Db, leadId: number, tags: TagRef[]): Promise<void> {
  if (tags.length > 0) await tx.insert(leadTags).values(tags.map((t) => ({ leadId, tagId: t.id }))).onConflictDoNothing();
}

/**
 * Who may change a lead's tags and custom values: admins; the owner and managers of the owner's
 * team; while the lead is in the pool, any manager (reps claim a lead before they work on it).
 */
export function canEditLead(viewer: Viewer, lead: { ownerId: string | null; teamId: string | null }): boolean {
  if (viewer.role === 'admin') return true;
  if (lead.ownerId === null) return viewer.role === 'manager';
  if (lead.ownerId === viewer.id) return true;
  return viewer.role === 'manager' && lead.teamId !== null && lead.teamId === viewer.teamId;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/**
 * Changes a lead's tags, custom values and recycling lock and appends `lead.updated` with what changed (no event
 * when nothing did). Values of archived fields are kept as they are.
 */
export async function updateLeadProfile(ctx: CoreContext, viewer: Viewer, leadId: number, input: UpdateLeadInput): Promise<LeadView> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const [row] = await tx
      .select({ ownerId: leads.ownerId, teamId: leads.teamId, custom: leads.custom, recycleLocked: leads.recycleLocked })
      .from(leads)
      .where(eq(leads.id, leadId))
      .for('update');
    if (!row) throw new AppError('lead.not_found', { id: leadId });
    if (!canEditLead(viewer, row)) throw new AppError('lead.not_editable');
    const changes: LeadChanges = {};

    if (input.tagIds) {
      const wanted = await resolveTags(tx, input.tagIds, 'tagIds');
      const before = await tx.select({ tagId: leadTags.tagId }).from(leadTags).where(eq(leadTags.leadId, leadId));
      const had = new Set(before.map((t) => t.tagId));
      const added = wanted.filter((t) => !had.has(t.id));
      const removedIds = [...had].filter((id) => !wanted.some((t) => t.id === id));
      const removed = await resolveTags(tx, removedIds, 'tagIds');
      if (removedIds.length > 0) await tx.delete(leadTags).where(and(eq(leadTags.leadId, leadId), inArray(leadTags.tagId, removedIds)));
      await insertLeadTags(tx, leadId, added);
      if (added.length > 0 || removed.length > 0) changes.tags = { added, removed };
    }

    if (input.custom) {
      const fields = await liveCustomFields(tx);
      const current = row.custom as CustomValues;
      const liveCurrent = Object.fromEntries(fields.filter((f) => f.key in current).map((f) => [f.key, current[f.key]]));
      const parsed = parseCustomValues(fields, { ...liveCurrent, ...input.custom });
      if (!parsed.ok) throw new AppError('request.invalid', { fields: parsed.fields });
      const diff = fields
        .filter((f) => !same(current[f.key], parsed.values[f.key]))
        .map((f) => ({ key: f.key, label: f.label, from: current[f.key] ?? null, to: parsed.values[f.key] ?? null }));
      if (diff.length > 0) {
        const archived = Object.fromEntries(Object.entries(current).filter(([key]) => !fields.some((f) => f.key === key)));
        await tx.update(leads).set({ custom: { ...archived, ...parsed.values } }).where(eq(leads.id, leadId));
        changes.custom = diff;
      }
    }

    if (input.recycleLocked !== undefined && input.recycleLocked !== row.recycleLocked) {
      // A rep may not exempt their own lead from recycling.
      if (viewer.role === 'rep') throw new AppError('lead.not_editable');
      await tx.update(leads).set({ recycleLocked: input.recycleLocked }).where(eq(leads.id, leadId));
      changes.recycleLocked = input.recycleLocked;
    }

    const lead = (await findLeadView(tx, leadId))!;
    if (changes.tags || changes.custom || changes.recycleLocked !== undefined) {
      emit({ type: 'lead.updated', leadId, actor: { type: 'user', id: viewer.id, name: viewer.name }, data: { lead, changes }, ownerId: lead.ownerId, teamId: lead.teamId });
    }
    return leadFor(viewer, lead);
  });
}
