import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { leads } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { transactWithEvents } from '../events/event-log.ts';
import { followUpChannels, userActor } from '../events/lead-event.ts';
import { leadFor, type LeadView } from '../leads/lead-view.ts';
import { findLeadView } from '../leads/leads.repository.ts';
import { lockWorkedLead } from '../leads/worked-lead.ts';
import type { Viewer } from '../viewer.ts';

export const followUpInput = z.strictObject({
  channel: z.enum(followUpChannels),
  summary: z.string().trim().min(1, 'required').max(2000),
  /** When to follow up next (ISO 8601 with offset); null or absent: not planned. */
  nextAt: z.iso.datetime({ offset: true }).nullable().optional(),
});
export type FollowUpInput = z.infer<typeof followUpInput>;

/**
 * Records a follow-up on a held lead (the owner, a rep it is shared with, a manager of the owner's
 * team, an admin): appends `lead.followed_up`, restarts the recycling clock and plans the reminder
 * of the next follow-up. It takes the lead's row lock, so it and a recycling sweep are ordered:
 * after a recycle it answers `follow_up.lead_in_pool`, and a sweep after it sees the new due time.
 */
export async function logFollowUp(ctx: CoreContext, viewer: Viewer, leadId: number, input: FollowUpInput): Promise<LeadView> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    await lockWorkedLead(tx, viewer, leadId, 'follow_up.lead_in_pool');
    const now = ctx.clock.now();
    const nextAt = input.nextAt ? new Date(input.nextAt) : null;
    await tx.update(leads).set({ lastFollowUpAt: now, lastActivityAt: now, nextFollowUpAt: nextAt }).where(eq(leads.id, leadId));
    const lead = (await findLeadView(tx, leadId))!;
    const followUp = { channel: input.channel, summary: input.summary, nextAt: nextAt?.toISOString() ?? null };
    emit({ type: 'lead.followed_up', leadId, actor: userActor(viewer), data: { lead, followUp }, ownerId: lead.ownerId, teamId: lead.teamId });
    return leadFor(viewer, lead);
  });
}
