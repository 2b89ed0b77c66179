import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { apiKeyInput, createApiKey, listApiKeys, revokeApiKey } from '../core/api-keys/api-keys.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.string().min(1).max(100) });

/** Admins manage the keys other systems use on the intake API. */
export const apiKeysRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps), allow('admin'))
    .get('/', describeRoute({ tags: ['admin'], summary: 'API keys, newest first (never their secrets)' }), async (c) => {
      return c.json({ items: await listApiKeys(deps.db) }, 200);
    })
    .post('/', describeRoute({ tags: ['admin'], summary: 'Create an API key; `secret` is in this answer only' }), validate('json', apiKeyInput), async (c) => {
      return c.json(await createApiKey(deps.db, c.get('viewer'), c.req.valid('json')), 201);
    })
    .post('/:id/revoke', describeRoute({ tags: ['admin'], summary: 'Revoke an API key for good' }), validate('param', idParam), async (c) => {
      return c.json({ apiKey: await revokeApiKey(deps.db, c.req.valid('param').id) }, 200);
    });
