import { and, desc, eq, gte } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { approvalRequests, leads, lostReasons, type Stage } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { dealInput, dealAmount, findDeal, saveDeal } from '../deals/deals.usecases.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents, type Emit } from '../events/event-log.ts';
import { userActor, type LostReasonRef } from '../events/lead-event.ts';
import { leadFor, type LeadView } from '../leads/lead-view.ts';
import { findLeadView } from '../leads/leads.repository.ts';
import { lockWorkedLead } from '../leads/worked-lead.ts';
import { addSystemTasks } from '../tasks/tasks.usecases.ts';
import type { Viewer } from '../viewer.ts';
import { getApprovalSettings, listStages, type StageView } from './pipeline-config.usecases.ts';

export const stageChangeInput = z.strictObject({
  stage: z.string().min(1).max(40),
  /** Why it was lost (an active reason of the admin's list): required for `lost`. */
  lostReasonId: z.number().int().optional(),
  /** A few words more on the loss. */
  lostNote: z.string().trim().max(200).optional(),
  /** The expected amount (CNY), when moving to a stage that needs one and the lead has none yet. */
  expectedAmount: z.number().min(0).max(1e12).optional(),
  /** The order, when winning the lead (a lead won before keeps its order when none is given). */
  deal: dealInput.optional(),
});
export type StageChangeInput = z.infer<typeof stageChangeInput>;

/** A locked lead row as `lockWorkedLead` answers it. */
type LockedLead = Awaited<ReturnType<typeof lockWorkedLead>>;

const DAY_MS = 86_400_000;

/**
 * Whether a lead worth `amount` needs an approval to enter `target`: the approval stage and every later
 * stage but lost, above the threshold, unless a request for at least this amount was approved.
 */
export async function approvalNeeded(tx: Db, leadId: number, stages: StageView[], target: StageView, amount: number | null): Promise<{ threshold: number; stage: Stage } | null> {
  const approval = await getApprovalSettings(tx);
  if (approval.threshold === null || amount === null || amount <= approval.threshold || target.kind === 'lost') return null;
  const gate = stages.findIndex((s) => s.key === approval.stage);
  if (gate < 0 || stages.findIndex((s) => s.key === target.key) < gate) return null;
  const [approved] = await tx
    .select({ id: approvalRequests.id })
    .from(approvalRequests)
    .where(and(eq(approvalRequests.leadId, leadId), eq(approvalRequests.status, 'approved'), gte(approvalRequests.amount, amount)))
    .orderBy(desc(approvalRequests.id))
    .limit(1);
  return approved ? null : { threshold: approval.threshold, stage: approval.stage };
}

/**
 * Moves the locked lead `row` to `input.stage` inside the caller's transaction: checks what the stage
 * requires (an amount, a lost reason, the order when won, an approval above the threshold), appends
 * `lead.stage_changed` (and `deal.won`), and puts the stage's SOP tasks on the owner's list.
 */
export async function moveStage(tx: Db, ctx: CoreContext, emit: Emit, actor: Viewer, leadId: number, row: LockedLead, input: StageChangeInput): Promise<LeadView> {
  const stages = await listStages(tx);
  const target = stages.find((s) => s.key === input.stage);
  if (!target) throw new AppError('request.invalid', { fields: { stage: ['unknown_stage'] } });
  if (row.stage === input.stage) return (await findLeadView(tx, leadId))!;

  const fields: Record<string, string[]> = {};
  // An order only comes with a win.
  const newDeal = target.kind === 'won' ? input.deal : undefined;
  const existingDeal = target.kind === 'won' && !newDeal ? await findDeal(tx, leadId) : null;
  if (target.kind === 'won' && !newDeal && !existingDeal) fields['deal'] = ['required_for_stage'];
  const amount = newDeal ? dealAmount(newDeal.items) : (existingDeal?.amount ?? input.expectedAmount ?? row.expectedAmount);
  if (target.requiresAmount && amount === null) fields['expectedAmount'] = ['required_for_stage'];
  let lostReason: LostReasonRef | undefined;
  if (target.kind === 'lost') {
    const [reason] = input.lostReasonId === undefined ? [] : await tx.select().from(lostReasons).where(and(eq(lostReasons.id, input.lostReasonId), eq(lostReasons.active, true)));
    if (reason) lostReason = { id: reason.id, key: reason.key, name: reason.name };
    else fields['lostReasonId'] = ['required'];
  }
  if (Object.keys(fields).length) throw new AppError('request.invalid', { fields });
  const gate = await approvalNeeded(tx, leadId, stages, target, amount);
  if (gate) {
    const [pending] = await tx.select({ id: approvalRequests.id }).from(approvalRequests).where(and(eq(approvalRequests.leadId, leadId), eq(approvalRequests.status, 'pending')));
    throw new AppError('stage.approval_required', { ...gate, amount, pendingId: pending?.id ?? null });
  }

  const now = ctx.clock.now();
  await tx
    .update(leads)
    .set({
      stage: target.key,
      stageChangedAt: now,
      lastActivityAt: now,
      lostReasonId: lostReason?.id ?? null,
      ...(amount !== row.expectedAmount ? { expectedAmount: amount } : {}),
    })
    .where(eq(leads.id, leadId));
  const deal = newDeal ? await saveDeal(tx, leadId, row.ownerId, actor, newDeal, now) : null;
  const tasks = row.ownerId
    ? await addSystemTasks(
        tx,
        target.tasks.map((t) => ({ leadId, assigneeId: row.ownerId!, source: 'stage' as const, title: t.title, titleKey: t.preset, dueAt: new Date(now.getTime() + t.dueDays * DAY_MS), createdAt: now })),
      )
    : [];
  const lead = (await findLeadView(tx, leadId))!;
  const parties = { ownerId: lead.ownerId, teamId: lead.teamId };
  emit({
    type: 'lead.stage_changed',
    leadId,
    actor: userActor(actor),
    data: { lead, from: row.stage, to: target.key, fromName: stages.find((s) => s.key === row.stage)?.name ?? null, toName: target.name, ...(lostReason ? { lostReason } : {}), ...(input.lostNote && lostReason ? { lostNote: input.lostNote } : {}) },
    ...parties,
  });
  if (deal) emit({ type: 'deal.won', leadId, actor: userActor(actor), data: { lead, deal }, ...parties });
  for (const task of tasks) emit({ type: 'lead.task_added', leadId, actor: userActor(actor), data: { lead, task }, ...parties });
  return lead;
}

/**
 * Moves a held lead to another stage (the owner, a rep it is shared with, a manager of the owner's
 * team, an admin). Moving to the same stage changes nothing. The move restarts the stage's clock, which
 * the pool's stage-idle recycling and the stage-idle reminder count from.
 */
export async function changeStage(ctx: CoreContext, viewer: Viewer, leadId: number, input: StageChangeInput): Promise<LeadView> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const row = await lockWorkedLead(tx, viewer, leadId, 'stage.lead_in_pool');
    return leadFor(viewer, await moveStage(tx, ctx, emit, viewer, leadId, row, input));
  });
}
