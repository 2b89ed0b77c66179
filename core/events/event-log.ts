import { asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { leadEvents, type LeadEventRow } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { leadFor } from '../leads/lead-view.ts';
import { canViewLead } from '../leads/visibility.ts';
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
    if (pending.length > 0) {
      await tx.execute(sql`select pg_advisory_xact_lock(${APPEND_LOCK})`);
      const rows = await tx
        .insert(leadEvents)
        .values(
          pending.map((e) => ({
            leadId: e.leadId,
            type: e.type,
            actorType: e.actor.type,
            actorId: e.actor.id,
            actorName: e.actor.name,
            ownerId: e.ownerId,
            teamId: e.teamId,
            data: e.data,
          })),
        )
        .returning();
      appended = rows.map(toStored);
    }
    return value;
  });
  if (appended.length > 0) publisher.publish(appended);
  return result;
}

/** The event as this viewer may see it, or null when it is not theirs to see. */
export function eventFor(viewer: Viewer, stored: StoredEvent): LeadEvent | null {
  const { event } = stored;
  if (!canViewLead(viewer, stored) && !isPoolEvent(event.type)) return null;
  return { ...event, data: { ...event.data, lead: leadFor(viewer, event.data.lead) } } as LeadEvent;
}

/** Pool events (a lead entering or leaving the pool) go to everyone, contact data masked. */
export function isPoolEvent(type: LeadEventType): boolean {
  switch (type) {
    case 'lead.created':
    case 'lead.claimed':
    case 'lead.released':
      return true;
  }
}

export interface EventPage {
  events: LeadEvent[];
  /** The highest seq read; the next call's `since`. */
  last: number;
  /** More events follow; call again with `since = last`. */
  more: boolean;
}

/** How far back a client may catch up; past it a fresh load is cheaper and it gets 410. */
export const CATCH_UP_WINDOW_HOURS = 24;

/**
 * Events after `since`, as this viewer may see them. Throws `events.expired` (410) when
 * `since` is older than the catch-up window, or ahead of the log (a cursor from another database).
 */
export async function eventsSince(db: Db, viewer: Viewer, since: number, limit: number): Promise<EventPage> {
  const [bounds] = await db.select({
    last: sql<number>`coalesce((select max(${leadEvents.seq}) from ${leadEvents}), 0)`.mapWith(Number),
    oldestKept: sql<number | null>`(select ${leadEvents.seq} from ${leadEvents}
      where ${leadEvents.at} > now() - make_interval(hours => ${CATCH_UP_WINDOW_HOURS}) order by ${leadEvents.at} limit 1)`,
  }).from(sql`(select 1) as one`);
  const last = bounds?.last ?? 0;
  // With nothing inside the window, anything up to the newest seq is still current.
  const oldestKept = bounds?.oldestKept == null ? last + 1 : Number(bounds.oldestKept);
  if (since > last || since < oldestKept - 1) {
    throw new AppError('events.expired', { last });
  }
  const rows = await db.select().from(leadEvents).where(gt(leadEvents.seq, since)).orderBy(asc(leadEvents.seq)).limit(limit);
  const events = rows.map(toStored).flatMap((s) => eventFor(viewer, s) ?? []);
  return { events, last: rows.at(-1)?.seq ?? since, more: rows.length === limit };
}

/** The newest seq in the log (0 when empty). */
export async function eventsHead(db: Db): Promise<number> {
  const [row] = await db.select({ last: sql<number>`coalesce(max(${leadEvents.seq}), 0)`.mapWith(Number) }).from(leadEvents);
  return row?.last ?? 0;
}

/** A lead's timeline, oldest first. */
export async function leadTimeline(db: Db, viewer: Viewer, leadId: number): Promise<LeadEvent[]> {
  const rows = await db.select().from(leadEvents).where(eq(leadEvents.leadId, leadId)).orderBy(asc(leadEvents.seq));
  return rows.map(toStored).flatMap((s) => eventFor(viewer, s) ?? []);
}
