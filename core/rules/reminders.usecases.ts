import { and, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.ts';
import { users, type ReminderKind, type Stage } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import type { Actor, Reminder } from '../events/lead-event.ts';
import { transactWithEvents } from '../events/event-log.ts';
import { findLeadViews } from '../leads/leads.repository.ts';
import type { NewNotification } from '../notifications/notification.ts';
import { NotificationOutbox } from '../notifications/notifications.usecases.ts';
import { addSystemTasks } from '../tasks/tasks.usecases.ts';
import { drainInBatches } from './batches.ts';
import { SWEEP_BATCH } from './recycling.usecases.ts';
import { getSettings, type ReminderSettings } from '../settings/settings.repository.ts';

/** The reminder as the actor of the timeline line it leaves; the web names it in the reader's language from `id`. */
const reminderActor = (kind: ReminderKind): Actor => ({ type: 'rule', id: `reminder.${kind}`, name: `reminder.${kind}` });

/** Who hears of each reminder: the owner, the managers of the owner's team, or both. */
const audience: Record<ReminderKind, { owner: boolean; managers: boolean }> = {
  unhandled: { owner: true, managers: true },
  stage_idle: { owner: false, managers: true },
  follow_up_due: { owner: true, managers: false },
  care: { owner: true, managers: false },
};

interface Due {
  id: number;
  owner_id: string;
  owner_name: string | null;
  team_id: string | null;
  company: string;
  stage: Stage;
  kind: ReminderKind;
  key: string | Date;
}

/** The reminder with the threshold it passed, as the settings have it now. */
function reminderOf(due: Due, settings: ReminderSettings): Reminder {
  switch (due.kind) {
    case 'unhandled':
      return { kind: 'unhandled', hours: settings.unhandledHours ?? 0 };
    case 'stage_idle':
      return { kind: 'stage_idle', stage: due.stage, days: settings.stageIdleDays[due.stage as keyof ReminderSettings['stageIdleDays']] ?? 0 };
    case 'follow_up_due':
      return { kind: 'follow_up_due', dueAt: new Date(due.key).toISOString() };
    case 'care':
      return { kind: 'care', amount: settings.careAmount ?? 0, days: settings.careDays ?? 0 };
  }
}

/** The active managers of each team, and the active admins for a team that has none (or no team). */
async function managersOf(db: Db, teamIds: string[]) {
  const rows = await db
    .select({ id: users.id, name: users.name, role: users.role, teamId: users.teamId })
    .from(users)
    .where(
      and(
        eq(users.active, true),
        teamIds.length ? sql`(${users.role} = 'admin' or (${users.role} = 'manager' and ${inArray(users.teamId, teamIds)}))` : eq(users.role, 'admin'),
      ),
    );
  const admins = rows.filter((u) => u.role === 'admin');
  return (teamId: string | null) => {
    const managers = rows.filter((u) => u.role === 'manager' && teamId !== null && u.teamId === teamId);
    return managers.length ? managers : admins;
  };
}

/**
 * Sends up to `limit` reminders due at `now`: each lead's row is locked (SKIP LOCKED, so another
 * node's sweep leaves it alone), the reminder is marked sent for its key, and the trigger schedules
 * the lead's next one. The people told get a notification; the lead's timeline gets `lead.reminded`.
 */
async function remindBatch(ctx: CoreContext, now: Date, limit: number, settings: ReminderSettings): Promise<number> {
  const outbox = new NotificationOutbox(ctx);
  const count = await transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const due = rowsOf<Due>(
      await tx.execute(sql`with due as (
          select l.id, l.owner_id, l.team_id, l.company, l.stage, l.remind_kind as kind, l.remind_key as key
          from leads l
          where l.remind_due_at <= ${now.toISOString()}::timestamptz
          order by l.remind_due_at limit ${limit}
          for update of l skip locked),
        marked as (update leads l set reminded = l.reminded || jsonb_build_object(due.kind, extract(epoch from due.key))
          from due where l.id = due.id returning l.id)
        select due.*, u.name as owner_name from due join marked using (id) left join users u on u.id = due.owner_id`),
    );
    if (due.length === 0) return 0;
    const managers = await managersOf(tx, [...new Set(due.flatMap((d) => (d.team_id ? [d.team_id] : [])))]);
    const views = new Map((await findLeadViews(tx, due.map((d) => Number(d.id)))).map((v) => [v.id, v]));
    const notifications: NewNotification[] = [];
    for (const d of due) {
      const leadId = Number(d.id);
      const reminder = reminderOf(d, settings);
      const told = new Map<string, string>();
      if (audience[d.kind].owner) told.set(d.owner_id, d.owner_name ?? '');
      if (audience[d.kind].managers) for (const m of managers(d.team_id)) told.set(m.id, m.name);
      const data = { company: d.company, ownerId: d.owner_id, ownerName: d.owner_name, reminder };
      notifications.push(...[...told.keys()].map((userId) => ({ userId, kind: 'lead.reminder' as const, leadId, data })));
      const lead = views.get(leadId)!;
      emit({
        type: 'lead.reminded',
        leadId,
        actor: reminderActor(d.kind),
        data: { lead, reminder, notified: [...told].map(([id, name]) => ({ id, name })) },
        ownerId: lead.ownerId,
        teamId: lead.teamId,
      });
    }
    // A care reminder is also a task on the owner's list, due now (their today).
    const care = due.filter((d) => d.kind === 'care');
    for (const task of await addSystemTasks(tx, care.map((d) => ({ leadId: Number(d.id), assigneeId: d.owner_id, source: 'care' as const, dueAt: now })))) {
      const lead = views.get(task.leadId)!;
      emit({ type: 'lead.task_added', leadId: task.leadId, actor: reminderActor('care'), data: { lead, task }, ownerId: lead.ownerId, teamId: lead.teamId });
    }
    await outbox.write(tx, now, notifications);
    return due.length;
  });
  outbox.send();
  return count;
}

/**
 * The reminder sweep (part of the `rules.sweep` job): sends every reminder due now, in batches.
 * Idempotent and safe on several nodes at once: each reminder goes once per key.
 */
export async function sweepReminders(ctx: CoreContext, batchSize = SWEEP_BATCH): Promise<number> {
  const now = ctx.clock.now();
  const { reminders } = await getSettings(ctx.db);
  return drainInBatches(batchSize, (limit) => remindBatch(ctx, now, limit, reminders));
}
