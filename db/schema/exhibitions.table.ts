import { date, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const exhibitions = pgTable('exhibitions', {
  id: text()
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  name: text().notNull(),
  city: text().notNull(),
  startsOn: date().notNull(),
  endsOn: date().notNull(),
  // Money as numeric: a trade show's cost is compared with won revenue for ROI.
  cost: numeric({ precision: 14, scale: 2, mode: 'number' }).notNull().default(0),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type Exhibition = typeof exhibitions.$inferSelect;
