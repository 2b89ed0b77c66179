import { boolean, integer, numeric, pgTable, primaryKey, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { teams } from './teams.table.ts';

/** The company pool: every lead lands in it unless a rule puts it elsewhere; it cannot be deleted. */
export const COMPANY_POOL_ID = 'company';

/**
 * A pool of unclaimed leads with its own claiming policy. Teams listed in pool_teams may see and
 * claim from it; a pool with no member teams is open to everyone.
 */
export const pools = pgTable(
  'pools',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    // Null only for the company pool until an admin names it: the web shows its name in the reader's language.
    name: text().unique(),
    // Leads of this pool a rep may hold at once.
    holdingLimit: integer().notNull().default(50),
    // Leads a rep may claim from this pool per day (the organisation's time zone); null: no limit.
    dailyClaimLimit: integer(),
    // Days a rep who lost a lead (released or recycled) must wait before claiming it again.
    reclaimCooldownDays: integer().notNull().default(0),
    // Hours a new booth lead may be claimed only by its exhibition's team.
    protectNewHours: integer().notNull().default(0),
    // Reps see contact data masked until they claim; managers and admins always see it whole.
    masksContacts: boolean().notNull().default(true),
    // Recycling (回收): a held lead returns to this pool when the first of these comes due (null: rule off),
    // counted from its claim or assignment (core/rules/recycling.usecases.ts; lead_recycle_schedule in migration 0007).
    // Hours after the claim with no follow-up record.
    recycleNoFollowUpHours: integer(),
    // Days without any activity (follow-up, call, change).
    recycleIdleDays: integer(),
    // Days without the stage advancing.
    recycleStageIdleDays: integer(),
    // Days held without being won.
    recycleNotWonDays: integer(),
    // Hours before recycling that the owner is warned; 0: no warning.
    recycleWarnHours: integer().notNull().default(0),
    // An open deal (not won or lost) expected at or above this amount is never recycled; null: no such exemption.
    recycleKeepAmount: numeric({ precision: 14, scale: 2, mode: 'number' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('pools_company_is_unnamed_once').on(sql`(${t.name} is null)`).where(sql`${t.name} is null`)],
);

export const poolTeams = pgTable(
  'pool_teams',
  {
    poolId: text()
      .notNull()
      .references(() => pools.id, { onDelete: 'cascade' }),
    teamId: text()
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.poolId, t.teamId] })],
);

export type Pool = typeof pools.$inferSelect;
