import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { approvalsQuery, decideApproval, decideInput, listApprovals } from '../core/approvals/approvals.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.coerce.number().int().positive() });

export const approvalsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get(
      '/',
      describeRoute({ tags: ['approvals'], summary: "The approver's inbox: pending requests whose step they decide, or those they decided" }),
      allow('manager', 'admin'),
      validate('query', approvalsQuery),
      async (c) => c.json({ items: await listApprovals(deps.db, c.get('viewer'), c.req.valid('query').status) }, 200),
    )
    .post(
      '/:id/decision',
      describeRoute({ tags: ['approvals'], summary: 'Approve or reject the current step with a comment; the last approval moves the lead' }),
      allow('manager', 'admin'),
      validate('param', idParam),
      validate('json', decideInput),
      async (c) => c.json(await decideApproval(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json')), 200),
    );
