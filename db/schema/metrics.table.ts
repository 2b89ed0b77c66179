import { date, index, integer, numeric, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { users } from './users.table.ts';

/**
 * What each rep did each day of the organisation's time zone: the leaderboards' and the activity
 * table's counters, kept in the same transaction as the change by triggers on lead_events and calls
 * (migration 0017), so a dashboard reads a few rows instead of counting the log. Claims are not here:
 * the claim is the hot path (≥ 1,000/s), and the log's claims-by-actor index counts a rep's claims.
 */
export const repDaily = pgTable(
  'rep_daily',
  {
    day: date().notNull(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // The rep's team when the first count of the day was made.
    teamId: text(),
    calls: integer().notNull().default(0),
    // Calls that reached the customer (connected, call back, not interested).
    connected: integer().notNull().default(0),
    // Talk time of the calls that reached the customer.
    talkSeconds: integer().notNull().default(0),
    followUps: integer().notNull().default(0),
    // Moves of the rep's leads to a later stage (not lost).
    stageAdvances: integer().notNull().default(0),
    wins: integer().notNull().default(0),
    revenue: numeric({ precision: 16, scale: 2, mode: 'number' }).notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.day, t.userId] }),
    // A team's day (a manager's leaderboard and activity table).
    index('rep_daily_by_team').on(t.day, t.teamId),
  ],
);

export type RepDailyRow = typeof repDaily.$inferSelect;
