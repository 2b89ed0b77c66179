import { eq, sql, type Placeholder } from 'drizzle-orm';
import { preparedStatement, rowsOf, type Db } from '../../db/client.ts';
import { exhibitions, leads, users } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { companyKey } from '../dedup/cleaning.ts';
import { findDuplicates } from '../dedup/duplicates.ts';
import { AppError } from '../errors.ts';
import { userActor, type Actor } from '../events/lead-event.ts';
import { takeSharedIngestLock } from '../intake/bulk-ingest.ts';
import { appendEventsSql, storedEvent, transactWithEvents } from '../events/event-log.ts';
import { checkLeadExtras, insertLeadTags } from '../leads/lead-profile.usecases.ts';
import { leadFor, type LeadView } from '../leads/lead-view.ts';
import { findLeadView, leadViewFrom, leadViewJson } from '../leads/leads.repository.ts';
import { mergedInto } from '../leads/merge.usecases.ts';
import type { CreateLeadInput } from '../leads/leads.schemas.ts';
import { canViewLead } from '../leads/visibility.ts';
import { isManagerOrAdmin, type Viewer } from '../viewer.ts';

/** The signed-in person as the actor of their own changes. */

async function mustFind(db: Db, id: number): Promise<LeadView> {
  const lead = await findLeadView(db, id);
  if (!lead) throw new AppError('lead.not_found', { id });
  return lead;
}

/**
 * Locks the rep's row and reads their holding: the limit and how many leads they own. The lock
 * serialises the rep's own claims, and a locked row is read in its latest version, so the count
 * includes claims committed while waiting for it (users.held_count is kept by a trigger).
 */
const lockedHolding = (userId: string | Placeholder) =>
  sql`select u.held_count as held, coalesce((select holding_limit from settings where id = 1), 50) as max
    from users u where u.id = ${userId} for update of u`;

async function assertBelowHoldingLimit(tx: Db, userId: string): Promise<void> {
  const [holding] = rowsOf<{ held: number; max: number }>(await tx.execute(lockedHolding(userId)));
  if (holding && holding.held >= holding.max) throw new AppError('pool.limit_reached', { limit: holding.max, held: holding.held });
}

