import { eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { deals, users, type DealInstalment, type DealItem } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents } from '../events/event-log.ts';
import { userActor } from '../events/lead-event.ts';
import { findLeadView } from '../leads/leads.repository.ts';
import { lockWorkedLead } from '../leads/worked-lead.ts';
import type { Viewer } from '../viewer.ts';

/** A won lead's order as the API shows it. */
export interface DealView {
  id: number;
  leadId: number;
  contractNo: string;
  amount: number;
  items: DealItem[];
  instalments: DealInstalment[];
  signedOn: string;
  ownerName: string | null;
  wonAt: string;
}

const money = z.number().min(0).max(1e12);
const day = z.iso.date();

/** The order a lead is won with: contract number, products, and how it is paid (instalments summing to the amount). */
export const dealInput = z
  .strictObject({
    contractNo: z.string().trim().min(1, 'required').max(60),
    signedOn: day,
    items: z
      .array(z.strictObject({ name: z.string().trim().min(1, 'required').max(200), quantity: z.number().positive().max(1e9), unitPrice: money }))
      .min(1, 'required')
      .max(50),
    instalments: z
      .array(z.strictObject({ dueOn: day, amount: money.positive(), paid: z.boolean().default(false) }))
      .min(1, 'required')
      .max(24),
  })
  .superRefine((deal, ctx) => {
    const total = dealAmount(deal.items);
    const planned = cents(deal.instalments.reduce((sum, i) => sum + i.amount, 0));
    if (planned !== total) ctx.addIssue({ code: 'custom', path: ['instalments'], message: 'sum_mismatch' });
  });
export type DealInput = z.infer<typeof dealInput>;

const cents = (n: number) => Math.round(n * 100) / 100;
/** The order's amount: its lines' quantity × unit price, to the cent. */
export const dealAmount = (items: readonly Pick<DealItem, 'quantity' | 'unitPrice'>[]) => cents(items.reduce((sum, i) => sum + i.quantity * i.unitPrice, 0));

const dealColumns = {
  id: deals.id,
  leadId: deals.leadId,
  contractNo: deals.contractNo,
  amount: deals.amount,
  items: deals.items,
  instalments: deals.instalments,
  signedOn: deals.signedOn,
  ownerName: users.name,
  wonAt: deals.wonAt,
};

export async function findDeal(db: Db, leadId: number): Promise<DealView | null> {
  const [row] = await db.select(dealColumns).from(deals).leftJoin(users, eq(users.id, deals.ownerId)).where(eq(deals.leadId, leadId));
  return row ? { ...row, wonAt: row.wonAt.toISOString() } : null;
}

/**
 * Writes the order a lead is won with, in the stage change's transaction `tx` (a lead won again replaces
 * its order). A contract number already used answers `deal.contract_taken`.
 */
export async function saveDeal(tx: Db, leadId: number, ownerId: string | null, by: Viewer, input: DealInput, now: Date): Promise<DealView> {
  const [taken] = await tx
    .select({ leadId: deals.leadId })
    .from(deals)
    .where(sql`lower(${deals.contractNo}) = lower(${input.contractNo}) and ${deals.leadId} <> ${leadId}`);
  if (taken) throw new AppError('deal.contract_taken', { contractNo: input.contractNo, leadId: taken.leadId });
  const values = {
    contractNo: input.contractNo,
    amount: dealAmount(input.items),
    items: input.items,
    instalments: input.instalments.map(({ paid, ...i }) => ({ ...i, paidAt: paid ? now.toISOString() : null })),
    signedOn: input.signedOn,
    ownerId,
    createdBy: by.id,
    wonAt: now,
  };
  await tx.insert(deals).values({ leadId, ...values }).onConflictDoUpdate({ target: deals.leadId, set: values });
  return (await findDeal(tx, leadId))!;
}

export const instalmentPaidInput = z.strictObject({ paid: z.boolean() });

/** Marks an instalment of a won lead's payment plan paid (or not), by someone working the lead. */
export async function setInstalmentPaid(ctx: CoreContext, viewer: Viewer, leadId: number, index: number, paid: boolean): Promise<DealView> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    await lockWorkedLead(tx, viewer, leadId, 'deal.lead_in_pool');
    const deal = await findDeal(tx, leadId);
    if (!deal) throw new AppError('deal.not_found', { leadId });
    const instalment = deal.instalments[index];
    if (!instalment) throw new AppError('deal.not_found', { leadId, instalment: index });
    if ((instalment.paidAt !== null) === paid) return deal;
    const instalments = deal.instalments.map((i, n) => (n === index ? { ...i, paidAt: paid ? ctx.clock.now().toISOString() : null } : i));
    await tx.update(deals).set({ instalments }).where(eq(deals.id, deal.id));
    const updated = (await findDeal(tx, leadId))!;
    const lead = (await findLeadView(tx, leadId))!;
    emit({ type: 'deal.paid', leadId, actor: userActor(viewer), data: { lead, deal: updated, instalment: index, paid }, ownerId: lead.ownerId, teamId: lead.teamId });
    return updated;
  });
}
