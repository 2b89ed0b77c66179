import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, numeric, pgTable, smallint, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { leads } from './leads.table.ts';
import { users } from './users.table.ts';

/** Who decides one step of an approval: the lead's team's managers, or a named person (a director). */
export type ApprovalStep = { kind: 'team_manager' } | { kind: 'user'; userId: string };

export const approvalStatuses = ['pending', 'approved', 'rejected'] as const;
export type ApprovalStatus = (typeof approvalStatuses)[number];

/** One decision on a step of the chain. */
export interface ApprovalDecision {
  step: number;
  byId: string;
  byName: string;
  approved: boolean;
  comment: string | null;
  at: string;
}

/** A rep's request to move a big lead into the stage that needs approval (by default 'quoted'). */
export const approvalRequests = pgTable(
  'approval_requests',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    leadId: bigint({ mode: 'number' })
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    requestedBy: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    stage: text().notNull(),
    amount: numeric({ precision: 14, scale: 2, mode: 'number' }).notNull(),
    comment: text(),
    // The chain as it was when asked: a change to the settings does not move requests already on their way.
    chain: jsonb().$type<ApprovalStep[]>().notNull(),
    // The step waiting for a decision (0-based); the chain's length once approved.
    step: smallint().notNull().default(0),
    status: text({ enum: approvalStatuses }).notNull().default('pending'),
    decisions: jsonb().$type<ApprovalDecision[]>().notNull().default([]),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    decidedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // One request on its way per lead.
    uniqueIndex('approvals_one_pending_per_lead').on(t.leadId).where(sql`${t.status} = 'pending'`),
    // The approvers' inbox: pending requests, oldest first.
    index('approvals_pending').on(t.createdAt).where(sql`${t.status} = 'pending'`),
    index('approvals_by_lead').on(t.leadId),
  ],
);

export type ApprovalRow = typeof approvalRequests.$inferSelect;
