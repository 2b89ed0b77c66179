import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { describeRoute } from 'hono-openapi';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { WallScreen } from '../db/schema/index.ts';
import { AppError } from '../core/errors.ts';
import { wallStates } from '../core/wall/wall-scenes.usecases.ts';
import { authenticateDisplay, pairingInput, pairWallScreen } from '../core/wall/wall-screens.usecases.ts';
import type { ApiDeps } from './context.ts';
import { clientAddress } from './doors.ts';
import { validate } from './validate.ts';

type WallEnv = { Variables: { screen: WallScreen } };

/** The display token as `Authorization: Bearer <token>`, the only credential here (session cookies are not read). */
const displayToken = (deps: ApiDeps) =>
  createMiddleware<WallEnv>(async (c, next) => {
    const token = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    c.set('screen', await authenticateDisplay(deps.db, token, deps.clock.now()));
    await next();
  });

/**
 * The wall screen's API: a TV trades a pairing code for its display token, then reads its scenes with
 * it. Pairing attempts are limited per client address in this process's memory, so six digits cannot
 * be walked through.
 */
export function wallRoutes(deps: ApiDeps) {
  const limiter = new RateLimiterMemory({ points: 10, duration: 60 });
  return new Hono<WallEnv>()
    .post(
      '/pair',
      describeRoute({ tags: ['wall'], summary: "A TV trades a pairing code for its screen's display token (rate-limited per client)" }),
      async (c, next) => {
        try {
          await limiter.consume(clientAddress(c, deps.doors));
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          const retryAfterSeconds = Math.ceil(err.msBeforeNext / 1000);
          c.header('Retry-After', String(retryAfterSeconds));
          throw new AppError('wall.rate_limited', { retryAfterSeconds });
        }
        await next();
      },
      validate('json', pairingInput),
      async (c) => {
        const paired = await pairWallScreen(deps.db, c.req.valid('json').code, deps.clock.now());
        // A TV that showed the old token is signed out.
        deps.wallChanged(paired.screenId, 'revoked');
        return c.json({ token: paired.token }, 200);
      },
    )
    .get(
      '/state',
      describeRoute({ tags: ['wall'], summary: "The screen's configuration, each scene's data and the log's head (display token only)" }),
      displayToken(deps),
      async (c) => {
        const screen = c.get('screen');
        const states = await wallStates(deps.db, [screen], deps.clock.now());
        return c.json({ state: states.get(screen.id)! }, 200);
      },
    );
}
