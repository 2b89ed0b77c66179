import { randomBytes } from 'node:crypto';
import { betterAuth } from 'better-auth';
import { drizzleAdapter } from 'better-auth/adapters/drizzle';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import * as schema from '../../db/schema/index.ts';
import type { Viewer } from '../viewer.ts';

export interface AuthOptions {
  baseURL: string;
  secret: string;
  trustedOrigins?: string[];
  /** Sign-in attempts per minute per client address; 0 turns the limit off (benchmarks, tests). */
  signInPerMinute: number;
}

export function createAuth(db: Db, options: AuthOptions) {
  return betterAuth({
    baseURL: options.baseURL,
    basePath: '/api/auth',
    secret: options.secret,
    // Same-origin requests are trusted wherever the app is reached from (localhost, LAN address, proxy).
    trustedOrigins: (request) => [...(request ? [new URL(request.url).origin] : []), ...(options.trustedOrigins ?? [])],
    database: drizzleAdapter(db, { provider: 'pg', schema, usePlural: true }),
    // Admins create accounts; nobody signs themselves up.
    emailAndPassword: { enabled: true, disableSignUp: true, minPasswordLength: 8 },
    user: {
      additionalFields: {
        role: { type: 'string', input: false },
        teamId: { type: 'string', required: false, input: false },
        active: { type: 'boolean', input: false },
      },
    },
    session: { expiresIn: 60 * 60 * 24 * 30, updateAge: 60 * 60 * 24 },
    rateLimit: {
      enabled: options.signInPerMinute > 0,
      storage: 'memory',
      customRules: { '/sign-in/email': { window: 60, max: Math.max(options.signInPerMinute, 1) } },
    },
    databaseHooks: {
      session: {
        create: {
          // A deactivated user cannot start a session.
          before: async (session) => {
            const [user] = await db.select({ active: schema.users.active }).from(schema.users).where(eq(schema.users.id, session.userId));
            return user?.active ? undefined : false;
          },
        },
      },
    },
    telemetry: { enabled: false },
  });
}

export type Auth = ReturnType<typeof createAuth>;

/** The signed-in, active user behind these request headers, or null. */
export async function viewerFromHeaders(auth: Auth, headers: Headers): Promise<Omit<Viewer, 'pools'> | null> {
  const session = await auth.api.getSession({ headers });
  if (!session) return null;
  const user = session.user as typeof session.user & { role: Viewer['role']; teamId: string | null; active: boolean };
  if (!user.active) return null;
  return { id: user.id, name: user.name, role: user.role, teamId: user.teamId ?? null };
}

/** BETTER_AUTH_SECRET, or one generated once and kept in the database. */
export async function authSecret(db: Db, fromEnv?: string): Promise<string> {
  if (fromEnv) return fromEnv;
  const fresh = randomBytes(32).toString('base64url');
  const [row] = await db
    .insert(schema.settings)
    .values({ id: 1, authSecret: fresh })
    .onConflictDoUpdate({ target: schema.settings.id, set: { authSecret: sql`coalesce(${schema.settings.authSecret}, excluded.auth_secret)` } })
    .returning({ secret: schema.settings.authSecret });
  return row!.secret!;
}
