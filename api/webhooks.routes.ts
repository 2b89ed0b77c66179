import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, testWebhook, updateWebhook, webhookInput } from '../core/webhooks/webhooks.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.string().min(1).max(100) });

export const webhooksRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps), allow('admin'))
    .get('/', describeRoute({ tags: ['admin'], summary: 'Outbound webhooks and group robots (secrets never shown)' }), async (c) => c.json({ items: await listWebhooks(deps.db) }, 200))
    .post('/', describeRoute({ tags: ['admin'], summary: 'Create a webhook; a generic one gets a signing secret, shown in this answer only' }), validate('json', webhookInput), async (c) => {
      const webhook = await createWebhook(deps.db, c.req.valid('json'));
      deps.webhooksChanged();
      return c.json({ webhook }, 201);
    })
    .put('/:id', describeRoute({ tags: ['admin'], summary: 'Change a webhook (an absent secret is kept)' }), validate('param', idParam), validate('json', webhookInput), async (c) => {
      const webhook = await updateWebhook(deps.db, c.req.valid('param').id, c.req.valid('json'));
      deps.webhooksChanged();
      return c.json({ webhook }, 200);
    })
    .delete('/:id', describeRoute({ tags: ['admin'], summary: 'Delete a webhook and its delivery log' }), validate('param', idParam), async (c) => {
      await deleteWebhook(deps.db, c.req.valid('param').id);
      deps.webhooksChanged();
      return c.json({ ok: true as const }, 200);
    })
    .get('/:id/deliveries', describeRoute({ tags: ['admin'], summary: "A webhook's delivery log, newest first, with each endpoint's answer" }), validate('param', idParam), async (c) =>
      c.json({ items: await listDeliveries(deps.db, c.req.valid('param').id) }, 200),
    )
    .post('/:id/test', describeRoute({ tags: ['admin'], summary: 'Send a test message now; answers the logged delivery' }), validate('param', idParam), async (c) =>
      c.json({ delivery: await testWebhook(deps.db, deps.clock, c.req.valid('param').id) }, 200),
    );
