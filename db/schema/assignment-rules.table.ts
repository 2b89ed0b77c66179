import { boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users.table.ts';

/** Where a lead came in (or came back): each door has its own ordered assignment rules. */
export const doors = ['manual', 'booth', 'api', 'import', 'recycle'] as const;
export type Door = (typeof doors)[number];

/**
 * An admin's assignment rule (core/rules/assignment.ts says the shape of `condition` and `action`):
 * the first enabled rule of the lead's door whose condition matches acts on it.
 */
export const assignmentRules = pgTable(
  'assignment_rules',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    door: text({ enum: doors }).notNull(),
    position: integer().notNull(),
    name: text().notNull(),
    enabled: boolean().notNull().default(true),
    condition: jsonb().notNull(),
    action: jsonb().notNull(),
    // Round robin: the member the rule gave the last lead to.
    lastAssigneeId: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assignment_rules_by_door').on(t.door, t.position)],
);

export type AssignmentRuleRow = typeof assignmentRules.$inferSelect;
