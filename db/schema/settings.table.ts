import { boolean, check, integer, jsonb, numeric, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { ApprovalStep } from './approvals.table.ts';
import type { Stage } from './pipeline.table.ts';

// A single row (id = 1) of organisation-wide settings an admin may change.
export const settings = pgTable(
  'settings',
  {
    id: smallint().primaryKey().default(1),
    // The organisation's day (daily claim limits, reminders) is counted in this IANA time zone.
    timeZone: text().notNull().default('Asia/Shanghai'),
    // Signs session cookies; kept here so every node and every restart agree (BETTER_AUTH_SECRET overrides).
    authSecret: text(),
    // Reminders and SLAs (core/rules/reminders.usecases.ts), each off when null:
    // a lead taken and not followed up within these hours tells its owner and the team's managers;
    remindUnhandledHours: integer().default(24),
    // a lead sitting in a stage this many days (by stage) tells the team's managers;
    remindStageIdleDays: jsonb().$type<Record<Stage, number>>().notNull().default({ quoted: 3 }),
    // a planned follow-up coming due tells the owner;
    remindFollowUpDue: boolean().notNull().default(true),
    // a lead worth at least this much untouched for this many days gives its owner a care reminder.
    remindCareAmount: numeric({ precision: 14, scale: 2, mode: 'number' }).default(500_000),
    remindCareDays: integer().default(30),
    // A lead worth more than this (CNY) cannot enter the approval stage until its chain approves; null: no approvals.
    approvalThreshold: numeric({ precision: 14, scale: 2, mode: 'number' }).default(500_000),
    approvalStage: text().$type<Stage>().notNull().default('quoted'),
    approvalChain: jsonb().$type<ApprovalStep[]>().notNull().default([{ kind: 'team_manager' }]),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [check('settings_single_row', sql`${t.id} = 1`)],
);

export type Settings = typeof settings.$inferSelect;
