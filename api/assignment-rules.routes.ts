import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { doors } from '../db/schema/index.ts';
import { assignmentRulesInput } from '../core/rules/assignment-rule.ts';
import { dryRunAssignment, listAssignmentRules, saveAssignmentRules } from '../core/rules/assignment.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const doorParam = z.object({ door: z.enum(doors) });

export const assignmentRulesRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps), allow('admin'))
    .get('/:door', describeRoute({ tags: ['admin'], summary: "A door's assignment rules in order (the first that matches acts)" }), validate('param', doorParam), async (c) =>
      c.json({ items: await listAssignmentRules(deps.db, c.req.valid('param').door) }, 200),
    )
    .put(
      '/:door',
      describeRoute({ tags: ['admin'], summary: "Replace a door's assignment rules with these, in this order" }),
      validate('param', doorParam),
      validate('json', assignmentRulesInput),
      async (c) => c.json({ items: await saveAssignmentRules(deps.db, c.req.valid('param').door, c.req.valid('json').rules) }, 200),
    )
    .post(
      '/:door/dry-run',
      describeRoute({ tags: ['admin'], summary: "What these rules would have done with the door's last `limit` leads; nothing is written" }),
      validate('param', doorParam),
      validate('json', assignmentRulesInput.extend({ limit: z.number().int().min(1).max(500).default(50) })),
      async (c) => {
        const { rules, limit } = c.req.valid('json');
        return c.json({ items: await dryRunAssignment(deps.db, c.req.valid('param').door, rules, limit) }, 200);
      },
    );
