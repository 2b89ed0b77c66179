import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { eventsHead, eventsSince } from '../core/events/event-log.ts';
import { signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const eventsQuery = z.object({
  since: z.coerce.number().int().min(0),
  limit: z.coerce.number().int().min(1).max(1000).default(500),
});

export const eventsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get('/head', describeRoute({ tags: ['events'], summary: 'The newest seq: where a fresh client starts its cursor' }), async (c) => {
      return c.json({ last: await eventsHead(deps.db) }, 200);
    })
    .get(
    '/',
    describeRoute({
      tags: ['events'],
      summary: 'Events after `since` that the caller may see; 410 events.expired when a fresh load is needed',
    }),
    validate('query', eventsQuery),
    async (c) => {
      const { since, limit } = c.req.valid('query');
      return c.json(await eventsSince(deps.db, c.get('viewer'), since, limit), 200);
    },
  );
