import { and, eq, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { callOutcomes, callRecordings, calls, leads, users, type CallOutcome, type CallRow, type ProviderCallStatus, type RecordingType } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents, type Emit } from '../events/event-log.ts';
import { userActor, type Actor } from '../events/lead-event.ts';
import { leadFor, type LeadView } from '../leads/lead-view.ts';
import { findLeadView } from '../leads/leads.repository.ts';
import { lockWorkedLead } from '../leads/worked-lead.ts';
import { addSystemTasks, type TaskView } from '../tasks/tasks.usecases.ts';
import type { Viewer } from '../viewer.ts';

/** A call's recording as the API and the events show it; `url` streams it (with Range) to those who may see the lead whole. */
export interface RecordingView {
  id: string;
  contentType: RecordingType;
  sizeBytes: number;
  createdAt: string;
  url: string;
}

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
  /** When the caller logged outcome and notes; null while open, or while a call the provider ended awaits them. */
  loggedAt: string | null;
  /** The telephony adapter that placed it ('generic'); null when dialled by hand. */
  provider: string | null;
  /** What the provider reported (answered, no_answer, busy, failed), or `not_placed` when it refused the call. */
  providerStatus: ProviderCallStatus | null;
  recording: RecordingView | null;
}

/** Outcomes that reached the customer: they count as a follow-up (the recycling clock restarts). */
const reached: readonly CallOutcome[] = ['connected', 'callback', 'not_interested'];

export const recordingUrl = (callId: number) => `/api/calls/${callId}/recording`;

/** One call as CallView, with its recording. */
export async function findCall(db: Db, id: number): Promise<CallView> {
  const [row] = await db
    .select({ call: calls, userName: users.name, recording: callRecordings })
    .from(calls)
    .innerJoin(users, eq(users.id, calls.userId))
    .leftJoin(callRecordings, eq(callRecordings.callId, calls.id))
    .where(eq(calls.id, id));
  if (!row) throw new AppError('call.not_found', { id });
  const { call: c, recording: r } = row;
  return {
    id: c.id,
    leadId: c.leadId,
    userId: c.userId,
    userName: row.userName,
    startedAt: c.startedAt.toISOString(),
    endedAt: c.endedAt?.toISOString() ?? null,
    durationSeconds: c.durationSeconds,
    outcome: c.outcome,
    notes: c.notes,
    nextStep: c.nextStep,
    callbackAt: c.callbackAt?.toISOString() ?? null,
    loggedAt: c.loggedAt?.toISOString() ?? null,
    provider: c.provider,
    providerStatus: c.providerStatus,
    recording: r ? { id: r.id, contentType: r.contentType, sizeBytes: r.sizeBytes, createdAt: r.createdAt.toISOString(), url: recordingUrl(c.id) } : null,
  };
}

/** Locks a call's row; throws `call.not_found`. */
export async function lockCall(tx: Db, id: number): Promise<CallRow> {
  const [row] = await tx.select().from(calls).where(eq(calls.id, id)).for('update');
  if (!row) throw new AppError('call.not_found', { id });
  return row;
}

export const startCallInput = z.strictObject({
  /** Call even though someone else is on the line with this customer (they were warned). */
  force: z.boolean().optional(),
  /** The rep dials on their own phone (a `tel:` link): no telephony adapter places this call. */
  selfDial: z.boolean().optional(),
});

/**
 * A rep starts a call with a held lead they work: everyone watching sees "李强 通话中" until the
 * call ends. Someone else already on the line answers `call.in_progress` (409, naming them) unless `force`.
 * `provider`: the telephony adapter that will place it. `created` is false when the rep was already on the line.
 */
