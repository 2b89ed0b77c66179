import { bigint, customType, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { leads } from './leads.table.ts';
import { users } from './users.table.ts';

/** Binary (Yjs updates): read as a Buffer (postgres.js) or a Uint8Array (PGlite); written as a Buffer, which postgres.js needs. */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
});

/**
 * A lead's shared notes, a Yjs document (core/notes): every update someone's editor sent, appended as it
 * comes (no lock, nothing to read first), and now and then merged into one row. The document is the
 * merge of a lead's rows in any order.
 */
export const leadNoteUpdates = pgTable(
  'lead_note_updates',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    leadId: bigint({ mode: 'number' })
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    data: bytea().notNull(),
    // Who sent it; null for a compaction of many (or the text a merged lead brought).
    authorId: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  // A lead's document: its rows, loaded, counted and summed whenever someone opens or writes it.
  (t) => [index('lead_note_updates_by_lead').on(t.leadId, t.id)],
);

export type LeadNoteUpdateRow = typeof leadNoteUpdates.$inferSelect;
