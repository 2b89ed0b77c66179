import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { exhibitions, leads, settings, users } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../events/lead-event.ts';
import { transactWithEvents } from '../events/event-log.ts';
import { leadFor, type LeadView } from '../leads/lead-view.ts';
import { findLeadView } from '../leads/leads.repository.ts';
import type { CreateLeadInput } from '../leads/leads.schemas.ts';
import { canViewLead } from '../leads/visibility.ts';
import { isManagerOrAdmin, type Viewer } from '../viewer.ts';

const actorOf = (viewer: Viewer): Actor => ({ type: 'user', id: viewer.id, name: viewer.name });

async function mustFind(db: Db, id: number): Promise<LeadView> {
  const lead = await findLeadView(db, id);
  if (!lead) throw new AppError('lead.not_found', { id });
  return lead;
}

/** Locks the rep's row (serialising their own claims) and checks the holding limit. */
async function assertBelowHoldingLimit(tx: Db, userId: string): Promise<void> {
  await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
  // A separate statement, so that after waiting for the lock it sees the claims just committed.
  const [row] = await tx.select({
    limit: sql<number>`coalesce((select ${settings.holdingLimit} from ${settings} where ${settings.id} = 1), 50)`.mapWith(Number),
    held: sql<number>`(select count(*) from ${leads} where ${leads.ownerId} = ${userId})`.mapWith(Number),
  }).from(sql`(select 1) as one`);
  if (row && row.held >= row.limit) throw new AppError('pool.limit_reached', { limit: row.limit, held: row.held });
}

export async function createLead(ctx: CoreContext, viewer: Viewer, input: CreateLeadInput): Promise<LeadView> {
  const { assignToMe, ...fields } = input;
  if (fields.exhibitionId) {
    const [exists] = await ctx.db.select({ id: exhibitions.id }).from(exhibitions).where(eq(exhibitions.id, fields.exhibitionId));
    if (!exists) throw new AppError('request.invalid', { fields: { exhibitionId: ['unknown_exhibition'] } });
  }
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    if (assignToMe) await assertBelowHoldingLimit(tx, viewer.id);
    const now = new Date();
    const [row] = await tx
      .insert(leads)
      .values({
        ...fields,
        sourceChannel: fields.sourceChannel ?? (fields.exhibitionId ? 'exhibition' : 'manual'),
        createdBy: viewer.id,
        ...(assignToMe ? { ownerId: viewer.id, teamId: viewer.teamId, claimedAt: now } : {}),
      })
      .returning({ id: leads.id });
    const lead = await mustFind(tx, row!.id);
    emit({ type: 'lead.created', leadId: lead.id, actor: actorOf(viewer), data: { lead }, ownerId: lead.ownerId, teamId: lead.teamId });
    return lead;
  });
}

/**
 * Claims a pool lead: a compare-and-set on `owner_id is null`, so of any number of
 * simultaneous claimants exactly one wins; the others get `pool.already_claimed` naming the winner.
 */
export async function claimLead(ctx: CoreContext, viewer: Viewer, leadId: number): Promise<LeadView> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    await assertBelowHoldingLimit(tx, viewer.id);
    const [won] = await tx
      .update(leads)
      .set({ ownerId: viewer.id, teamId: viewer.teamId, claimedAt: sql`now()` })
      .where(and(eq(leads.id, leadId), isNull(leads.ownerId)))
      .returning({ id: leads.id });
    if (!won) {
      const current = await mustFind(tx, leadId);
      throw new AppError('pool.already_claimed', { ownerId: current.ownerId, ownerName: current.ownerName });
    }
    const lead = await mustFind(tx, leadId);
    emit({ type: 'lead.claimed', leadId, actor: actorOf(viewer), data: { lead }, ownerId: lead.ownerId, teamId: lead.teamId });
    return lead;
  });
}

/** Returns a lead to the pool; the owner, a manager of the owner's team, or an admin may. */
export async function releaseLead(ctx: CoreContext, viewer: Viewer, leadId: number, reason: string): Promise<LeadView> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const [held] = await tx
      .select({ ownerId: leads.ownerId, teamId: leads.teamId, ownerName: users.name })
      .from(leads)
      .leftJoin(users, eq(users.id, leads.ownerId))
      .where(eq(leads.id, leadId))
      .for('update', { of: leads });
    if (!held) throw new AppError('lead.not_found', { id: leadId });
    if (held.ownerId === null) throw new AppError('pool.not_claimed');
    const mayRelease = held.ownerId === viewer.id || (isManagerOrAdmin(viewer) && canViewLead(viewer, held));
    if (!mayRelease) throw new AppError('pool.not_owner');
    await tx.update(leads).set({ ownerId: null, teamId: null, claimedAt: null }).where(eq(leads.id, leadId));
    const lead = await mustFind(tx, leadId);
    emit({
      type: 'lead.released',
      leadId,
      actor: actorOf(viewer),
      data: { lead, reason, previousOwnerName: held.ownerName },
      ownerId: null,
      teamId: null,
    });
    return lead;
  });
}

/** One lead as this viewer may see it. */
export async function getLead(ctx: CoreContext, viewer: Viewer, leadId: number): Promise<LeadView> {
  const lead = await mustFind(ctx.db, leadId);
  if (!canViewLead(viewer, lead)) throw new AppError('lead.not_visible');
  return leadFor(viewer, lead);
}
