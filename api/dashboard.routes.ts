import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { activityQuery, leaderboardQuery, repActivity, todayLeaderboard } from '../core/metrics/rep-activity.usecases.ts';
import { signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

export const dashboardRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get(
      '/leaderboard',
      describeRoute({ tags: ['dashboard'], summary: "Today's leaderboard by a metric: a manager's team, any team or all for an admin, a rep's own rank in their team" }),
      validate('query', leaderboardQuery),
      async (c) => c.json({ leaderboard: await todayLeaderboard(deps.db, c.get('viewer'), deps.clock.now(), c.req.valid('query')) }, 200),
    )
    .get(
      '/activity',
      describeRoute({ tags: ['dashboard'], summary: 'Each rep’s claims, calls, connected calls, talk time, follow-ups, stage advances, wins and revenue per day, week or month' }),
      validate('query', activityQuery),
      async (c) => c.json({ items: await repActivity(deps.db, c.get('viewer'), c.req.valid('query')) }, 200),
    );
