import { boolean, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const telephonyProviders = ['generic'] as const;
export type TelephonyProvider = (typeof telephonyProviders)[number];

/** A telephony adapter's settings (Admin › Telephony): one row per adapter, absent until an admin saves it. */
export const telephonyAdapters = pgTable('telephony_adapters', {
  provider: text({ enum: telephonyProviders }).primaryKey(),
  enabled: boolean().notNull().default(false),
  // Where click-to-call requests are posted.
  url: text(),
  // Signs requests out and verifies results in (HMAC-SHA256); the provider holds the same.
  secret: text().notNull(),
  updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export type TelephonyAdapterRow = typeof telephonyAdapters.$inferSelect;
