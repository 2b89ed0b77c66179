import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';
import { users } from './users.table.ts';

/** Keys other systems use on the intake API; only a hash of the secret is kept. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    name: text().notNull(),
    // The first characters of the key, shown so people can tell keys apart.
    prefix: text().notNull(),
    // SHA-256 of the whole key, hex.
    keyHash: text().notNull().unique(),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
);

/** Answers already given to an `Idempotency-Key`, so a retried request creates nothing new. */
export const intakeRequests = pgTable(
  'intake_requests',
  {
    apiKeyId: text()
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    idempotencyKey: text().notNull(),
    // SHA-256 of the request body: the same key with another body is refused.
    requestHash: text().notNull(),
    status: integer().notNull(),
    response: jsonb().notNull(),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.idempotencyKey] }), index('intake_requests_by_time').on(t.createdAt)],
);

export type ApiKey = typeof apiKeys.$inferSelect;
