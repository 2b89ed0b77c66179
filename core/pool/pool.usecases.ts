import { eq, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.ts';
import { exhibitions, leads, users } from '../../db/schema/index.ts';
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

/**
 * The rep's holding: how many leads they may hold and how many they do. Run it after `lockRep`
 * and as a statement of its own, so that after waiting for the lock it sees claims just committed.
 */
const holding = (userId: string) =>
  sql`select coalesce((select holding_limit from settings where id = 1), 50) as max,
    (select count(*) from leads where owner_id = ${userId})::int as n`;

/** Locks the rep's row: serialises their own claims, so the holding limit holds under concurrency. */
async function lockRep(tx: Db, userId: string): Promise<void> {
  await tx.execute(sql`select 1 from users where id = ${userId} for update`);
}

async function assertBelowHoldingLimit(tx: Db, userId: string): Promise<void> {
  await lockRep(tx, userId);
  const { max, n } = rowsOf<{ max: number; n: number }>(await tx.execute(holding(userId)))[0]!;
  if (n >= max) throw new AppError('pool.limit_reached', { limit: Number(max), held: Number(n) });
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
 * The rep's row lock serialises their own claims, so the holding limit holds under concurrency.
 */
export async function claimLead(ctx: CoreContext, viewer: Viewer, leadId: number): Promise<LeadView> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    await lockRep(tx, viewer.id);
    // The compare-and-set carries the limit check, so a claim is one statement after the lock.
    const outcome = await tx.execute(sql`with held as (${holding(viewer.id)}),
      won as (
        update leads set owner_id = ${viewer.id}, team_id = ${viewer.teamId}, claimed_at = now()
        where id = ${leadId} and owner_id is null and (select n < max from held)
        returning id)
      select (select max from held) as max, (select n from held) as held, exists (select 1 from won) as won`);
    // Read after the compare-and-set, so a loser sees the winner.
    const lead = await mustFind(tx, leadId);
    const { max, held, won } = rowsOf<{ max: number; held: number; won: boolean }>(outcome)[0]!;
    if (!won) {
      if (lead.ownerId !== null) throw new AppError('pool.already_claimed', { ownerId: lead.ownerId, ownerName: lead.ownerName });
      throw new AppError('pool.limit_reached', { limit: Number(max), held: Number(held) });
    }
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
