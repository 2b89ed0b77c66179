import { bigint, boolean, index, integer, jsonb, numeric, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { exhibitions } from './exhibitions.table.ts';
import { COMPANY_POOL_ID, pools } from './pools.table.ts';
import { teams } from './teams.table.ts';
import { users } from './users.table.ts';

export const intents = ['A', 'B', 'C', 'D'] as const;
export type Intent = (typeof intents)[number];

import type { Stage } from './pipeline.table.ts';

/** The recycling rules of a pool, by what they watch (db/schema/pools.table.ts). */
export const recycleRules = ['no_follow_up', 'idle', 'stage_idle', 'not_won'] as const;
export type RecycleRule = (typeof recycleRules)[number];

/** The reminders a held lead can come due for (core/rules/reminders.usecases.ts). */
export const reminderKinds = ['unhandled', 'stage_idle', 'follow_up_due', 'care'] as const;
export type ReminderKind = (typeof reminderKinds)[number];

export const sourceChannels = ['exhibition', 'manual', 'import', 'web', 'api', 'referral'] as const;
export type SourceChannel = (typeof sourceChannels)[number];

export const leads = pgTable(
  'leads',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    company: text().notNull(),
    // What duplicates are matched on (core/dedup/cleaning.ts `companyKey`); null only for rows older than the column.
    companyKey: text(),
    contactName: text(),
    title: text(),
    mobile: text(),
    phone: text(),
    // The landline's extension (（0531）8888-6666 转 123); `phone` holds the number alone, in E.164.
    phoneExt: text(),
    email: text(),
    province: text(),
    city: text(),
    industry: text(),
    sourceChannel: text({ enum: sourceChannels }).notNull().default('manual'),
    exhibitionId: text().references(() => exhibitions.id, { onDelete: 'set null' }),
    intent: text({ enum: intents }),
    // A key of pipeline_stages (db/schema/pipeline.table.ts); an admin cannot remove a stage leads are in.
    stage: text().$type<Stage>().notNull().default('new'),
    // The pool the lead sits in while unclaimed, and returns to when released or recycled.
    poolId: text()
      .notNull()
      .default(COMPANY_POOL_ID)
      .references(() => pools.id),
    ownerId: text().references(() => users.id, { onDelete: 'set null' }),
    // The owner's team when it was claimed: managers see their team's leads.
    teamId: text().references(() => teams.id, { onDelete: 'set null' }),
    claimedAt: timestamp({ withTimezone: true }),
    lastActivityAt: timestamp({ withTimezone: true }),
    lastFollowUpAt: timestamp({ withTimezone: true }),
    stageChangedAt: timestamp({ withTimezone: true }),
    // The furthest stage the lead has reached when that is not `stage` (it was lost, or moved back); null:
    // `stage` is. Kept by the leads_furthest_stage trigger (migration 0018) for the funnel, which counts a
    // lost lead as far as it got.
    furthestStage: text().$type<Stage>(),
    // Why a lost lead was lost (db/schema/pipeline.table.ts lost_reasons).
    lostReasonId: integer(),
    // A manager keeps the lead with its owner: recycling leaves it alone.
    recycleLocked: boolean().notNull().default(false),
    // When the pool's recycling takes it back, and by which rule: kept by the leads_schedule_recycle
    // trigger (migration 0007) from the columns above and the pool's policy; null: it will not be.
    recycleDueAt: timestamp({ withTimezone: true }),
    recycleRule: text({ enum: recycleRules }),
    // The due time the owner was last warned of; a new due time warns again.
    recycleWarnedFor: timestamp({ withTimezone: true }),
    // When the last follow-up planned the next one.
    nextFollowUpAt: timestamp({ withTimezone: true }),
    // The next reminder the lead comes due for, what it is and what it is about (the claim, the stage's
    // start, the planned time, the last interaction): kept by the leads_schedule_reminder trigger
    // (migration 0010) from the columns here and the settings; null: none.
    remindDueAt: timestamp({ withTimezone: true }),
    remindKind: text({ enum: reminderKinds }),
    remindKey: timestamp({ withTimezone: true }),
    // Reminders sent, by kind: the epoch seconds of the key each was sent for (once per key).
    reminded: jsonb().$type<Partial<Record<ReminderKind, number>>>().notNull().default({}),
    expectedAmount: numeric({ precision: 14, scale: 2, mode: 'number' }),
    // Values of the admin-defined custom fields, by field key (db/schema/custom-fields.table.ts).
    custom: jsonb().$type<Record<string, unknown>>().notNull().default({}),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // A pool's page: its unclaimed leads, newest first.
    index('leads_pool_newest').on(t.poolId, t.createdAt.desc(), t.id.desc()).where(sql`${t.ownerId} is null`),
    // My leads. Pool leads have no owner and are left out: a bulk import's inserts skip this index.
    index('leads_by_owner').on(t.ownerId, t.lastActivityAt).where(sql`${t.ownerId} is not null`),
    // A team's pipeline board: its held leads.
    index('leads_held_by_team').on(t.teamId).where(sql`${t.ownerId} is not null`),
    // The recycling sweep and its warnings: held leads by when they come due.
    index('leads_recycle_due').on(t.recycleDueAt).where(sql`${t.recycleDueAt} is not null`),
    // The reminder sweep: held leads by their next reminder.
    index('leads_remind_due').on(t.remindDueAt).where(sql`${t.remindDueAt} is not null`),
    // The duplicate check: same phone, same email, same or similar company key (pg_trgm).
    index('leads_by_mobile').on(t.mobile),
    index('leads_by_phone').on(t.phone),
    index('leads_by_email').on(t.email),
    index('leads_by_company_key_trgm').using('gin', t.companyKey.op('gin_trgm_ops')),
    // Exact company-key matches in bulk (import), and custom-field filters.
    index('leads_by_company_key').on(t.companyKey),
    index('leads_by_custom').using('gin', t.custom.op('jsonb_path_ops')),
    // The dashboards' covering indexes, leads_created_funnel (created_at) and leads_by_exhibition
    // (exhibition_id), carry INCLUDE columns drizzle cannot express: they live in migration 0018.
  ],
);

export type Lead = typeof leads.$inferSelect;
export type NewLead = typeof leads.$inferInsert;
