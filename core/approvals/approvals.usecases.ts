import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { approvalRequests, leads, users, type ApprovalDecision, type ApprovalRow, type ApprovalStatus, type ApprovalStep, type Stage } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents, type Emit } from '../events/event-log.ts';
import { userActor } from '../events/lead-event.ts';
import { leadFor, type LeadView } from '../leads/lead-view.ts';
import { findLeadView } from '../leads/leads.repository.ts';
import { lockWorkedLead } from '../leads/worked-lead.ts';
import { NotificationOutbox } from '../notifications/notifications.usecases.ts';
import { approvalNeeded, moveStage } from '../pipeline/stage.usecases.ts';
import { getApprovalSettings, listStages } from '../pipeline/pipeline-config.usecases.ts';
import type { Viewer } from '../viewer.ts';

/** A request as the approvers' inbox, the lead page and the events show it. */
export interface ApprovalView {
  id: number;
  leadId: number;
  company: string;
  requestedById: string;
  requestedByName: string;
  stage: Stage;
  amount: number;
  comment: string | null;
  chain: ApprovalStep[];
  /** The names of the chain's named approvers, by id. */
  approverNames: Record<string, string>;
  /** The step waiting for a decision (0-based); the chain's length once approved. */
  step: number;
  status: ApprovalStatus;
  decisions: ApprovalDecision[];
  createdAt: string;
  decidedAt: string | null;
}

const columns = {
  id: approvalRequests.id,
  leadId: approvalRequests.leadId,
  company: leads.company,
  requestedById: approvalRequests.requestedBy,
  requestedByName: users.name,
  stage: approvalRequests.stage,
  amount: approvalRequests.amount,
  comment: approvalRequests.comment,
  chain: approvalRequests.chain,
  approverNames: sql<Record<string, string>>`(select coalesce(jsonb_object_agg(u.id, u.name), '{}'::jsonb) from users u
    where u.id in (select s->>'userId' from jsonb_array_elements(${approvalRequests.chain}) s))`,
  step: approvalRequests.step,
  status: approvalRequests.status,
  decisions: approvalRequests.decisions,
  createdAt: approvalRequests.createdAt,
  decidedAt: approvalRequests.decidedAt,
};
const selectApprovals = (db: Db) => db.select(columns).from(approvalRequests).innerJoin(leads, eq(leads.id, approvalRequests.leadId)).innerJoin(users, eq(users.id, approvalRequests.requestedBy));
type ApprovalRecord = Awaited<ReturnType<ReturnType<typeof selectApprovals>['execute']>>[number];
const toView = (r: ApprovalRecord): ApprovalView => ({ ...r, createdAt: r.createdAt.toISOString(), decidedAt: r.decidedAt?.toISOString() ?? null });

async function findApproval(db: Db, id: number): Promise<ApprovalView> {
  const [row] = await selectApprovals(db).where(eq(approvalRequests.id, id));
  if (!row) throw new AppError('approval.not_found', { id });
  return toView(row);
}

/**
 * Who decides `step` for a lead of `teamId`: its team's managers (the admins when the team has none),
 * or the named person.
 */
async function approversOf(db: Db, step: ApprovalStep, teamId: string | null): Promise<{ id: string; name: string }[]> {
  const active = eq(users.active, true);
  if (step.kind === 'user') return db.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.id, step.userId), active));
  const managers = teamId ? await db.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.teamId, teamId), eq(users.role, 'manager'), active)) : [];
  return managers.length ? managers : db.select({ id: users.id, name: users.name }).from(users).where(and(eq(users.role, 'admin'), active));
}

/** Whether `viewer` may decide the request's current step (admins may decide any); `cache` spares a list its repeats. */
async function mayDecide(db: Db, viewer: Viewer, request: Pick<ApprovalRow, 'chain' | 'step'>, teamId: string | null, cache = new Map<string, Promise<{ id: string }[]>>()): Promise<boolean> {
  if (viewer.role === 'admin') return true;
  const step = request.chain[request.step];
  if (!step) return false;
  const key = step.kind === 'user' ? `user:${step.userId}` : `team:${teamId}`;
  if (!cache.has(key)) cache.set(key, approversOf(db, step, teamId));
  return (await cache.get(key)!).some((a) => a.id === viewer.id);
}

