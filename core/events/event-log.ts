import { asc, eq, gt, inArray, sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.ts';
import { COMPANY_POOL_ID, leadEvents, type LeadEventRow } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { collisionParties } from '../collisions/collision-view.ts';
import { leadFor, maskLead, type LeadView } from '../leads/lead-view.ts';
import { historyOf } from '../leads/leads.repository.ts';
import { canViewLead, canViewPool, type Holding } from '../leads/visibility.ts';
import type { Viewer } from '../viewer.ts';
import type { Actor, EventPublisher, LeadEvent, LeadEventData, LeadEventType, StoredEvent } from './lead-event.ts';

export interface NewEvent<T extends LeadEventType = LeadEventType> {
  type: T;
  leadId: number;
  actor: Actor;
  data: LeadEventData[T];
  ownerId: string | null;
  teamId: string | null;
}

export type Emit = <T extends LeadEventType>(event: NewEvent<T>) => void;

// Serialises appends so that seq order is commit order: a client that has seen seq N
// can trust every event below N is committed, and a gap always means "catch up".
const APPEND_LOCK = 0x1ead_0001;

function toStored(row: LeadEventRow): StoredEvent {
  return {
    event: {
      seq: row.seq,
      type: row.type,
      leadId: row.leadId,
      actor: { type: row.actorType, id: row.actorId, name: row.actorName },
      at: row.at.toISOString(),
      data: row.data,
    } as LeadEvent,
    ownerId: row.ownerId,
    teamId: row.teamId,
  };
}

/**
 * SQL appending the events `source` selects (columns lead_id, type, actor_type, actor_id,
 * actor_name, owner_id, team_id, data, and n for their order): it takes the append lock (held
 * to commit) and stamps `at` with the clock at that moment, so `at` rises with `seq`.
 */
export const appendEventsSql = (source: SQL) =>
  sql`insert into lead_events (lead_id, type, actor_type, actor_id, actor_name, owner_id, team_id, data, at)
    select e.lead_id, e.type, e.actor_type, e.actor_id, e.actor_name, e.owner_id, e.team_id, e.data, clock_timestamp()
    from (select pg_advisory_xact_lock(${APPEND_LOCK})) as appending, (${source}) as e
    order by e.n
    returning seq::float8 as seq, at`;

/** The event as stored, from what was emitted and the seq and time the log gave it. */
export function storedEvent(e: NewEvent, logged: { seq: number; at: string | Date }): StoredEvent {
  return {
    event: { seq: Number(logged.seq), type: e.type, leadId: e.leadId, actor: e.actor, at: new Date(logged.at).toISOString(), data: e.data } as LeadEvent,
    ownerId: e.ownerId,
    teamId: e.teamId,
  };
}

/** Appends in one statement, as the transaction's last. */
async function append(tx: Db, pending: NewEvent[]): Promise<StoredEvent[]> {
  const rows = pending.map((e) => ({
    lead_id: e.leadId,
    type: e.type,
    actor_type: e.actor.type,
    actor_id: e.actor.id,
    actor_name: e.actor.name,
    owner_id: e.ownerId,
    team_id: e.teamId,
    data: e.data,
  }));
  const logged = rowsOf<{ seq: number; at: string | Date }>(
    await tx.execute(
      appendEventsSql(sql`select (x.item->>'lead_id')::bigint as lead_id, x.item->>'type' as type, x.item->>'actor_type' as actor_type,
        x.item->>'actor_id' as actor_id, x.item->>'actor_name' as actor_name, x.item->>'owner_id' as owner_id,
        x.item->>'team_id' as team_id, x.item->'data' as data, x.n
        from jsonb_array_elements(${JSON.stringify(rows)}::jsonb) with ordinality as x(item, n)`),
    ),
  ).sort((a, b) => Number(a.seq) - Number(b.seq));
  return pending.map((e, i) => storedEvent(e, logged[i]!));
}

/**
 * Runs `work` in one transaction; the events it emits are appended to the log at the end
 * of that transaction and published only after it commits.
 */
export async function transactWithEvents<T>(
  db: Db,
  publisher: EventPublisher,
  work: (tx: Db, emit: Emit) => Promise<T>,
): Promise<T> {
  let appended: StoredEvent[] = [];
  const result = await db.transaction(async (tx) => {
    const pending: NewEvent[] = [];
    const value = await work(tx, (event) => pending.push(event as unknown as NewEvent));
    if (pending.length > 0) appended = await append(tx, pending);
    return value;
  });
  if (appended.length > 0) publisher.publish(appended);
  return result;
}

/** Who holds the lead the event is about, as of the event: who may see it whole. */
export const holdingOf = (stored: StoredEvent): Holding => ({
  ownerId: stored.ownerId,
  teamId: stored.teamId,
  sharedWith: stored.event.data.lead.sharedWith,
  // Events logged before pools existed were all of the company pool.
  poolId: stored.event.data.lead.poolId ?? COMPANY_POOL_ID,
});

/** The event with every lead it carries passed through `view` (masking, or the viewer's view). */
export function mapEventLeads(event: LeadEvent, view: (lead: LeadView) => LeadView): LeadEvent {
  const data = { ...event.data, lead: view(event.data.lead) };
  if ('merged' in data) data.merged = view(data.merged);
  return { ...event, data } as LeadEvent;
}

export const maskEvent = (event: LeadEvent) => mapEventLeads(event, maskLead);

/** The event as this viewer may see it, or null when it is not theirs to see. */
export function eventFor(viewer: Viewer, stored: StoredEvent): LeadEvent | null {
  const { event } = stored;
  const holding = holdingOf(stored);
  const seesInPool = isPoolEvent(event) && eventPools(stored).some((poolId) => canViewPool(viewer, poolId));
  if (!canViewLead(viewer, holding) && !seesInPool && !eventParties(event).includes(viewer.id)) return null;
  return mapEventLeads(event, (lead) => leadFor(viewer, lead));
}

/** The pools a pool event concerns: the lead's, and the one a rule moved it out of. */
export function eventPools(stored: StoredEvent): string[] {
  const { event } = stored;
  return [holdingOf(stored).poolId, ...(event.type === 'lead.moved' ? [event.data.fromPoolId] : [])];
}

/** Pool events (a lead entering, leaving or changing in a pool) go to everyone who sees that pool, contact data masked as the pool says. */
export function isPoolEvent(event: LeadEvent): boolean {
  switch (event.type) {
    case 'lead.created':
    case 'lead.claimed':
    case 'lead.released':
    case 'lead.merged':
    case 'lead.recycled':
    case 'lead.assigned':
    case 'lead.moved':
      return true;
    case 'lead.updated':
      return event.data.lead.ownerId === null;
    case 'lead.collision_filed':
    case 'lead.collision_decided':
    case 'lead.followed_up':
    case 'lead.reminded':
    case 'lead.stage_changed':
    case 'lead.task_added':
    case 'lead.task_done':
    case 'lead.call_started':
    case 'lead.called':
    case 'lead.approval_requested':
    case 'lead.approval_decided':
    case 'deal.won':
    case 'deal.paid':
    case 'lead.call_recorded':
    case 'lead.notes_edited':
      return false;
  }
}

/** People told of an event besides those who see the lead: a collision's requester, and an owner it moved from. */
export function eventParties(event: LeadEvent): string[] {
  switch (event.type) {
    case 'lead.created':
    case 'lead.claimed':
    case 'lead.released':
    case 'lead.updated':
    case 'lead.merged':
    case 'lead.followed_up':
    case 'lead.assigned':
    case 'lead.moved':
    case 'lead.reminded':
    case 'lead.stage_changed':
    case 'lead.call_started':
    case 'lead.called':
    case 'deal.won':
    case 'deal.paid':
    case 'lead.call_recorded':
    case 'lead.notes_edited':
      return [];
    case 'lead.approval_requested':
    case 'lead.approval_decided':
      // The requester, and the named approvers (a director) even when the lead is not theirs to see whole.
      return [event.data.approval.requestedById, ...event.data.approval.chain.flatMap((s) => (s.kind === 'user' ? [s.userId] : []))];
    case 'lead.task_added':
    case 'lead.task_done':
      // The assignee hears of their task even when the lead is not theirs to see whole.
      return [event.data.task.assigneeId];
    case 'lead.recycled':
      return [event.data.previousOwnerId];
    case 'lead.collision_filed':
      return collisionParties(event.data.collision);
    case 'lead.collision_decided':
      return collisionParties(event.data.collision, event.data.previousOwnerId);
  }
}

export interface EventPage {
  events: LeadEvent[];
  /** The highest seq read; the next call's `since`. */
  last: number;
  /** More events follow; call again with `since = last`. */
  more: boolean;
}

/** How far back a client may catch up; further behind, a fresh load is cheaper and it gets 410. */
export const CATCH_UP_MAX_EVENTS = 10_000;

/**
 * Events after `since`, as this viewer may see them. Throws `events.expired` (410) when
 * `since` is more than CATCH_UP_MAX_EVENTS behind, or ahead of the log (a cursor from another database).
 */
export async function eventsSince(db: Db, viewer: Viewer, since: number, limit: number): Promise<EventPage> {
  const last = await eventsHead(db);
  if (since > last || last - since > CATCH_UP_MAX_EVENTS) throw new AppError('events.expired', { last });
  const rows = await db.select().from(leadEvents).where(gt(leadEvents.seq, since)).orderBy(asc(leadEvents.seq)).limit(limit);
  const events = rows.map(toStored).flatMap((s) => eventFor(viewer, s) ?? []);
  return { events, last: rows.at(-1)?.seq ?? since, more: rows.length === limit };
}

/** The newest seq in the log (0 when empty). */
export async function eventsHead(db: Db): Promise<number> {
  const [row] = await db.select({ last: sql<number>`coalesce(max(${leadEvents.seq}), 0)`.mapWith(Number) }).from(leadEvents);
  return row?.last ?? 0;
}

/** A lead's timeline, oldest first, with the history of the leads merged into it. */
export async function leadTimeline(db: Db, viewer: Viewer, leadId: number): Promise<LeadEvent[]> {
  const rows = await db
    .select()
    .from(leadEvents)
    .where(inArray(leadEvents.leadId, historyOf(sql`${leadId}`)))
    .orderBy(asc(leadEvents.seq));
  return rows.map(toStored).flatMap((s) => eventFor(viewer, s) ?? []);
}

/** One event of the log by seq, whole (for an integration that may see everything), or undefined. */
export async function findEvent(db: Db, seq: number): Promise<LeadEvent | undefined> {
  const [row] = await db.select().from(leadEvents).where(eq(leadEvents.seq, seq));
  return row ? toStored(row).event : undefined;
}
