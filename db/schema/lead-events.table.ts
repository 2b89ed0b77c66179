import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const leadEventTypes = [
  'lead.created',
  'lead.claimed',
  'lead.released',
  'lead.updated',
  'lead.collision_filed',
  'lead.collision_decided',
  'lead.merged',
  'lead.recycled',
  'lead.followed_up',
  'lead.assigned',
  'lead.moved',
  'lead.reminded',
  'lead.stage_changed',
  'lead.task_added',
  'lead.task_done',
  'lead.call_started',
  'lead.called',
  'lead.approval_requested',
  'lead.approval_decided',
  'deal.won',
  'deal.paid',
  'lead.call_recorded',
  'lead.notes_edited',
] as const;
export type LeadEventType = (typeof leadEventTypes)[number];
export const actorTypes = ['user', 'rule', 'system'] as const;

/** The event log: one row per change to a lead, written in the change's transaction. */
export const leadEvents = pgTable(
  'lead_events',
  {
    seq: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    leadId: bigint({ mode: 'number' }).notNull(),
    type: text({ enum: leadEventTypes }).notNull(),
    actorType: text({ enum: actorTypes }).notNull(),
    actorId: text(),
    actorName: text().notNull(),
    // Who could see the lead's contact data when the event happened.
    ownerId: text(),
    teamId: text(),
    data: jsonb().notNull(),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('lead_events_timeline').on(t.leadId, t.seq),
    index('lead_events_by_time').on(t.at),
    // A rep's claims today, for a pool's daily claim limit.
    index('lead_events_claims_by_actor').on(t.actorId, t.at).where(sql`${t.type} = 'lead.claimed'`),
  ],
);

export type LeadEventRow = typeof leadEvents.$inferSelect;
