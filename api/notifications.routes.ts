import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { listNotifications, markNotificationsRead, markReadInput, notificationsQuery } from '../core/notifications/notifications.usecases.ts';
import { signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

export const notificationsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get('/', describeRoute({ tags: ['notifications'], summary: "The caller's notifications, newest first (page with `before`), and the unread count" }), validate('query', notificationsQuery), async (c) =>
      c.json(await listNotifications(deps.db, c.get('viewer').id, c.req.valid('query')), 200),
    )
    .post('/read', describeRoute({ tags: ['notifications'], summary: 'Mark the given notifications (or all) read; answers the unread count' }), validate('json', markReadInput), async (c) =>
      c.json({ unread: await markNotificationsRead(deps, c.get('viewer').id, c.req.valid('json')) }, 200),
    );
