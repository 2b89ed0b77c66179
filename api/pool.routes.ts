import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { listPool, poolFacets } from '../core/leads/leads.repository.ts';
import { AppError } from '../core/errors.ts';
import { leadFor } from '../core/leads/lead-view.ts';
import { canViewPool } from '../core/leads/visibility.ts';
import { poolQuery } from '../core/leads/leads.schemas.ts';
import { tagCustomConditions } from '../core/leads/lead-filter.ts';
import { listExhibitions } from '../core/exhibitions/exhibitions.usecases.ts';
import { signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

export const poolRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get(
      '/',
      describeRoute({ tags: ['pool'], summary: 'A pool\'s unclaimed leads (poolId, default the company pool), newest first; contact data masked unless the pool shows it to the viewer. tag: tag ids (OR within a group, AND across groups); cf: key=value, key>=value, key<=value on custom fields' }),
      validate('query', poolQuery),
      async (c) => {
        const { limit, offset, tag, cf, ...filter } = c.req.valid('query');
        const viewer = c.get('viewer');
        // A pool the viewer may not see does not exist for them.
        if (!canViewPool(viewer, filter.poolId)) throw new AppError('pools.not_found', { id: filter.poolId });
        const page = await listPool(deps.db, filter, limit, offset, await tagCustomConditions(deps.db, { tag, cf }));
        return c.json({ items: page.items.map((lead) => leadFor(viewer, lead)), total: page.total }, 200);
      },
    )
    .get('/facets', describeRoute({ tags: ['pool'], summary: 'Values the pool filters offer' }), async (c) => {
      const [facets, exhibitions] = await Promise.all([poolFacets(deps.db), listExhibitions(deps.db)]);
      return c.json({ ...facets, exhibitions: exhibitions.map(({ id, name }) => ({ id, name })) }, 200);
    });
