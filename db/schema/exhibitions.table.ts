import { date, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { teams } from './teams.table.ts';

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
  // The secret part of the booth QR form's public address; null until an admin asks for the QR code.
  boothToken: text().unique(),
  // The team working the show: a pool's new-lead protection keeps its booth leads for this team a while.
  teamId: text().references(() => teams.id, { onDelete: 'set null' }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type Exhibition = typeof exhibitions.$inferSelect;
