import { hashPassword } from 'better-auth/crypto';
import { asc, eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { accounts, sessions, teams, users } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { assertTeamsExist } from '../teams/teams.usecases.ts';
import type { Viewer } from '../viewer.ts';
import type { CreateUserInput, UpdateUserInput } from './users.schemas.ts';

export interface UserView {
  id: string;
  name: string;
  email: string;
  role: Viewer['role'];
  teamId: string | null;
  teamName: string | null;
  active: boolean;
  /** Away (leave, a trade show): assignment rules pass them over. */
  away: boolean;
  createdAt: string;
}

const userColumns = {
  id: users.id,
  name: users.name,
  email: users.email,
  role: users.role,
  teamId: users.teamId,
  teamName: teams.name,
  active: users.active,
  away: users.away,
  createdAt: users.createdAt,
};

const toView = (row: Omit<UserView, 'createdAt'> & { createdAt: Date }): UserView => ({ ...row, createdAt: row.createdAt.toISOString() });

export async function listUsers(db: Db): Promise<UserView[]> {
  const rows = await db.select(userColumns).from(users).leftJoin(teams, eq(teams.id, users.teamId)).orderBy(asc(users.createdAt), asc(users.email));
  return rows.map(toView);
}

export async function findUser(db: Db, id: string): Promise<UserView> {
  const [row] = await db.select(userColumns).from(users).leftJoin(teams, eq(teams.id, users.teamId)).where(eq(users.id, id));
  if (!row) throw new AppError('user.not_found', { id });
  return toView(row);
}

export async function countUsers(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)`.mapWith(Number) }).from(users);
  return row?.n ?? 0;
}

/** Creates a user who signs in with email and password. */
export async function createUser(db: Db, input: CreateUserInput): Promise<UserView> {
  await assertTeamsExist(db, [input.teamId]);
  const [taken] = await db.select({ id: users.id }).from(users).where(eq(users.email, input.email));
  if (taken) throw new AppError('user.email_taken', { email: input.email });
  const id = crypto.randomUUID();
  const password = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await tx.insert(users).values({ id, name: input.name, email: input.email, emailVerified: true, role: input.role, teamId: input.teamId ?? null });
    await tx.insert(accounts).values({ id: crypto.randomUUID(), userId: id, accountId: id, providerId: 'credential', password });
  });
  return findUser(db, id);
}

/** Changes a user; deactivating ends all their sessions at once. */
export async function updateUser(ctx: CoreContext, viewer: Viewer, id: string, input: UpdateUserInput): Promise<UserView> {
  if (input.active === false && id === viewer.id) throw new AppError('user.cannot_deactivate_self');
  await assertTeamsExist(ctx.db, [input.teamId]);
  const { password, ...fields } = input;
  const passwordHash = password ? await hashPassword(password) : undefined;
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx.update(users).set({ ...fields, updatedAt: new Date() }).where(eq(users.id, id)).returning({ id: users.id });
    if (!row) throw new AppError('user.not_found', { id });
    if (passwordHash) {
      await tx.update(accounts).set({ password: passwordHash, updatedAt: new Date() }).where(eq(accounts.userId, id));
    }
    if (input.active === false || passwordHash) await tx.delete(sessions).where(eq(sessions.userId, id));
  });
  ctx.userChanged(id);
  return findUser(ctx.db, id);
}

/** Marks the signed-in person away or back: assignment rules pass over whoever is away. */
export async function setAway(db: Db, userId: string, away: boolean): Promise<UserView> {
  await db.update(users).set({ away, updatedAt: new Date() }).where(eq(users.id, userId));
  return findUser(db, userId);
}
