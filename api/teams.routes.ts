import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { createTeam, listTeams, renameTeam, teamInput } from '../core/teams/teams.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

export const teamsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get('/', describeRoute({ tags: ['admin'], summary: 'Teams with member counts' }), async (c) => c.json({ items: await listTeams(deps.db) }, 200))
    .post('/', describeRoute({ tags: ['admin'], summary: 'Create a team' }), allow('admin'), validate('json', teamInput), async (c) => {
      return c.json({ team: await createTeam(deps.db, c.req.valid('json')) }, 201);
    })
    .patch(
      '/:id',
      describeRoute({ tags: ['admin'], summary: 'Rename a team' }),
      allow('admin'),
      validate('param', z.object({ id: z.string() })),
      validate('json', teamInput),
      async (c) => c.json({ team: await renameTeam(deps.db, c.req.valid('param').id, c.req.valid('json')) }, 200),
    );
