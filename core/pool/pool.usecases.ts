import { eq, sql } from 'drizzle-orm';
import { preparedStatement, rowsOf, type Db } from '../../db/client.ts';
import { COMPANY_POOL_ID, exhibitions, leads, users, type Door } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { companyKey } from '../dedup/cleaning.ts';
import { findDuplicates } from '../dedup/duplicates.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import { userActor, type Actor } from '../events/lead-event.ts';
import { takeSharedIngestLock } from '../intake/bulk-ingest.ts';
import { appendEventsSql, storedEvent, transactWithEvents } from '../events/event-log.ts';
import { checkLeadExtras, insertLeadTags } from '../leads/lead-profile.usecases.ts';
import { leadFor, type LeadView } from '../leads/lead-view.ts';
import { findLeadView, leadViewFrom, leadViewJson } from '../leads/leads.repository.ts';
import { mergedInto } from '../leads/merge.usecases.ts';
import { assignArrivals } from '../rules/assignment.usecases.ts';
import type { CreateLeadInput } from '../leads/leads.schemas.ts';
import { canViewLead, canViewPool } from '../leads/visibility.ts';
import { isManagerOrAdmin, type Viewer } from '../viewer.ts';

/** The signed-in person as the actor of their own changes. */

async function mustFind(db: Db, id: number): Promise<LeadView> {
  const lead = await findLeadView(db, id);
  if (!lead) throw new AppError('lead.not_found', { id });
  return lead;
}

/**
 * Whether the rep may take one more lead of the pool. Their row is locked first (as a claim's gate
 * does) and the count read by a later statement, so it includes what committed while waiting.
 */
async function assertCanHold(tx: Db, userId: string, poolId: string): Promise<void> {
  await tx.execute(sql`select 1 from users where id = ${userId} for no key update`);
  const [holding] = rowsOf<{ held: number; max: number }>(
    await tx.execute(sql`select p.holding_limit as max, (select count(*)::int from leads l where l.owner_id = ${userId} and l.pool_id = p.id) as held
      from pools p where p.id = ${poolId}`),
  );
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
  /** The door it came in by, whose assignment rules place it (default: manual entry). */
  door?: Door;
}

/**
 * Creates a lead, never as a second copy of one with the same phone or email (`lead.duplicate`
 * names it); a similar company name needs a `duplicateReason` (`lead.possible_duplicate`) unless
 * the door is unattended.
 */
