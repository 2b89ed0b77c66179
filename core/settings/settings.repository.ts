import { eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Db } from '../../db/client.ts';
import { pipelineStages, settings } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';

/** The reminders' thresholds (core/rules/reminders.usecases.ts); null turns one off. */
export const reminderSettings = z.strictObject({
  /** A lead taken and not followed up within these hours: its owner and the team's managers are told. */
  unhandledHours: z.number().int().min(1).max(24 * 30).nullable(),
  /** Days a lead may sit in a stage before the team's managers are told, by stage; a stage left out is not watched. */
  stageIdleDays: z.record(z.string().max(40), z.number().int().min(1).max(365)),
  /** A follow-up's planned next time coming due tells the owner. */
  followUpDue: z.boolean(),
  /** A lead worth at least `careAmount` untouched for `careDays` days: a care reminder to its owner. */
  careAmount: z.number().min(0).max(1e12).nullable(),
  careDays: z.number().int().min(1).max(365).nullable(),
});
export type ReminderSettings = z.infer<typeof reminderSettings>;

export interface OrgSettings {
  /** IANA time zone of the organisation's day. */
  timeZone: string;
  reminders: ReminderSettings;
}

const defaults: OrgSettings = {
  timeZone: 'Asia/Shanghai',
  reminders: { unhandledHours: 24, stageIdleDays: { quoted: 3 }, followUpDue: true, careAmount: 500_000, careDays: 30 },
};

const columns = {
  timeZone: settings.timeZone,
  unhandledHours: settings.remindUnhandledHours,
  stageIdleDays: settings.remindStageIdleDays,
  followUpDue: settings.remindFollowUpDue,
  careAmount: settings.remindCareAmount,
  careDays: settings.remindCareDays,
};

interface Row {
  timeZone: string;
  unhandledHours: number | null;
  stageIdleDays: ReminderSettings['stageIdleDays'];
  followUpDue: boolean;
  careAmount: number | null;
  careDays: number | null;
}

const toSettings = ({ timeZone, ...reminders }: Row): OrgSettings => ({ timeZone, reminders });

/**
 * The day that holds `now` in `timeZone` (a name, or a column such as `s.time_zone` for a statement that
 * reads the settings itself), as a subquery: `d` its date, `starts` and `ends` its bounds.
 */
export const organisationDaySql = (now: Date, timeZone: string | SQL): SQL =>
  sql`select d, (d::timestamp at time zone ${timeZone}) as starts, ((d + 1)::timestamp at time zone ${timeZone}) as ends
    from (select (${now.toISOString()}::timestamptz at time zone ${timeZone})::date as d) today`;

/** The organisation's day (its time zone) that holds `now`: its date, and when it starts and ends. */
export async function organisationDay(db: Db, now: Date): Promise<{ day: string; start: Date; end: Date }> {
  const { timeZone } = await getSettings(db);
  // The bounds come back as a Date (postgres.js) or a string (PGlite): both go through `new Date`.
  const [row] = rowsOf<{ day: string; start: string | Date; end: string | Date }>(
    await db.execute(sql`select to_char(d, 'YYYY-MM-DD') as day, starts as start, ends as "end" from (${organisationDaySql(now, timeZone)}) o`),
  );
  return { day: row!.day, start: new Date(row!.start), end: new Date(row!.end) };
}

export async function getSettings(db: Db): Promise<OrgSettings> {
  const [row] = await db.select(columns).from(settings).where(eq(settings.id, 1));
  return row ? toSettings(row) : defaults;
}

/** Changes the settings; a change to the reminders schedules every held lead's reminders again. */
export async function updateSettings(db: Db, patch: Partial<OrgSettings>): Promise<OrgSettings> {
  const set = {
    ...(patch.timeZone === undefined ? {} : { timeZone: patch.timeZone }),
    ...(patch.reminders === undefined
      ? {}
      : {
          remindUnhandledHours: patch.reminders.unhandledHours,
          remindStageIdleDays: patch.reminders.stageIdleDays,
          remindFollowUpDue: patch.reminders.followUpDue,
          remindCareAmount: patch.reminders.careAmount,
          remindCareDays: patch.reminders.careDays,
        }),
  };
  return db.transaction(async (tx) => {
    if (patch.reminders) {
      // Only open stages can sit idle (won and lost are where a lead ends).
      const open = new Set((await tx.select({ key: pipelineStages.key }).from(pipelineStages).where(eq(pipelineStages.kind, 'open'))).map((s) => s.key));
      const unknown = Object.keys(patch.reminders.stageIdleDays).filter((key) => !open.has(key));
      if (unknown.length) throw new AppError('request.invalid', { fields: Object.fromEntries(unknown.map((key) => [`reminders.stageIdleDays.${key}`, ['unknown_stage']])) });
    }
    const [row] = await tx
      .insert(settings)
      .values({ id: 1, ...set })
      .onConflictDoUpdate({ target: settings.id, set: { ...set, updatedAt: sql`now()` } })
      .returning(columns);
    if (patch.reminders) await tx.execute(sql`select reschedule_reminders()`);
    return toSettings(row!);
  });
}
