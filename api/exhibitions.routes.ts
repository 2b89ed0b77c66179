import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { createExhibition, exhibitionInput, listExhibitions, updateExhibition } from '../core/exhibitions/exhibitions.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

export const exhibitionsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get('/', describeRoute({ tags: ['exhibitions'], summary: 'Exhibitions, newest first' }), async (c) => {
      return c.json({ items: await listExhibitions(deps.db) }, 200);
    })
    .post('/', describeRoute({ tags: ['admin'], summary: 'Create an exhibition' }), allow('admin'), validate('json', exhibitionInput), async (c) => {
      return c.json({ exhibition: await createExhibition(deps.db, c.req.valid('json')) }, 201);
    })
    .put(
      '/:id',
      describeRoute({ tags: ['admin'], summary: 'Change an exhibition' }),
      allow('admin'),
      validate('param', z.object({ id: z.string() })),
      validate('json', exhibitionInput),
      async (c) => c.json({ exhibition: await updateExhibition(deps.db, c.req.valid('param').id, c.req.valid('json')) }, 200),
    );
