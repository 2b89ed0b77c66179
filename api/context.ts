import { createMiddleware } from 'hono/factory';
import type { Database } from '../db/client.ts';
import type { ImportContext } from '../core/imports/import.usecases.ts';
import type { RecordingsContext } from '../core/recordings/recordings.usecases.ts';
import { AppError } from '../core/errors.ts';
import type { Auth } from '../core/users/auth.ts';
import type { ViewerCache } from '../core/users/viewer-cache.ts';
import type { Viewer } from '../core/viewer.ts';
import type { Role } from '../db/schema/index.ts';
import type { DoorSettings } from './doors.ts';
import type { LeaderboardCache } from '../core/metrics/leaderboard-cache.ts';

/** What the routes need from the composition root. */
export interface ApiDeps extends ImportContext, RecordingsContext {
  auth: Auth;
  viewers: ViewerCache;
  engine: Database['engine'];
  doors: DoorSettings;
  /** An admin changed a pool: every node's directory and live connections follow. */
  poolsChanged(): Promise<void>;
  /** An admin changed the webhooks: whether new events need dispatching is read again. */
  webhooksChanged(): void;
  /** Today's leaderboards, kept until the counters move (core/metrics/leaderboard-cache.ts). */
  leaderboards: LeaderboardCache;
  /** An admin changed a wall screen (`config`), or its token stopped working (`revoked`): its TVs follow at once, on every node. */
  wallChanged(screenId: string, how: 'config' | 'revoked'): void;
}

export type ApiEnv = { Variables: { viewer: Viewer } };

/** Rejects requests without an active session; sets `viewer`. */
export const signedIn = (deps: ApiDeps) =>
  createMiddleware<ApiEnv>(async (c, next) => {
    const viewer = await deps.viewers.resolve(c.req.raw.headers);
    if (!viewer) throw new AppError('auth.unauthenticated');
    c.set('viewer', viewer);
    await next();
  });

/** Lets through only the given roles (after `signedIn`). */
export const allow = (...roles: Role[]) =>
  createMiddleware<ApiEnv>(async (c, next) => {
    if (!roles.includes(c.get('viewer').role)) throw new AppError('auth.forbidden', { role: c.get('viewer').role });
    await next();
  });
