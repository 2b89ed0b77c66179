import { sql } from 'drizzle-orm';
import { bigint, date, index, jsonb, numeric, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { leads } from './leads.table.ts';
import { users } from './users.table.ts';

/** One line of an order: a product, how many, at what unit price (CNY). */
export interface DealItem {
  name: string;
  quantity: number;
  unitPrice: number;
}

/** One instalment of the payment plan; `paidAt` is set when the money arrived. */
export interface DealInstalment {
  dueOn: string;
  amount: number;
  paidAt: string | null;
}

/** The order a won lead became: at most one per lead. */
export const deals = pgTable(
  'deals',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    leadId: bigint({ mode: 'number' })
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    contractNo: text().notNull(),
    // The sum of the items (CNY); the lead's expected amount becomes it.
    amount: numeric({ precision: 14, scale: 2, mode: 'number' }).notNull(),
    items: jsonb().$type<DealItem[]>().notNull(),
    instalments: jsonb().$type<DealInstalment[]>().notNull(),
    signedOn: date().notNull(),
    ownerId: text().references(() => users.id, { onDelete: 'set null' }),
    createdBy: text().references(() => users.id, { onDelete: 'set null' }),
    wonAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('deals_one_per_lead').on(t.leadId),
    // A contract number names one order.
    uniqueIndex('deals_by_contract_no').on(sql`lower(${t.contractNo})`),
    // Revenue by time (leaderboards, dashboards).
    index('deals_by_won_at').on(t.wonAt),
  ],
);

export type DealRow = typeof deals.$inferSelect;
