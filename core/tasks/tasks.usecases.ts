import { and, asc, desc, eq, gte, isNotNull, isNull, lt, sql } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, sqlArray, type Db } from '../../db/client.ts';
import { leads, tasks, users, type TaskPreset, type TaskSource } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents } from '../events/event-log.ts';
import { userActor } from '../events/lead-event.ts';
import { canEditLead } from '../leads/lead-profile.usecases.ts';
import { findLeadView } from '../leads/leads.repository.ts';
import { lockWorkedLead } from '../leads/worked-lead.ts';
import { NotificationOutbox } from '../notifications/notifications.usecases.ts';
import { organisationDay } from '../settings/settings.repository.ts';
import type { Viewer } from '../viewer.ts';

/** A task as the API shows it. */
export interface TaskView {
  id: number;
  leadId: number;
  company: string;
  /** As its creator wrote it; null for the system's own, named by `source`. */
  title: string | null;
  /** A title the system ships with (a stage template's default tasks), named by the web. */
  titleKey: TaskPreset | null;
  dueAt: string;
  source: TaskSource;
  assigneeId: string;
  assigneeName: string;
  createdAt: string;
  doneAt: string | null;
}

const taskColumns = {
  id: tasks.id,
  leadId: tasks.leadId,
  company: leads.company,
  title: tasks.title,
  titleKey: tasks.titleKey,
  dueAt: tasks.dueAt,
  source: tasks.source,
  assigneeId: tasks.assigneeId,
  assigneeName: users.name,
  createdAt: tasks.createdAt,
  doneAt: tasks.doneAt,
};
type TaskRecord = { [K in keyof TaskView]: K extends 'dueAt' | 'createdAt' ? Date : K extends 'doneAt' ? Date | null : TaskView[K] };
const toView = (r: TaskRecord): TaskView => ({ ...r, dueAt: r.dueAt.toISOString(), createdAt: r.createdAt.toISOString(), doneAt: r.doneAt?.toISOString() ?? null });
const selectTasks = (db: Db) => db.select(taskColumns).from(tasks).innerJoin(leads, eq(leads.id, tasks.leadId)).innerJoin(users, eq(users.id, tasks.assigneeId));

async function findTask(db: Db, id: number): Promise<TaskView> {
  const [row] = await selectTasks(db).where(eq(tasks.id, id));
  if (!row) throw new AppError('task.not_found', { id });
  return toView(row as TaskRecord);
}

export const addTaskInput = z.strictObject({
  title: z.string().trim().min(1, 'required').max(200),
  dueAt: z.iso.datetime({ offset: true }),
  /** Who does it: the caller when absent; else the lead's owner or a rep it is shared with. */
  assigneeId: z.string().min(1).max(100).optional(),
});

/** Who may be given a task on a held lead: its owner, the reps it is shared with, and the one adding it. */
async function assignable(tx: Db, leadId: number, ownerId: string, viewer: Viewer): Promise<Set<string>> {
  const shared = rowsOf<{ user_id: string }>(await tx.execute(sql`select user_id from lead_shares where lead_id = ${leadId}`));
  return new Set([ownerId, viewer.id, ...shared.map((s) => s.user_id)]);
}

/**
 * Whom `viewer` may give a task of the lead to: its owner, the reps it is shared with, themselves, and for
 * a manager or admin anyone active on the lead's team.
 */
async function reassignable(tx: Db, viewer: Viewer, lead: { leadId: number; ownerId: string | null; teamId: string | null }): Promise<{ id: string; name: string }[]> {
  const ids = lead.ownerId ? [...(await assignable(tx, lead.leadId, lead.ownerId, viewer))] : [viewer.id];
  const team = viewer.role !== 'rep' && lead.teamId !== null ? sql`or (${users.teamId} = ${lead.teamId} and ${users.role} <> 'display')` : sql``;
  return tx
    .select({ id: users.id, name: users.name })
    .from(users)
    .where(sql`${users.active} and (${users.id} = any(${sqlArray(ids, 'text')}) ${team})`)
    .orderBy(asc(users.name));
}

