import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import {
  createWallScreen,
  deleteWallScreen,
  issueDisplayToken,
  issuePairingCode,
  listWallScreens,
  revokeWallScreen,
  updateWallScreen,
  wallScreenInput,
} from '../core/wall/wall-screens.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { publicOrigin } from './doors.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.string().min(1).max(100) });

/** Admins manage the sales-floor TVs: what each shows, and the display tokens they sign in with. */
export const wallScreensRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps), allow('admin'))
    .get('/', describeRoute({ tags: ['admin'], summary: 'Wall screens, newest first (never their tokens)' }), async (c) => {
      return c.json({ items: await listWallScreens(deps.db, deps.clock.now()) }, 200);
    })
    .post('/', describeRoute({ tags: ['admin'], summary: 'Create a wall screen' }), validate('json', wallScreenInput), async (c) => {
      return c.json({ screen: await createWallScreen(deps.db, c.get('viewer'), c.req.valid('json'), deps.clock.now()) }, 201);
    })
    .put(
      '/:id',
      describeRoute({ tags: ['admin'], summary: 'Change what a wall screen shows (its TV follows at once)' }),
      validate('param', idParam),
      validate('json', wallScreenInput),
      async (c) => {
        const { id } = c.req.valid('param');
        const screen = await updateWallScreen(deps.db, id, c.req.valid('json'), deps.clock.now());
        deps.wallChanged(id, 'config');
        return c.json({ screen }, 200);
      },
    )
    .delete('/:id', describeRoute({ tags: ['admin'], summary: 'Delete a wall screen (its TV is signed out)' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      await deleteWallScreen(deps.db, id);
      deps.wallChanged(id, 'revoked');
      return c.json({ deleted: true as const }, 200);
    })
    .post(
      '/:id/token',
      describeRoute({ tags: ['admin'], summary: "Issue a new display token (the old one stops working); the token and the screen's URL are in this answer only" }),
      validate('param', idParam),
      async (c) => {
        const { id } = c.req.valid('param');
        const { screen, token } = await issueDisplayToken(deps.db, id, deps.clock.now());
        deps.wallChanged(id, 'revoked');
        // The token rides in the fragment: browsers never send it, so it stays out of server and proxy logs.
        return c.json({ screen, token, url: `${publicOrigin(c, deps.doors)}/wall/screen#${token}` }, 200);
      },
    )
    .post('/:id/pairing', describeRoute({ tags: ['admin'], summary: 'A 6-digit code the TV enters at /wall, valid 10 minutes, once' }), validate('param', idParam), async (c) => {
      return c.json(await issuePairingCode(deps.db, c.req.valid('param').id, deps.clock.now()), 200);
    })
    .post('/:id/revoke', describeRoute({ tags: ['admin'], summary: "Revoke the screen's display token at once (its TV is disconnected)" }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      const screen = await revokeWallScreen(deps.db, id, deps.clock.now());
      deps.wallChanged(id, 'revoked');
      return c.json({ screen }, 200);
    });