export const requestApprovalInput = z.strictObject({
  stage: z.string().min(1).max(40),
  /** The amount to approve (CNY); the lead's expected amount when absent. */
  expectedAmount: z.number().min(0).max(1e12).optional(),
  comment: z.string().trim().max(500).optional(),
});

/**
 * Someone working a big lead asks to move it into the approval stage: the chain's first approvers are
 * told live, the timeline shows the request. One request per lead is on its way at a time.
 */
export async function requestApproval(ctx: CoreContext, viewer: Viewer, leadId: number, input: z.infer<typeof requestApprovalInput>): Promise<ApprovalView> {
  const outbox = new NotificationOutbox(ctx);
  const approval = await transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const row = await lockWorkedLead(tx, viewer, leadId, 'stage.lead_in_pool');
    const stages = await listStages(tx);
    const target = stages.find((s) => s.key === input.stage);
    if (!target) throw new AppError('request.invalid', { fields: { stage: ['unknown_stage'] } });
    const amount = input.expectedAmount ?? row.expectedAmount;
    if (amount === null) throw new AppError('request.invalid', { fields: { expectedAmount: ['required_for_stage'] } });
    if (!(await approvalNeeded(tx, leadId, stages, target, amount))) throw new AppError('approval.not_needed');
    const [pending] = await tx.select({ id: approvalRequests.id }).from(approvalRequests).where(and(eq(approvalRequests.leadId, leadId), eq(approvalRequests.status, 'pending')));
    if (pending) throw new AppError('approval.pending', { id: pending.id });
    const { chain } = await getApprovalSettings(tx);
    const now = ctx.clock.now();
    const [created] = await tx
      .insert(approvalRequests)
      .values({ leadId, requestedBy: viewer.id, stage: target.key, amount, comment: input.comment || null, chain: chain.map((s) => (s.kind === 'user' ? { kind: 'user', userId: s.userId } : s)), createdAt: now })
      .returning({ id: approvalRequests.id });
    const approvalView = await findApproval(tx, created!.id);
    const lead = (await findLeadView(tx, leadId))!;
    emit({ type: 'lead.approval_requested', leadId, actor: userActor(viewer), data: { lead, approval: approvalView }, ownerId: lead.ownerId, teamId: lead.teamId });
    await notifyApprovers(tx, outbox, now, approvalView, row.teamId);
    return approvalView;
  });
  outbox.send();
  return approval;
}

async function notifyApprovers(tx: Db, outbox: NotificationOutbox, now: Date, approval: ApprovalView, teamId: string | null) {
  const approvers = await approversOf(tx, approval.chain[approval.step]!, teamId);
  await outbox.write(
    tx,
    now,
    approvers.map((a) => ({
      userId: a.id,
      kind: 'approval.requested' as const,
      leadId: approval.leadId,
      data: { approvalId: approval.id, company: approval.company, amount: approval.amount, stage: approval.stage, by: approval.requestedByName },
    })),
  );
}

export const decideInput = z.strictObject({
  approved: z.boolean(),
  comment: z.string().trim().max(500).optional(),
});

/**
 * An approver decides the current step. Approving the last step moves the lead into the stage it was
 * asked for (its SOP tasks follow); a rejection ends the request. The requester hears live either way.
 */
