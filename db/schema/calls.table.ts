import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { leads } from './leads.table.ts';
import { users } from './users.table.ts';

/** How a call ended, as the rep logs it at hang-up. */
export const callOutcomes = ['connected', 'no_answer', 'busy', 'wrong_number', 'invalid_number', 'callback', 'not_interested'] as const;
export type CallOutcome = (typeof callOutcomes)[number];

/** A phone call with a lead: open (on the line) until the rep hangs up and logs how it went. */
export const calls = pgTable(
  'calls',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    leadId: bigint({ mode: 'number' })
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    durationSeconds: integer(),
    outcome: text({ enum: callOutcomes }),
    notes: text(),
    nextStep: text(),
    callbackAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // Who is on the line with a lead now (the on-call marker, the second caller's warning).
    index('calls_open_by_lead').on(t.leadId).where(sql`${t.endedAt} is null`),
    // A lead's calls, newest first.
    index('calls_by_lead').on(t.leadId, t.startedAt.desc()),
  ],
);

export type CallRow = typeof calls.$inferSelect;