/** Serialises entries of one phone or email, so two at once cannot both pass the duplicate check. */
async function lockContactKeys(tx: Db, keys: (string | null | undefined)[]): Promise<void> {
  // An import batch holds this exclusively while it checks and inserts its rows.
  await takeSharedIngestLock(tx);
  for (const key of [...new Set(keys.filter((k): k is string => Boolean(k)))].sort()) {
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`lead-contact:${key}`}))`);
  }
}

/** How a lead comes in besides its fields. */
export interface CreateLeadOptions {
  /** The signed-in person entering it: its `createdBy`, and the only one who may keep it (`assignToMe`). */
  viewer?: Viewer;
  /**
   * An unattended door (booth form, intake API) has nobody to ask about a similar company name:
   * the lead is created and the matches recorded in the event's `possibleDuplicateOf`, without a reason.
   */
  unattended?: boolean;
  /** What the door carried besides the lead's fields (a booth visitor's product interest), kept in lead.created. */
  note?: string;
}

/**
 * Creates a lead, never as a second copy of one with the same phone or email (`lead.duplicate`
 * names it); a similar company name needs a `duplicateReason` (`lead.possible_duplicate`) unless
 * the door is unattended.
 */
export async function createLead(ctx: CoreContext, actor: Actor, input: CreateLeadInput, options: CreateLeadOptions = {}): Promise<LeadView> {
  const { assignToMe, duplicateReason, mobile, phone, tagIds, custom, ...fields } = input;
  const { viewer, unattended = false, note } = options;
  // Only a signed-in person can keep what they enter.
  const keeper = assignToMe ? viewer : undefined;
  if (fields.exhibitionId) {
    const [exists] = await ctx.db.select({ id: exhibitions.id }).from(exhibitions).where(eq(exhibitions.id, fields.exhibitionId));
    if (!exists) throw new AppError('request.invalid', { fields: { exhibitionId: ['unknown_exhibition'] } });
  }
  const extras = await checkLeadExtras(ctx.db, { tagIds, custom });
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    await lockContactKeys(tx, [mobile?.number, phone?.number, fields.email]);
    const matches = await findDuplicates(tx, { company: fields.company, mobile: mobile?.number, phone: phone?.number, email: fields.email });
    if (matches.some((m) => m.blocking)) throw new AppError('lead.duplicate', { matches: matches.filter((m) => m.blocking) });
    if (matches.length > 0 && !duplicateReason && !unattended) throw new AppError('lead.possible_duplicate', { matches });
    if (keeper) await assertBelowHoldingLimit(tx, keeper.id);
    const now = new Date();
    const [row] = await tx
      .insert(leads)
      .values({
        ...fields,
        companyKey: companyKey(fields.company),
        mobile: mobile?.number,
        phone: phone?.number,
        phoneExt: phone?.extension,
        custom: extras.custom,
        sourceChannel: fields.sourceChannel ?? (fields.exhibitionId ? 'exhibition' : 'manual'),
        createdBy: viewer?.id ?? null,
        ...(keeper ? { ownerId: keeper.id, teamId: keeper.teamId, claimedAt: now } : {}),
      })
      .returning({ id: leads.id });
    await insertLeadTags(tx, row!.id, extras.tags);
    const lead = await mustFind(tx, row!.id);
    const leadIds = matches.map((m) => m.leadId);
    const possibleDuplicateOf = matches.length === 0 ? undefined : duplicateReason ? { leadIds, reason: duplicateReason } : { leadIds };
    emit({
      type: 'lead.created',
      leadId: lead.id,
      actor,
      data: { lead, ...(possibleDuplicateOf ? { possibleDuplicateOf } : {}), ...(note ? { note } : {}) },
      ownerId: lead.ownerId,
      teamId: lead.teamId,
    });
    return lead;
  });
}

type ClaimValues = { leadId: number; userId: string; teamId: string | null; actorType: Actor['type']; actorName: string };
const value = (name: keyof ClaimValues) => sql.placeholder(name);

/**
 * The claim in one statement: lock the rep's row and check their holding limit, set the owner if
 * there is none, read the lead's view and append `lead.claimed`. One round trip, and the log's
 * append lock is held for no longer than the statement's own commit.
 */
const claimStatement = preparedStatement<
  { held: number | null; max: number | null; lead: LeadView | null; seq: number | null; at: string | null },
  ClaimValues
>(sql`with holding as (${lockedHolding(value('userId'))}),
  won as (
    update leads set owner_id = ${value('userId')}, team_id = ${value('teamId')}, claimed_at = now()
    where id = ${value('leadId')} and owner_id is null and (select held < max from holding)
    returning *),
  viewed as (select ${leadViewJson} as lead ${leadViewFrom(sql`won`)}),
  logged as (${appendEventsSql(sql`select id as lead_id, 'lead.claimed' as type, ${value('actorType')}::text as actor_type,
    owner_id as actor_id, ${value('actorName')}::text as actor_name, owner_id, team_id,
    jsonb_build_object('lead', viewed.lead) as data, 1 as n from won, viewed`)})
  select (select held from holding), (select max from holding), (select lead from viewed), (select seq from logged), (select at from logged)`);

/**
 * Claims a pool lead: a compare-and-set on `owner_id is null`, so of any number of
 * simultaneous claimants exactly one wins; the others get `pool.already_claimed` naming the winner.
 * Claiming a lead one already holds answers it again, without a second event.
 */
export async function claimLead(ctx: CoreContext, viewer: Viewer, leadId: number): Promise<LeadView> {
  const actor = userActor(viewer);
  const [outcome] = await claimStatement(ctx.db, { leadId, userId: viewer.id, teamId: viewer.teamId, actorType: actor.type, actorName: actor.name });
  const { held, max, lead, seq, at } = outcome!;
  if (!lead || seq === null || at === null) {
    // Lost: read the lead afresh (a statement of its own sees the winner's commit) to say who won.
    const current = await mustFind(ctx.db, leadId);
    // A retry of a claim whose answer was lost on the way: it is theirs.
    if (current.ownerId === viewer.id) return current;
    if (current.ownerId !== null) throw new AppError('pool.already_claimed', { ownerId: current.ownerId, ownerName: current.ownerName });
    throw new AppError('pool.limit_reached', { limit: Number(max), held: Number(held) });
  }
  ctx.events.publish([storedEvent({ type: 'lead.claimed', leadId, actor, data: { lead }, ownerId: viewer.id, teamId: viewer.teamId }, { seq, at })]);
  return lead;
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
      actor: userActor(viewer),
      data: { lead, reason, previousOwnerName: held.ownerName },
      ownerId: null,
      teamId: null,
    });
    return lead;
  });
}

/** One lead as this viewer may see it; a lead merged away answers `lead.not_found` naming where it went. */
export async function getLead(ctx: CoreContext, viewer: Viewer, leadId: number): Promise<LeadView> {
  const lead = await findLeadView(ctx.db, leadId);
  if (!lead) {
    const survivor = await mergedInto(ctx, leadId);
    throw new AppError('lead.not_found', { id: leadId, ...(survivor !== null ? { mergedInto: survivor } : {}) });
  }
  if (!canViewLead(viewer, lead)) throw new AppError('lead.not_visible');
  return leadFor(viewer, lead);
}
