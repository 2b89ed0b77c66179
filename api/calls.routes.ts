import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { endCall, endCallInput } from '../core/calls/calls.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.coerce.number().int().positive() });

export const callsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .post(
      '/:id/end',
      describeRoute({ tags: ['calls'], summary: 'Hang up and log the outcome (callback needs callbackAt, which becomes a task)' }),
      allow('rep', 'manager', 'admin'),
      validate('param', idParam),
      validate('json', endCallInput),
      async (c) => c.json(await endCall(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json')), 200),
    );
