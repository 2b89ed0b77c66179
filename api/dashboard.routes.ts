import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { attachment } from '../core/csv.ts';
import { channelsQuery, viewerExhibitions, viewerSources } from '../core/metrics/channels.usecases.ts';
import { funnelQuery, viewerFunnel } from '../core/metrics/funnel.usecases.ts';
import { healthQuery, viewerHealth } from '../core/metrics/pipeline-health.usecases.ts';
import { activityCsv, activityQuery, leaderboardQuery, repActivity, todayLeaderboard } from '../core/metrics/rep-activity.usecases.ts';
import { signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const csvQuery = z.intersection(activityQuery, z.object({ lang: z.enum(['zh-CN', 'en']).default('zh-CN') }));

export const dashboardRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get(
      '/leaderboard',
      describeRoute({ tags: ['dashboard'], summary: "Today's leaderboard by a metric: a manager's team, any team or all for an admin, a rep's own rank in their team" }),
      validate('query', leaderboardQuery),
      async (c) => c.json({ leaderboard: await todayLeaderboard((teamId, metric) => deps.leaderboards.get(teamId, deps.clock.now(), metric), c.get('viewer'), c.req.valid('query')) }, 200),
    )
    .get(
      '/activity',
      describeRoute({ tags: ['dashboard'], summary: 'Each rep’s claims, calls, connected calls, talk time, follow-ups, stage advances, wins and revenue per day, week or month' }),
      validate('query', activityQuery),
      async (c) => c.json({ items: await repActivity(deps.db, c.get('viewer'), c.req.valid('query')) }, 200),
    )
    .get(
      '/activity.csv',
      describeRoute({ tags: ['dashboard'], summary: 'The activity table as CSV (UTF-8 with BOM for Excel), headers in zh-CN or en' }),
      validate('query', csvQuery),
      async (c) => {
        const { lang, ...query } = c.req.valid('query');
        const rows = await repActivity(deps.db, c.get('viewer'), query);
        c.header('content-type', 'text/csv; charset=utf-8');
        c.header('content-disposition', attachment(lang === 'zh-CN' ? `销售活动-${query.from}-${query.to}.csv` : `rep-activity-${query.from}-${query.to}.csv`));
        return c.body(activityCsv(rows, lang), 200);
      },
    )
    .get(
      '/funnel',
      describeRoute({ tags: ['dashboard'], summary: 'The funnel of the leads created in a period: how many reached each stage, are in it now, and the stage-to-stage conversion; by team, rep, exhibition, source' }),
      validate('query', funnelQuery),
      async (c) => c.json({ funnel: await viewerFunnel(deps.db, c.get('viewer'), c.req.valid('query')) }, 200),
    )
    .get(
      '/sources',
      describeRoute({ tags: ['dashboard'], summary: 'Lead quality per source channel: leads created in a period, taken, won and won revenue' }),
      validate('query', channelsQuery),
      async (c) => c.json({ items: await viewerSources(deps.db, c.get('viewer'), c.req.valid('query')) }, 200),
    )
    .get(
      '/exhibitions',
      describeRoute({ tags: ['dashboard'], summary: 'The exhibition board: shows held in a period with their leads, wins, won revenue, ROI, cost per lead and per won deal' }),
      validate('query', channelsQuery),
      async (c) => c.json({ items: await viewerExhibitions(deps.db, c.get('viewer'), c.req.valid('query')) }, 200),
    )
    .get(
      '/health',
      describeRoute({ tags: ['dashboard'], summary: 'The average and median sales cycle of deals won in a period, and the held leads at risk now (about to recycle, overdue, idle in their stage)' }),
      validate('query', healthQuery),
      async (c) => c.json({ health: await viewerHealth(deps.db, c.get('viewer'), deps.clock.now(), c.req.valid('query')) }, 200),
    );
