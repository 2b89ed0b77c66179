import { sql } from 'drizzle-orm';
import { bigint, boolean, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';

/** Where a webhook posts: any HTTPS endpoint (signed JSON), or a DingTalk or WeCom group robot (markdown). */
export const webhookKinds = ['generic', 'dingtalk', 'wecom'] as const;
export type WebhookKind = (typeof webhookKinds)[number];

/** An outbound webhook: the lead events it is sent, where, and how it is signed. */
export const webhooks = pgTable('webhooks', {
  id: text()
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  name: text().notNull(),
  kind: text({ enum: webhookKinds }).notNull(),
  url: text().notNull(),
  // generic: the HMAC-SHA256 key; dingtalk: the robot's signing secret (加签), if it has one; wecom: none.
  secret: text(),
  // Lead event types it is sent (lead.created, lead.claimed, ...).
  events: text().array().notNull(),
  enabled: boolean().notNull().default(true),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

/** One event's delivery to one webhook, with its attempts so far: the delivery log. */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    webhookId: text()
      .notNull()
      .references(() => webhooks.id, { onDelete: 'cascade' }),
    // The event sent; null for a test message.
    eventSeq: bigint({ mode: 'number' }),
    eventType: text().notNull(),
    status: text({ enum: deliveryStatuses }).notNull().default('pending'),
    attempts: integer().notNull().default(0),
    nextAttemptAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    responseStatus: integer(),
    // The endpoint's answer (first 2,000 characters), or why there was none.
    response: text(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    deliveredAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // One delivery per event and webhook, however often the dispatcher runs.
    uniqueIndex('webhook_deliveries_once').on(t.webhookId, t.eventSeq),
    // The deliverer: what is due now.
    index('webhook_deliveries_due').on(t.nextAttemptAt).where(sql`${t.status} = 'pending'`),
    // A webhook's log, newest first.
    index('webhook_deliveries_log').on(t.webhookId, t.id.desc()),
  ],
);

/** How far the dispatcher has turned the event log into deliveries (one row). */
export const webhookCursor = pgTable('webhook_cursor', {
  id: integer().primaryKey().default(1),
  lastSeq: bigint({ mode: 'number' }).notNull().default(0),
});

export type Webhook = typeof webhooks.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;
