import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { collisionListQuery, decideCollision, decideCollisionInput, listCollisions } from '../core/collisions/collisions.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.coerce.number().int().positive() });

export const collisionsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get(
      '/',
      describeRoute({ tags: ['collisions'], summary: 'Collision requests (撞单) the caller files, owns the lead of, or decides' }),
      validate('query', collisionListQuery),
      async (c) => c.json({ items: await listCollisions(deps.db, c.get('viewer'), c.req.valid('query').status) }, 200),
    )
    .post(
      '/:id/decision',
      describeRoute({ tags: ['collisions'], summary: "Decide a collision: keep with the owner, transfer to the requester, or share (the owner's team manager or an admin)" }),
      allow('manager', 'admin'),
      validate('param', idParam),
      validate('json', decideCollisionInput),
      async (c) => {
        const { decision, note } = c.req.valid('json');
        return c.json({ collision: await decideCollision(deps, c.get('viewer'), c.req.valid('param').id, decision, note) }, 200);
      },
    );
