import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users.table.ts';

/** What a notification tells (core/notifications/notification.ts says what each carries). */
export const notificationKinds = ['lead.recycle_warning', 'lead.recycled', 'lead.assigned', 'lead.reminder', 'task.assigned', 'approval.requested', 'approval.decided'] as const;
export type NotificationKind = (typeof notificationKinds)[number];

/** A person's in-app notifications, written in the transaction of what they tell. */
export const notifications = pgTable(
  'notifications',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    kind: text({ enum: notificationKinds }).notNull(),
    leadId: bigint({ mode: 'number' }),
    data: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // The notification centre: a person's newest first.
    index('notifications_by_user').on(t.userId, t.id.desc()),
    // The unread badge.
    index('notifications_unread').on(t.userId).where(sql`${t.readAt} is null`),
  ],
);

export type NotificationRow = typeof notifications.$inferSelect;