export async function createLead(ctx: CoreContext, actor: Actor, input: CreateLeadInput, options: CreateLeadOptions = {}): Promise<LeadView> {
  const { assignToMe, duplicateReason, mobile, phone, tagIds, custom, poolId = COMPANY_POOL_ID, ...fields } = input;
  const { viewer, unattended = false, note } = options;
  // Only a signed-in person picks a pool, among those they see.
  if (input.poolId && !(viewer && canViewPool(viewer, poolId))) throw new AppError('request.invalid', { fields: { poolId: ['unknown_pool'] } });
  // Only a signed-in person can keep what they enter.
  const keeper = assignToMe ? viewer : undefined;
  if (fields.exhibitionId) {
    const [exists] = await ctx.db.select({ id: exhibitions.id }).from(exhibitions).where(eq(exhibitions.id, fields.exhibitionId));
    if (!exists) throw new AppError('request.invalid', { fields: { exhibitionId: ['unknown_exhibition'] } });
  }
  const extras = await checkLeadExtras(ctx.db, { tagIds, custom });
  const lead = await transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    await lockContactKeys(tx, [mobile?.number, phone?.number, fields.email]);
    const matches = await findDuplicates(tx, { company: fields.company, mobile: mobile?.number, phone: phone?.number, email: fields.email });
    if (matches.some((m) => m.blocking)) throw new AppError('lead.duplicate', { matches: matches.filter((m) => m.blocking) });
    if (matches.length > 0 && !duplicateReason && !unattended) throw new AppError('lead.possible_duplicate', { matches });
    if (keeper) await assertCanHold(tx, keeper.id, poolId);
    const now = ctx.clock.now();
    const [row] = await tx
      .insert(leads)
      .values({
        ...fields,
        poolId,
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
  if (lead.ownerId !== null) return lead;
  // Unkept, it goes where its door's assignment rules say (a pool, a rep), or stays in the pool.
  return (await assignArrivals(ctx, options.door ?? 'manual', [lead.id])).get(lead.id) ?? lead;
}

type ClaimValues = { leadId: number; userId: string; teamId: string | null; isAdmin: boolean; now: string; actorType: Actor['type']; actorName: string };
const value = (name: keyof ClaimValues) => sql.placeholder(name);

/** Why the pool's policy refuses a claim (pool_claim_gate, migration 0006), with what the message names; code null: it allows it. */
type ClaimVerdict = { code: ErrorCode | 'pool.not_member' | null } & Record<string, unknown>;

/**
 * The claim in one statement: the lead's pool's policy (membership, new-lead protection, re-claim
 * cooldown, holding and daily limits, checked under the rep's row lock by pool_claim_gate), the
 * owner set only if there is none, the lead's view read and `lead.claimed` appended. One round
 * trip, and the log's append lock is held for no longer than the statement's own commit.
 */
const claimStatement = preparedStatement<{ verdict: ClaimVerdict; lead: LeadView | null; seq: number | null; at: string | null }, ClaimValues>(sql`with gate as (
    select pool_claim_gate(${value('leadId')}::bigint, ${value('userId')}::text, ${value('teamId')}::text, ${value('isAdmin')}::boolean,
      ${value('now')}::timestamptz) as verdict),
  won as (
    update leads set owner_id = ${value('userId')}, team_id = ${value('teamId')}, claimed_at = ${value('now')}::timestamptz
    where id = ${value('leadId')} and owner_id is null and (select verdict ->> 'code' is null from gate)
    returning *),
  viewed as (select ${leadViewJson} as lead ${leadViewFrom(sql`won`)}),
  logged as (${appendEventsSql(sql`select id as lead_id, 'lead.claimed' as type, ${value('actorType')}::text as actor_type,
    owner_id as actor_id, ${value('actorName')}::text as actor_name, owner_id, team_id,
    jsonb_build_object('lead', viewed.lead) as data, 1 as n from won, viewed`)})
  select (select verdict from gate), (select lead from viewed), (select seq from logged), (select at from logged)`);

/**
 * Claims a pool lead: a compare-and-set on `owner_id is null`, so of any number of
 * simultaneous claimants exactly one wins; the others get `pool.already_claimed` naming the winner.
 * The pool's policy may refuse it (`pool.not_member`, `pool.protected`, `pool.cooldown`,
 * `pool.limit_reached`, `pool.daily_limit_reached`). Claiming a lead one already holds answers it
 * again, without a second event.
 */
export async function claimLead(ctx: CoreContext, viewer: Viewer, leadId: number): Promise<LeadView> {
  const actor = userActor(viewer);
  const [outcome] = await claimStatement(ctx.db, {
    leadId,
    userId: viewer.id,
    teamId: viewer.teamId,
    isAdmin: viewer.role === 'admin',
    now: ctx.clock.now().toISOString(),
    actorType: actor.type,
    actorName: actor.name,
  });
  const { verdict, lead, seq, at } = outcome!;
  if (!lead || seq === null || at === null) {
    const { code, ...details } = verdict;
    if (code === 'lead.not_found') throw new AppError(code, { id: leadId });
    // A pool the viewer cannot see is not theirs to hear about.
    if (code === 'pool.not_member') throw new AppError('lead.not_visible');
    if (code !== null && code !== 'pool.already_claimed') throw new AppError(code, details);
    // Lost: read the lead afresh (a statement of its own sees the winner's commit) to say who won.
    const current = await mustFind(ctx.db, leadId);
    // A retry of a claim whose answer was lost on the way: it is theirs.
    if (current.ownerId === viewer.id) return current;
    throw new AppError('pool.already_claimed', { ownerId: current.ownerId, ownerName: current.ownerName });
  }
  ctx.events.publish([storedEvent({ type: 'lead.claimed', leadId, actor, data: { lead }, ownerId: viewer.id, teamId: viewer.teamId }, { seq, at })]);
  return lead;
}

/** Returns a lead to the pool; the owner, a manager of the owner's team, or an admin may. */
export async function releaseLead(ctx: CoreContext, viewer: Viewer, leadId: number, reason: string): Promise<LeadView> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const [held] = await tx
      .select({ ownerId: leads.ownerId, teamId: leads.teamId, poolId: leads.poolId, ownerName: users.name })
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
      data: { lead, reason, previousOwnerName: held.ownerName, previousOwnerId: held.ownerId },
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