export async function decideApproval(ctx: CoreContext, viewer: Viewer, id: number, input: z.infer<typeof decideInput>): Promise<{ approval: ApprovalView; lead: LeadView }> {
  const outbox = new NotificationOutbox(ctx);
  const result = await transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const [request] = await tx.select().from(approvalRequests).where(eq(approvalRequests.id, id)).for('update');
    if (!request) throw new AppError('approval.not_found', { id });
    if (request.status !== 'pending') throw new AppError('approval.decided', { status: request.status });
    const [lead] = await tx.select({ teamId: leads.teamId, ownerId: leads.ownerId }).from(leads).where(eq(leads.id, request.leadId));
    if (!(await mayDecide(tx, viewer, request, lead?.teamId ?? null))) throw new AppError('approval.not_approver');
    const now = ctx.clock.now();
    const decision: ApprovalDecision = { step: request.step, byId: viewer.id, byName: viewer.name, approved: input.approved, comment: input.comment || null, at: now.toISOString() };
    const last = request.step + 1 >= request.chain.length;
    const status: ApprovalStatus = !input.approved ? 'rejected' : last ? 'approved' : 'pending';
    await tx
      .update(approvalRequests)
      .set({ decisions: [...request.decisions, decision], step: input.approved ? request.step + 1 : request.step, status, decidedAt: status === 'pending' ? null : now })
      .where(eq(approvalRequests.id, id));
    const approval = await findApproval(tx, id);
    const view = (await findLeadView(tx, request.leadId))!;
    emit({ type: 'lead.approval_decided', leadId: request.leadId, actor: userActor(viewer), data: { lead: view, approval, decision }, ownerId: view.ownerId, teamId: view.teamId });
    if (status === 'pending') await notifyApprovers(tx, outbox, now, approval, lead?.teamId ?? null);
    else await outbox.write(tx, now, [{ userId: request.requestedBy, kind: 'approval.decided', leadId: request.leadId, data: { approvalId: id, company: approval.company, approved: input.approved, by: viewer.name, comment: decision.comment, stage: request.stage } }]);
    const moved = status === 'approved' ? await moveApproved(tx, ctx, emit, viewer, request) : view;
    return { approval, lead: leadFor(viewer, moved) };
  });
  outbox.send();
  return result;
}

/** The approved lead goes into the stage asked for, when it is still held and has not got there another way. */
async function moveApproved(tx: Db, ctx: CoreContext, emit: Emit, approver: Viewer, request: ApprovalRow): Promise<LeadView> {
  const [row] = await tx
    .select({ ownerId: leads.ownerId, teamId: leads.teamId, stage: leads.stage, expectedAmount: leads.expectedAmount })
    .from(leads)
    .where(eq(leads.id, request.leadId))
    .for('update');
  const stages = await listStages(tx);
  const at = (key: string) => stages.findIndex((s) => s.key === key);
  if (!row || row.ownerId === null || at(row.stage) >= at(request.stage)) return (await findLeadView(tx, request.leadId))!;
  return moveStage(tx, ctx, emit, approver, request.leadId, { ...row, shared: false }, { stage: request.stage, expectedAmount: request.amount });
}

export const approvalsQuery = z.object({ status: z.enum(['pending', 'decided']).default('pending') });

/**
 * The approver's inbox: pending requests whose current step the viewer may decide (an admin: all), or
 * the requests they decided, newest first.
 */
export async function listApprovals(db: Db, viewer: Viewer, status: 'pending' | 'decided'): Promise<ApprovalView[]> {
  if (viewer.role !== 'manager' && viewer.role !== 'admin') throw new AppError('auth.forbidden');
  if (status === 'pending') {
    const rows = await selectApprovals(db).where(eq(approvalRequests.status, 'pending')).orderBy(asc(approvalRequests.createdAt)).limit(500);
    const teams = new Map((rows.length ? await db.select({ id: leads.id, teamId: leads.teamId }).from(leads).where(inArray(leads.id, rows.map((r) => r.leadId))) : []).map((l) => [l.id, l.teamId]));
    const mine = [];
    const cache = new Map<string, Promise<{ id: string }[]>>();
    for (const row of rows) if (await mayDecide(db, viewer, row, teams.get(row.leadId) ?? null, cache)) mine.push(toView(row));
    return mine;
  }
  const rows = await selectApprovals(db).where(inArray(approvalRequests.status, ['approved', 'rejected'])).orderBy(desc(approvalRequests.decidedAt)).limit(200);
  return rows.filter((r) => viewer.role === 'admin' || r.decisions.some((d) => d.byId === viewer.id)).map(toView);
}

/** A lead's requests, newest first (the lead page; whoever may see the lead whole). */
export async function listLeadApprovals(db: Db, leadId: number): Promise<ApprovalView[]> {
  return (await selectApprovals(db).where(eq(approvalRequests.leadId, leadId)).orderBy(desc(approvalRequests.id))).map(toView);
}
