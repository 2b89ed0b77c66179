import { sql } from 'drizzle-orm';
import { bigint, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { leads } from './leads.table.ts';
import { taskPresets } from './pipeline.table.ts';
import { users } from './users.table.ts';

/** Where a task came from: a person, a call's callback time, a stage's template, a care reminder. */
export const taskSources = ['manual', 'callback', 'stage', 'care'] as const;
export type TaskSource = (typeof taskSources)[number];

/** Something to do about a lead by a time, for one person: the rep's day is made of these. */
export const tasks = pgTable(
  'tasks',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    leadId: bigint({ mode: 'number' })
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    assigneeId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    // What to do, as its creator wrote it; null for the system's own (a care reminder's): the web names those by source.
    title: text(),
    // A title the system ships with (a stage template's default tasks): the web names it in the reader's language.
    titleKey: text({ enum: taskPresets }),
    dueAt: timestamp({ withTimezone: true }).notNull(),
    source: text({ enum: taskSources }).notNull().default('manual'),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    doneAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // A person's open tasks by due time (today, overdue, upcoming).
    index('tasks_open_by_assignee').on(t.assigneeId, t.dueAt).where(sql`${t.doneAt} is null`),
    // A person's done tasks, newest first.
    index('tasks_done_by_assignee').on(t.assigneeId, t.doneAt.desc()).where(sql`${t.doneAt} is not null`),
    // A lead's tasks on its page.
    index('tasks_by_lead').on(t.leadId),
  ],
);

export type TaskRow = typeof tasks.$inferSelect;
