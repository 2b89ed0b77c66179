import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { canViewPool } from '../core/leads/visibility.ts';
import { createPool, deletePool, listPools, poolInput, updatePool } from '../core/pools/pools.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.string().min(1).max(100) });

export const poolsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get('/', describeRoute({ tags: ['pool'], summary: 'The pools the viewer may see and claim from, with their policies (admins: all)' }), async (c) => {
      const viewer = c.get('viewer');
      return c.json({ items: (await listPools(deps.db)).filter((p) => canViewPool(viewer, p.id)) }, 200);
    })
    .post('/', describeRoute({ tags: ['admin'], summary: 'Create a pool' }), allow('admin'), validate('json', poolInput), async (c) => {
      const pool = await createPool(deps.db, c.req.valid('json'));
      await deps.poolsChanged();
      return c.json({ pool }, 201);
    })
    .put(
      '/:id',
      describeRoute({ tags: ['admin'], summary: "Change a pool's name, policy and member teams" }),
      allow('admin'),
      validate('param', idParam),
      validate('json', poolInput),
      async (c) => {
        const pool = await updatePool(deps.db, c.req.valid('param').id, c.req.valid('json'));
        await deps.poolsChanged();
        return c.json({ pool }, 200);
      },
    )
    .delete('/:id', describeRoute({ tags: ['admin'], summary: 'Delete an empty pool (409 pools.not_empty otherwise; the company pool: pools.company_pool)' }), allow('admin'), validate('param', idParam), async (c) => {
      await deletePool(deps.db, c.req.valid('param').id);
      await deps.poolsChanged();
      return c.json({ ok: true as const }, 200);
    });
