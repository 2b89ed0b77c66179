import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { describeRoute } from 'hono-openapi';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { boothLeadInput, boothView, submitBoothLead } from '../core/booth/booth.usecases.ts';
import { AppError } from '../core/errors.ts';
import type { ApiDeps } from './context.ts';
import { clientAddress } from './doors.ts';
import { validate } from './validate.ts';

const tokenParam = z.object({ token: z.string().min(1).max(100) });
/** A visitor's form is a few hundred bytes; anything near this is not a visitor. */
const BOOTH_MAX_BODY = 16 * 1024;

/**
 * The public booth QR form's API: no session. Submissions are limited per client address in this
 * process's memory (with several nodes each counts on its own, so a client gets up to nodes × the limit).
 */
export function boothRoutes(deps: ApiDeps) {
  const { boothPerMinute } = deps.doors;
  const limiter = boothPerMinute > 0 ? new RateLimiterMemory({ points: boothPerMinute, duration: 60 }) : null;
  return new Hono()
    .get(
      '/:token',
      describeRoute({ tags: ['booth'], summary: 'The exhibition a booth QR form belongs to (public)' }),
      validate('param', tokenParam),
      async (c) => c.json({ booth: await boothView(deps.db, c.req.valid('param').token) }, 200),
    )
    .post(
      '/:token/leads',
      describeRoute({
        tags: ['booth'],
        summary: 'A booth visitor leaves their details (public; rate-limited per client; the same answer whether new, repeat or dropped)',
      }),
      bodyLimit({ maxSize: BOOTH_MAX_BODY, onError: () => { throw new AppError('request.too_large'); } }),
      async (c, next) => {
        try {
          await limiter?.consume(clientAddress(c, deps.doors));
        } catch (err) {
          if (!(err instanceof RateLimiterRes)) throw err;
          c.header('Retry-After', String(Math.ceil(err.msBeforeNext / 1000)));
          throw new AppError('booth.rate_limited', { retryAfterSeconds: Math.ceil(err.msBeforeNext / 1000) });
        }
        await next();
      },
      validate('param', tokenParam),
      validate('json', boothLeadInput),
      async (c) => {
        await submitBoothLead(deps, c.req.valid('param').token, c.req.valid('json'));
        // Created, a repeat visitor or a bot: one answer, so the form tells nobody what the pool holds.
        return c.json({ received: true as const }, 201);
      },
    );
}
