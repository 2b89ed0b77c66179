import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { settings } from '../../db/schema/index.ts';

export interface OrgSettings {
  /** IANA time zone of the organisation's day. */
  timeZone: string;
}

const defaults: OrgSettings = { timeZone: 'Asia/Shanghai' };

export async function getSettings(db: Db): Promise<OrgSettings> {
  const [row] = await db.select({ timeZone: settings.timeZone }).from(settings).where(eq(settings.id, 1));
  return row ?? defaults;
}

export async function updateSettings(db: Db, patch: Partial<OrgSettings>): Promise<OrgSettings> {
  const [row] = await db
    .insert(settings)
    .values({ id: 1, ...defaults, ...patch })
    .onConflictDoUpdate({ target: settings.id, set: { ...patch, updatedAt: sql`now()` } })
    .returning({ timeZone: settings.timeZone });
  return row!;
}
