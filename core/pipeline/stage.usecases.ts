import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { leads, stages, type Stage } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents } from '../events/event-log.ts';
import { userActor } from '../events/lead-event.ts';
import { leadFor, type LeadView } from '../leads/lead-view.ts';
import { findLeadView } from '../leads/leads.repository.ts';
import { lockWorkedLead } from '../leads/worked-lead.ts';
import type { Viewer } from '../viewer.ts';

/** Stages that need an expected amount: from a quote on, the pipeline's figures count it. */
export const stagesNeedingAmount: readonly Stage[] = ['quoted', 'negotiation', 'won'];

export const stageChangeInput = z
  .strictObject({
    stage: z.enum(stages),
    /** Why it was lost: required for `lost`. */
    lostReason: z.string().trim().min(1, 'required').max(200).optional(),
    /** The expected amount (CNY), when moving to a stage that needs one and the lead has none yet. */
    expectedAmount: z.number().min(0).max(1e12).optional(),
  })
  .refine((input) => input.stage !== 'lost' || input.lostReason !== undefined, { path: ['lostReason'], message: 'required' });
export type StageChangeInput = z.infer<typeof stageChangeInput>;

/**
 * Moves a held lead to another stage (the owner, a rep it is shared with, a manager of the owner's
 * team, an admin): appends `lead.stage_changed` and restarts the stage's clock, which the pool's
 * stage-idle recycling and the stage-idle reminder count from. Moving to the same stage changes nothing.
 */
export async function changeStage(ctx: CoreContext, viewer: Viewer, leadId: number, input: StageChangeInput): Promise<LeadView> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const row = await lockWorkedLead(tx, viewer, leadId, 'stage.lead_in_pool');
    if (row.stage === input.stage) return leadFor(viewer, (await findLeadView(tx, leadId))!);
    const amount = input.expectedAmount ?? row.expectedAmount;
    if (stagesNeedingAmount.includes(input.stage) && amount === null) {
      throw new AppError('request.invalid', { fields: { expectedAmount: ['required_for_stage'] } });
    }
    const now = ctx.clock.now();
    await tx
      .update(leads)
      .set({ stage: input.stage, stageChangedAt: now, lastActivityAt: now, ...(input.expectedAmount === undefined ? {} : { expectedAmount: input.expectedAmount }) })
      .where(eq(leads.id, leadId));
    const lead = (await findLeadView(tx, leadId))!;
    emit({
      type: 'lead.stage_changed',
      leadId,
      actor: userActor(viewer),
      data: { lead, from: row.stage, to: input.stage, ...(input.stage === 'lost' ? { lostReason: input.lostReason! } : {}) },
      ownerId: lead.ownerId,
      teamId: lead.teamId,
    });
    return leadFor(viewer, lead);
  });
}