export async function startCall(
  ctx: CoreContext,
  viewer: Viewer,
  leadId: number,
  input: z.infer<typeof startCallInput>,
  provider: string | null = null,
): Promise<{ call: CallView; lead: LeadView; created: boolean }> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    await lockWorkedLead(tx, viewer, leadId, 'call.lead_in_pool');
    const [open] = await tx
      .select({ id: calls.id, userId: calls.userId, name: users.name, since: calls.startedAt })
      .from(calls)
      .innerJoin(users, eq(users.id, calls.userId))
      .where(and(eq(calls.leadId, leadId), isNull(calls.endedAt)));
    if (open && open.userId === viewer.id) return { call: await findCall(tx, open.id), lead: leadFor(viewer, (await findLeadView(tx, leadId))!), created: false };
    if (open && !input.force) throw new AppError('call.in_progress', { by: open.name, since: open.since.toISOString() });
    const [created] = await tx.insert(calls).values({ leadId, userId: viewer.id, startedAt: ctx.clock.now(), provider }).returning({ id: calls.id });
    const call = await findCall(tx, created!.id);
    const lead = (await findLeadView(tx, leadId))!;
    emit({ type: 'lead.call_started', leadId, actor: userActor(viewer), data: { lead, call }, ownerId: lead.ownerId, teamId: lead.teamId });
    return { call, lead: leadFor(viewer, lead), created: true };
  });
}

/**
 * Writes how a call ended (or how its caller logged it afterwards) and appends `lead.called`: an
 * outcome is activity on the lead, a reached customer a follow-up, a callback time a task for the caller.
 */
export async function logCallEnd(
  tx: Db,
  emit: Emit,
  now: Date,
  row: Pick<CallRow, 'id' | 'leadId' | 'userId'>,
  set: Partial<Omit<CallRow, 'id' | 'leadId' | 'userId' | 'startedAt'>>,
  actor: Actor,
): Promise<{ call: CallView; lead: LeadView; task: TaskView | null }> {
  await tx.update(calls).set(set).where(eq(calls.id, row.id));
  if (set.outcome) {
    await tx
      .update(leads)
      .set({ lastActivityAt: now, ...(reached.includes(set.outcome) ? { lastFollowUpAt: now } : {}) })
      .where(and(eq(leads.id, row.leadId), sql`${leads.ownerId} is not null`));
  }
  const [task] = set.outcome === 'callback' && set.callbackAt ? await addSystemTasks(tx, [{ leadId: row.leadId, assigneeId: row.userId, source: 'callback', dueAt: set.callbackAt, createdAt: now }]) : [];
  const call = await findCall(tx, row.id);
  const lead = (await findLeadView(tx, row.leadId))!;
  emit({ type: 'lead.called', leadId: row.leadId, actor, data: { lead, call }, ownerId: lead.ownerId, teamId: lead.teamId });
  if (task) emit({ type: 'lead.task_added', leadId: row.leadId, actor, data: { lead, task }, ownerId: lead.ownerId, teamId: lead.teamId });
  return { call, lead, task: task ?? null };
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
 * follow-up, and a callback time becomes a task. A call the telephony provider ended is logged the
 * same way once (its duration stays the provider's); after that it answers `call.ended`.
 */
export async function endCall(ctx: CoreContext, viewer: Viewer, callId: number, input: z.infer<typeof endCallInput>): Promise<{ call: CallView; lead: LeadView; task: TaskView | null }> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const row = await lockCall(tx, callId);
    if (row.userId !== viewer.id) throw new AppError('call.not_yours');
    const awaitingLog = row.providerResultAt !== null && row.loggedAt === null;
    if (row.endedAt && !awaitingLog) throw new AppError('call.ended');
    const now = ctx.clock.now();
    const logged = {
      loggedAt: now,
      outcome: input.outcome,
      notes: input.notes || null,
      nextStep: input.nextStep || null,
      callbackAt: input.callbackAt ? new Date(input.callbackAt) : null,
    };
    const ended = row.endedAt ? {} : { endedAt: now, durationSeconds: Math.max(0, Math.round((now.getTime() - row.startedAt.getTime()) / 1000)) };
    const result = await logCallEnd(tx, emit, now, row, { ...ended, ...logged }, userActor(viewer));
    return { ...result, lead: leadFor(viewer, result.lead) };
  });
}
