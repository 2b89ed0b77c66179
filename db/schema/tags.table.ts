import { index, integer, pgTable, primaryKey, text, timestamp, unique, bigint } from 'drizzle-orm/pg-core';
import { leads } from './leads.table.ts';

/** Admin-defined groups of tags: 展会来源, 意向等级, 意向产品, 行业, … */
export const tagGroups = pgTable('tag_groups', {
  id: text()
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  name: text().notNull().unique(),
  position: integer().notNull().default(0),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const tags = pgTable(
  'tags',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    groupId: text()
      .notNull()
      .references(() => tagGroups.id, { onDelete: 'cascade' }),
    name: text().notNull(),
    position: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [unique('tags_name_in_group').on(t.groupId, t.name)],
);

/** Which tags a lead carries. */
export const leadTags = pgTable(
  'lead_tags',
  {
    leadId: bigint({ mode: 'number' })
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    tagId: text()
      .notNull()
      .references(() => tags.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.leadId, t.tagId] }), index('lead_tags_by_tag').on(t.tagId, t.leadId)],
);

export type TagGroup = typeof tagGroups.$inferSelect;
export type Tag = typeof tags.$inferSelect;
