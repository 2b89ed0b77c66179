import { check, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';

// A single row (id = 1) of organisation-wide settings an admin may change.
export const settings = pgTable(
  'settings',
  {
    id: smallint().primaryKey().default(1),
    // The organisation's day (daily claim limits, reminders) is counted in this IANA time zone.
    timeZone: text().notNull().default('Asia/Shanghai'),
    // Signs session cookies; kept here so every node and every restart agree (BETTER_AUTH_SECRET overrides).
    authSecret: text(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('settings_single_row', sql`${t.id} = 1`)],
);

export type Settings = typeof settings.$inferSelect;
