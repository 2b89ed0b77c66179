import { and, count, desc, eq, inArray, isNull, lt } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { notifications, type NotificationRow } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import type { Delivered, NewNotification, NotificationView } from './notification.ts';

const toView = (row: NotificationRow): NotificationView =>
  ({
    id: row.id,
    kind: row.kind,
    leadId: row.leadId,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
    readAt: row.readAt?.toISOString() ?? null,
  }) as NotificationView;

async function insertNotifications(tx: Db, at: Date, items: NewNotification[]): Promise<Delivered[]> {
  if (items.length === 0) return [];
  const rows = await tx
    .insert(notifications)
    .values(items.map((n) => ({ ...n, createdAt: at })))
    .returning();
  return rows.map((row) => ({ userId: row.userId, notification: toView(row) }));
}

/** Notifications written inside a transaction, handed to the live publisher only once it has committed. */
export class NotificationOutbox {
  readonly #ctx: Pick<CoreContext, 'notifications'>;
  #written: Delivered[] = [];

  constructor(ctx: Pick<CoreContext, 'notifications'>) {
    this.#ctx = ctx;
  }

  /** Writes them in the caller's transaction `tx`, dated `at`. */
  async write(tx: Db, at: Date, items: NewNotification[]): Promise<void> {
    this.#written.push(...(await insertNotifications(tx, at, items)));
  }

  /** After the commit: shows them live. */
  send(): void {
    this.#ctx.notifications.notify(this.#written.splice(0));
  }
}

export const notificationsQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  /** Older than this id (the last one of the previous page). */
  before: z.coerce.number().int().positive().optional(),
});

async function unreadCount(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt)));
  return row?.n ?? 0;
}

/** A person's notifications, newest first, and how many are unread. */
export async function listNotifications(db: Db, userId: string, query: z.infer<typeof notificationsQuery>) {
  const rows = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.userId, userId), query.before ? lt(notifications.id, query.before) : undefined))
    .orderBy(desc(notifications.id))
    .limit(query.limit + 1);
  return { items: rows.slice(0, query.limit).map(toView), more: rows.length > query.limit, unread: await unreadCount(db, userId) };
}

export const markReadInput = z.strictObject({
  /** The ones read; absent: all of them. */
  ids: z.array(z.number().int().positive()).min(1).max(500).optional(),
});

/** Marks a person's notifications read (only their own) and tells their other tabs the new unread count. */
export async function markNotificationsRead(ctx: CoreContext, userId: string, input: z.infer<typeof markReadInput>): Promise<number> {
  await ctx.db
    .update(notifications)
    .set({ readAt: ctx.clock.now() })
    .where(and(eq(notifications.userId, userId), isNull(notifications.readAt), input.ids ? inArray(notifications.id, input.ids) : undefined));
  const unread = await unreadCount(ctx.db, userId);
  ctx.notifications.readChanged(userId, unread);
  return unread;
}
