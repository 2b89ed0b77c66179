import { boolean, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const customFieldTypes = ['text', 'number', 'date', 'select', 'multiselect'] as const;
export type CustomFieldType = (typeof customFieldTypes)[number];

/** Admin-defined fields on leads; a lead's values live in `leads.custom`, keyed by `key`. */
export const customFields = pgTable('custom_fields', {
  id: text()
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  // Stable key of the value in leads.custom (and the import/API field name); the label may change.
  key: text().notNull().unique(),
  label: text().notNull(),
  type: text({ enum: customFieldTypes }).notNull(),
  // The choices of a select or multiselect.
  options: jsonb().$type<string[]>().notNull().default([]),
  required: boolean().notNull().default(false),
  position: integer().notNull().default(0),
  // Archived fields keep their values but leave the form.
  archivedAt: timestamp({ withTimezone: true }),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type CustomField = typeof customFields.$inferSelect;
