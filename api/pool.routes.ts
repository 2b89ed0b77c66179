import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { listPool, poolFacets } from '../core/leads/leads.repository.ts';
import { leadFor } from '../core/leads/lead-view.ts';
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
      describeRoute({ tags: ['pool'], summary: 'Unclaimed leads, newest first; contact data masked. tag: tag ids (OR within a group, AND across groups); cf: key=value, key>=value, key<=value on custom fields' }),
      validate('query', poolQuery),
      async (c) => {
        const { limit, offset, tag, cf, ...filter } = c.req.valid('query');
        const page = await listPool(deps.db, filter, limit, offset, await tagCustomConditions(deps.db, { tag, cf }));
        const viewer = c.get('viewer');
        return c.json({ items: page.items.map((lead) => leadFor(viewer, lead)), total: page.total }, 200);
      },
    )
    .get('/facets', describeRoute({ tags: ['pool'], summary: 'Values the pool filters offer' }), async (c) => {
      const [facets, exhibitions] = await Promise.all([poolFacets(deps.db), listExhibitions(deps.db)]);
      return c.json({ ...facets, exhibitions: exhibitions.map(({ id, name }) => ({ id, name })) }, 200);
    });
