import { asc, eq, inArray, sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { teams, users } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';

export const teamInput = z.strictObject({ name: z.string().trim().min(1, 'required').max(100) });

export interface TeamView {
  id: string;
  name: string;
  memberCount: number;
}

export async function listTeams(db: Db): Promise<TeamView[]> {
  return db
    .select({ id: teams.id, name: teams.name, memberCount: sql<number>`count(${users.id})`.mapWith(Number) })
    .from(teams)
    .leftJoin(users, eq(users.teamId, teams.id))
    .groupBy(teams.id)
    .orderBy(asc(teams.name));
}

/** Refuses team ids that name no team, as a field error on `field` (a user's or exhibition's teamId, a pool's teamIds). */
export async function assertTeamsExist(db: Db, teamIds: readonly (string | null | undefined)[], field = 'teamId'): Promise<void> {
  const wanted = [...new Set(teamIds.filter((id): id is string => Boolean(id)))];
  if (wanted.length === 0) return;
  const found = await db.select({ id: teams.id }).from(teams).where(inArray(teams.id, wanted));
  if (found.length < wanted.length) throw new AppError('request.invalid', { fields: { [field]: ['unknown_team'] } });
}

async function assertNameFree(db: Db, name: string, exceptId?: string) {
  const [taken] = await db.select({ id: teams.id }).from(teams).where(eq(teams.name, name));
  if (taken && taken.id !== exceptId) throw new AppError('team.name_taken', { name });
}

export async function createTeam(db: Db, input: z.infer<typeof teamInput>): Promise<TeamView> {
  await assertNameFree(db, input.name);
  const [row] = await db.insert(teams).values(input).returning();
  return { id: row!.id, name: row!.name, memberCount: 0 };
}

export async function renameTeam(db: Db, id: string, input: z.infer<typeof teamInput>): Promise<TeamView> {
  await assertNameFree(db, input.name, id);
  const [row] = await db.update(teams).set(input).where(eq(teams.id, id)).returning({ id: teams.id });
  if (!row) throw new AppError('team.not_found', { id });
  return (await listTeams(db)).find((t) => t.id === id)!;
}