/** The people a task may be handed to by `viewer` (the lead page's reassign menu); `task.not_yours` like a change. */
export async function listAssignees(db: Db, viewer: Viewer, id: number): Promise<{ id: string; name: string }[]> {
  const [row] = await db
    .select({ assigneeId: tasks.assigneeId, leadId: tasks.leadId, ownerId: leads.ownerId, teamId: leads.teamId })
    .from(tasks)
    .innerJoin(leads, eq(leads.id, tasks.leadId))
    .where(eq(tasks.id, id));
  if (!row) throw new AppError('task.not_found', { id });
  if (row.assigneeId !== viewer.id && !canEditLead(viewer, row)) throw new AppError('task.not_yours');
  return reassignable(db, viewer, row);
}

/**
 * Adds a task to a held lead (someone working it): `lead.task_added` goes to its timeline, and an
 * assignee other than the caller is notified.
 */
export async function addTask(ctx: CoreContext, viewer: Viewer, leadId: number, input: z.infer<typeof addTaskInput>): Promise<TaskView> {
  const outbox = new NotificationOutbox(ctx);
  const task = await transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const row = await lockWorkedLead(tx, viewer, leadId, 'task.lead_in_pool');
    const assigneeId = input.assigneeId ?? viewer.id;
    if (!(await assignable(tx, leadId, row.ownerId!, viewer)).has(assigneeId)) throw new AppError('request.invalid', { fields: { assigneeId: ['not_assignable'] } });
    const [created] = await tx
      .insert(tasks)
      .values({ leadId, assigneeId, title: input.title, dueAt: new Date(input.dueAt), source: 'manual', createdBy: viewer.id, createdAt: ctx.clock.now() })
      .returning({ id: tasks.id });
    const task = await findTask(tx, created!.id);
    const lead = (await findLeadView(tx, leadId))!;
    emit({ type: 'lead.task_added', leadId, actor: userActor(viewer), data: { lead, task }, ownerId: lead.ownerId, teamId: lead.teamId });
    if (assigneeId !== viewer.id) {
      await outbox.write(tx, ctx.clock.now(), [{ userId: assigneeId, kind: 'task.assigned', leadId, data: { company: lead.company, taskId: task.id, title: task.title, dueAt: task.dueAt, by: viewer.name } }]);
    }
    return task;
  });
  outbox.send();
  return task;
}

/** A task the system adds: without a title or key the web names it by source (a care reminder's, a callback's). */
export interface SystemTask {
  leadId: number;
  assigneeId: string;
  source: TaskSource;
  dueAt: Date;
  title?: string;
  titleKey?: TaskPreset;
  /** Defaults to the due time (a reminder's task is created as it comes due). */
  createdAt?: Date;
}

/** The system's own tasks (a care reminder's, a callback's, a stage template's), written in the caller's transaction `tx`. */
export async function addSystemTasks(tx: Db, items: SystemTask[]): Promise<TaskView[]> {
  if (items.length === 0) return [];
  const created = await tx
    .insert(tasks)
    .values(items.map((t) => ({ ...t, title: t.title ?? null, titleKey: t.titleKey ?? null, createdBy: null, createdAt: t.createdAt ?? t.dueAt })))
    .returning({ id: tasks.id });
  const rows = await selectTasks(tx).where(sql`${tasks.id} = any(${sqlArray(created.map((c) => c.id), 'bigint')})`);
  return rows.map((r) => toView(r as TaskRecord));
}

export const taskViews = ['today', 'overdue', 'upcoming', 'done'] as const;
export const tasksQuery = z.object({ view: z.enum(taskViews).default('today') });

/**
 * The caller's tasks: overdue (open, due before now), today (open, due from now to the end of the
 * organisation's day), upcoming (open, due later), done (the last 100 finished).
 */
