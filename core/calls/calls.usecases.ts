import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { calls, callOutcomes, leads, users, type CallOutcome } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents } from '../events/event-log.ts';
import { userActor } from '../events/lead-event.ts';
import { leadFor, type LeadView } from '../leads/lead-view.ts';
import { findLeadView } from '../leads/leads.repository.ts';
import { lockWorkedLead } from '../leads/worked-lead.ts';
import { addSystemTasks, type TaskView } from '../tasks/tasks.usecases.ts';
import type { Viewer } from '../viewer.ts';

/** A call as the API and the events show it. */
export interface CallView {
  id: number;
  leadId: number;
  userId: string;
  userName: string;
  startedAt: string;
  endedAt: string | null;
  durationSeconds: number | null;
  outcome: CallOutcome | null;
  notes: string | null;
  nextStep: string | null;
  callbackAt: string | null;
}

/** Outcomes that reached the customer: they count as a follow-up (the recycling clock restarts). */
const reached: readonly CallOutcome[] = ['connected', 'callback', 'not_interested'];

async function findCall(db: CoreContext['db'], id: number): Promise<CallView> {
  const [row] = await db
    .select({
      id: calls.id,
      leadId: calls.leadId,
      userId: calls.userId,
      userName: users.name,
      startedAt: calls.startedAt,
      endedAt: calls.endedAt,
      durationSeconds: calls.durationSeconds,
      outcome: calls.outcome,
      notes: calls.notes,
      nextStep: calls.nextStep,
      callbackAt: calls.callbackAt,
    })
    .from(calls)
    .innerJoin(users, eq(users.id, calls.userId))
    .where(eq(calls.id, id));
  if (!row) throw new AppError('call.not_found', { id });
  return { ...row, startedAt: row.startedAt.toISOString(), endedAt: row.endedAt?.toISOString() ?? null, callbackAt: row.callbackAt?.toISOString() ?? null };
}

export const startCallInput = z.strictObject({
  /** Call even though someone else is on the line with this customer (they were warned). */
  force: z.boolean().optional(),
});

/**
 * A rep starts a call with a held lead they work: everyone watching sees "李强 通话中" until the
 * call ends. Someone else already on the line answers `call.in_progress` (409, naming them) unless `force`.
 */
export async function startCall(ctx: CoreContext, viewer: Viewer, leadId: number, input: z.infer<typeof startCallInput>): Promise<{ call: CallView; lead: LeadView }> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    await lockWorkedLead(tx, viewer, leadId, 'call.lead_in_pool');
    const [open] = await tx
      .select({ id: calls.id, userId: calls.userId, name: users.name, since: calls.startedAt })
      .from(calls)
      .innerJoin(users, eq(users.id, calls.userId))
      .where(and(eq(calls.leadId, leadId), isNull(calls.endedAt)));
    if (open && open.userId === viewer.id) return { call: await findCall(tx, open.id), lead: leadFor(viewer, (await findLeadView(tx, leadId))!) };
    if (open && !input.force) throw new AppError('call.in_progress', { by: open.name, since: open.since.toISOString() });
    const [created] = await tx.insert(calls).values({ leadId, userId: viewer.id, startedAt: ctx.clock.now() }).returning({ id: calls.id });
    const call = await findCall(tx, created!.id);
    const lead = (await findLeadView(tx, leadId))!;
    emit({ type: 'lead.call_started', leadId, actor: userActor(viewer), data: { lead, call }, ownerId: lead.ownerId, teamId: lead.teamId });
    return { call, lead: leadFor(viewer, lead) };
  });
}

export const endCallInput = z
  .strictObject({
    outcome: z.enum(callOutcomes),
    notes: z.string().trim().max(2000).optional(),
    nextStep: z.string().trim().max(500).optional(),
    /** When to call back: required for `callback`, which puts a callback task on the caller's list. */
    callbackAt: z.iso.datetime({ offset: true }).optional(),
  })
  .refine((v) => v.outcome !== 'callback' || v.callbackAt !== undefined, { path: ['callbackAt'], message: 'required' });

/**
 * The caller hangs up and logs how it went: duration and outcome are stored, `lead.called` goes to
 * everyone watching (the on-call marker clears), a call that reached the customer counts as a
 * follow-up, and a callback time becomes a task.
 */
export async function endCall(ctx: CoreContext, viewer: Viewer, callId: number, input: z.infer<typeof endCallInput>): Promise<{ call: CallView; lead: LeadView; task: TaskView | null }> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const [row] = await tx.select({ userId: calls.userId, leadId: calls.leadId, startedAt: calls.startedAt, endedAt: calls.endedAt }).from(calls).where(eq(calls.id, callId)).for('update');
    if (!row) throw new AppError('call.not_found', { id: callId });
    if (row.userId !== viewer.id) throw new AppError('call.not_yours');
    if (row.endedAt) throw new AppError('call.ended');
    const now = ctx.clock.now();
    await tx
      .update(calls)
      .set({
        endedAt: now,
        durationSeconds: Math.max(0, Math.round((now.getTime() - row.startedAt.getTime()) / 1000)),
        outcome: input.outcome,
        notes: input.notes || null,
        nextStep: input.nextStep || null,
        callbackAt: input.callbackAt ? new Date(input.callbackAt) : null,
      })
      .where(eq(calls.id, callId));
    await tx
      .update(leads)
      .set({ lastActivityAt: now, ...(reached.includes(input.outcome) ? { lastFollowUpAt: now } : {}) })
      .where(and(eq(leads.id, row.leadId), sql`${leads.ownerId} is not null`));
    const [task] = input.outcome === 'callback' ? await addSystemTasks(tx, [{ leadId: row.leadId, assigneeId: viewer.id, source: 'callback', dueAt: new Date(input.callbackAt!) }]) : [];
    const call = await findCall(tx, callId);
    const lead = (await findLeadView(tx, row.leadId))!;
    emit({ type: 'lead.called', leadId: row.leadId, actor: userActor(viewer), data: { lead, call }, ownerId: lead.ownerId, teamId: lead.teamId });
    if (task) emit({ type: 'lead.task_added', leadId: row.leadId, actor: userActor(viewer), data: { lead, task }, ownerId: lead.ownerId, teamId: lead.teamId });
    return { call, lead: leadFor(viewer, lead), task: task ?? null };
  });
}
