import { bigint, index, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { leads } from './leads.table.ts';
import { teams } from './teams.table.ts';
import { users } from './users.table.ts';

export const collisionStatuses = ['open', 'kept', 'transferred', 'shared', 'withdrawn'] as const;
export type CollisionStatus = (typeof collisionStatuses)[number];

/** 撞单: a rep found that a customer they work belongs to another rep; the owner's manager decides. */
export const collisionRequests = pgTable(
  'collision_requests',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    leadId: bigint({ mode: 'number' })
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    requesterId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // The owner and their team when the request was filed: the team's managers decide.
    ownerId: text().references(() => users.id, { onDelete: 'set null' }),
    teamId: text().references(() => teams.id, { onDelete: 'set null' }),
    // The requester's evidence: when and how they first touched the customer.
    note: text().notNull(),
    status: text({ enum: collisionStatuses }).notNull().default('open'),
    decidedBy: text().references(() => users.id, { onDelete: 'set null' }),
    decisionNote: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index('collision_requests_open_by_team').on(t.status, t.teamId), index('collision_requests_by_lead').on(t.leadId)],
);

/** Reps besides the owner who may work a lead (a collision decided as "share"). */
export const leadShares = pgTable(
  'lead_shares',
  {
    leadId: bigint({ mode: 'number' })
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.userId] }), index('lead_shares_by_user').on(t.userId)],
);

/** A lead merged into another: the merged row is gone, its events stay in the log under its id. */
export const leadMerges = pgTable(
  'lead_merges',
  {
    mergedId: bigint({ mode: 'number' }).primaryKey(),
    survivorId: bigint({ mode: 'number' })
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    mergedBy: text().references(() => users.id, { onDelete: 'set null' }),
    at: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('lead_merges_by_survivor').on(t.survivorId)],
);