export async function listTasks(ctx: CoreContext, viewer: Viewer, view: (typeof taskViews)[number]): Promise<TaskView[]> {
  const now = ctx.clock.now();
  const mine = eq(tasks.assigneeId, viewer.id);
  const open = and(mine, isNull(tasks.doneAt));
  const query = selectTasks(ctx.db);
  let rows;
  if (view === 'done') rows = await query.where(and(mine, isNotNull(tasks.doneAt))).orderBy(desc(tasks.doneAt)).limit(100);
  else if (view === 'overdue') rows = await query.where(and(open, lt(tasks.dueAt, now))).orderBy(asc(tasks.dueAt)).limit(500);
  else {
    const { end } = await organisationDay(ctx.db, now);
    const range = view === 'today' ? and(gte(tasks.dueAt, now), lt(tasks.dueAt, end)) : gte(tasks.dueAt, end);
    rows = await query.where(and(open, range)).orderBy(asc(tasks.dueAt)).limit(500);
  }
  return rows.map((r) => toView(r as TaskRecord));
}

/** A lead's tasks, open first by due time, then the done ones (for whoever may see the lead). */
export async function listLeadTasks(db: Db, leadId: number): Promise<TaskView[]> {
  const rows = await selectTasks(db)
    .where(eq(tasks.leadId, leadId))
    .orderBy(sql`${tasks.doneAt} is not null`, asc(tasks.dueAt))
    .limit(200);
  return rows.map((r) => toView(r as TaskRecord));
}

export const updateTaskInput = z
  .strictObject({
    /** Done (true), or open again (false). */
    done: z.boolean().optional(),
    /** Snoozed or rescheduled to this time. */
    dueAt: z.iso.datetime({ offset: true }).optional(),
    /** Given to someone else: the lead's owner or a rep it is shared with (managers and admins: anyone on the lead's team). */
    assigneeId: z.string().min(1).max(100).optional(),
  })
  .refine((v) => v.done !== undefined || v.dueAt !== undefined || v.assigneeId !== undefined, { message: 'empty_change' });

/**
 * Completes, reopens, snoozes or reassigns a task: its assignee, or whoever may edit its lead.
 * Completing leaves `lead.task_done` in the timeline; a new assignee is notified.
 */
export async function updateTask(ctx: CoreContext, viewer: Viewer, id: number, input: z.infer<typeof updateTaskInput>): Promise<TaskView> {
  const outbox = new NotificationOutbox(ctx);
  const task = await transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const [row] = await tx
      .select({ assigneeId: tasks.assigneeId, doneAt: tasks.doneAt, leadId: tasks.leadId, ownerId: leads.ownerId, teamId: leads.teamId })
      .from(tasks)
      .innerJoin(leads, eq(leads.id, tasks.leadId))
      .where(eq(tasks.id, id))
      .for('update', { of: tasks });
    if (!row) throw new AppError('task.not_found', { id });
    if (row.assigneeId !== viewer.id && !canEditLead(viewer, row)) throw new AppError('task.not_yours');
    if (input.assigneeId !== undefined && input.assigneeId !== row.assigneeId) {
      if (!(await reassignable(tx, viewer, row)).some((p) => p.id === input.assigneeId)) throw new AppError('request.invalid', { fields: { assigneeId: ['not_assignable'] } });
    }
    const now = ctx.clock.now();
    await tx
      .update(tasks)
      .set({
        ...(input.done === undefined ? {} : { doneAt: input.done ? (row.doneAt ?? now) : null }),
        ...(input.dueAt === undefined ? {} : { dueAt: new Date(input.dueAt) }),
        ...(input.assigneeId === undefined ? {} : { assigneeId: input.assigneeId }),
      })
      .where(eq(tasks.id, id));
    const task = await findTask(tx, id);
    const lead = (await findLeadView(tx, row.leadId))!;
    if (input.done === true && row.doneAt === null) {
      emit({ type: 'lead.task_done', leadId: row.leadId, actor: userActor(viewer), data: { lead, task }, ownerId: lead.ownerId, teamId: lead.teamId });
    }
    if (input.assigneeId !== undefined && input.assigneeId !== row.assigneeId && input.assigneeId !== viewer.id) {
      await outbox.write(tx, now, [{ userId: input.assigneeId, kind: 'task.assigned', leadId: row.leadId, data: { company: lead.company, taskId: id, title: task.title, dueAt: task.dueAt, by: viewer.name } }]);
    }
    return task;
  });
  outbox.send();
  return task;
}
