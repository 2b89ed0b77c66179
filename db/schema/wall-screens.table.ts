import { boolean, integer, jsonb, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { teams } from './teams.table.ts';
import { users } from './users.table.ts';

/** What a wall screen can show, one scene at a time. */
export const wallScenes = ['leaderboard', 'funnel', 'pool', 'wins', 'exhibitions'] as const;
export type WallScene = (typeof wallScenes)[number];

/** What a wall screen's leaderboard ranks by. */
export const wallMetrics = ['calls', 'talkSeconds', 'wins', 'revenue'] as const;
export type WallMetric = (typeof wallMetrics)[number];

/**
 * A sales-floor TV: what it shows, to whom it belongs (a team, or the whole organisation), and the
 * display token it signs in with. Only the token's SHA-256 is kept; the token is shown once.
 */
export const wallScreens = pgTable(
  'wall_screens',
  {
    id: text()
      .primaryKey()
      .$defaultFn(() => crypto.randomUUID()),
    name: text().notNull(),
    // Null: the whole organisation.
    teamId: text().references(() => teams.id, { onDelete: 'cascade' }),
    // The scenes in the order they rotate.
    scenes: jsonb().$type<WallScene[]>().notNull(),
    metric: text({ enum: wallMetrics }).notNull().default('calls'),
    rotateSeconds: integer().notNull().default(20),
    // 王芳 → 王*: the room may have visitors.
    maskNames: boolean().notNull().default(false),
    sound: boolean().notNull().default(false),
    // The screen's language (the TV has no switch of its own; `?lang=` overrides).
    locale: text({ enum: ['zh-CN', 'en'] }).notNull().default('zh-CN'),
    // SHA-256 (hex) of the current display token; null until one is issued.
    tokenHash: text(),
    // A 6-digit code the TV may trade for a token once, until it expires.
    pairingCode: text(),
    pairingExpiresAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    lastSeenAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // Each request of a TV finds its screen by the token's hash.
    uniqueIndex('wall_screens_by_token').on(t.tokenHash),
    // A pairing code names one screen while it is live.
    uniqueIndex('wall_screens_by_pairing_code').on(t.pairingCode).where(sql`${t.pairingCode} is not null`),
  ],
);

export type WallScreen = typeof wallScreens.$inferSelect;
