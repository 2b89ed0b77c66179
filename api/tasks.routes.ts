import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { listAssignees, listTasks, tasksQuery, updateTask, updateTaskInput } from '../core/tasks/tasks.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.coerce.number().int().positive() });

export const tasksRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get('/', describeRoute({ tags: ['tasks'], summary: "The caller's tasks: today, overdue, upcoming or done" }), validate('query', tasksQuery), async (c) =>
      c.json({ items: await listTasks(deps, c.get('viewer'), c.req.valid('query').view) }, 200),
    )
    .get('/:id/assignees', describeRoute({ tags: ['tasks'], summary: 'Whom the caller may hand the task to (the owner, reps it is shared with; for a manager, the team)' }), validate('param', idParam), async (c) =>
      c.json({ items: await listAssignees(deps.db, c.get('viewer'), c.req.valid('param').id) }, 200),
    )
    .patch(
      '/:id',
      describeRoute({ tags: ['tasks'], summary: 'Complete, reopen, snooze (dueAt) or reassign a task: its assignee, or whoever may edit its lead' }),
      allow('rep', 'manager', 'admin'),
      validate('param', idParam),
      validate('json', updateTaskInput),
      async (c) => c.json({ task: await updateTask(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json')) }, 200),
    );
