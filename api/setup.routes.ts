import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { AppError } from '../core/errors.ts';
import { setupInput } from '../core/users/users.schemas.ts';
import { countUsers, createUser } from '../core/users/users.usecases.ts';
import type { ApiDeps } from './context.ts';
import { validate } from './validate.ts';

/** First run on an empty database: whoever arrives first creates the first admin. */
export const setupRoutes = (deps: ApiDeps) =>
  new Hono()
    .get('/', describeRoute({ tags: ['setup'], summary: 'Whether the first admin still has to be created' }), async (c) => {
      return c.json({ needed: (await countUsers(deps.db)) === 0 }, 200);
    })
    .post('/', describeRoute({ tags: ['setup'], summary: 'Create the first admin (only while there are no users)' }), validate('json', setupInput), async (c) => {
      if ((await countUsers(deps.db)) > 0) throw new AppError('setup.already_done');
      const user = await createUser(deps.db, { ...c.req.valid('json'), role: 'admin', teamId: null });
      return c.json({ user }, 201);
    });
