import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { getSettings } from '../core/settings/settings.repository.ts';
import { createUserInput, updateUserInput } from '../core/users/users.schemas.ts';
import { createUser, findUser, listUsers, setAway, updateUser } from '../core/users/users.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.string().min(1) });

export const usersRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get('/me', describeRoute({ tags: ['users'], summary: "The signed-in user, and the organisation's time zone (the day its figures count in)" }), async (c) => {
      const [user, { timeZone }] = await Promise.all([findUser(deps.db, c.get('viewer').id), getSettings(deps.db)]);
      return c.json({ user, timeZone }, 200);
    })
    .put('/me/away', describeRoute({ tags: ['users'], summary: 'Mark yourself away (assignment rules pass you over) or back' }), validate('json', z.strictObject({ away: z.boolean() })), async (c) =>
      c.json({ user: await setAway(deps.db, c.get('viewer').id, c.req.valid('json').away) }, 200),
    )
    .use(allow('admin'))
    .get('/', describeRoute({ tags: ['admin'], summary: 'All users' }), async (c) => c.json({ items: await listUsers(deps.db) }, 200))
    .post('/', describeRoute({ tags: ['admin'], summary: 'Create a user' }), validate('json', createUserInput), async (c) => {
      return c.json({ user: await createUser(deps.db, c.req.valid('json')) }, 201);
    })
    .patch(
      '/:id',
      describeRoute({ tags: ['admin'], summary: 'Change name, role, team, password, or deactivate (ends sessions at once)' }),
      validate('param', idParam),
      validate('json', updateUserInput),
      async (c) => {
        const user = await updateUser(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json'));
        return c.json({ user }, 200);
      },
    );
