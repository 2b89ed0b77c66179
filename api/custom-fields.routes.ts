import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { customFieldInput, customFieldPatch } from '../core/custom-fields/custom-fields.schemas.ts';
import { createCustomField, deleteCustomField, listCustomFields, updateCustomField } from '../core/custom-fields/custom-fields.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.string().min(1).max(100) });
const admin = allow('admin');

export const customFieldsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get('/', describeRoute({ tags: ['custom-fields'], summary: 'Custom fields on leads, live ones first, in form order' }), async (c) => {
      return c.json({ items: await listCustomFields(deps.db) }, 200);
    })
    .post('/', describeRoute({ tags: ['admin'], summary: 'Create a custom field (key from the label unless given; never changes)' }), admin, validate('json', customFieldInput), async (c) => {
      return c.json({ field: await createCustomField(deps.db, c.req.valid('json')) }, 201);
    })
    .patch(
      '/:id',
      describeRoute({ tags: ['admin'], summary: 'Change a field’s label, options, required flag or order; archive or restore it. Removing an option in use: 409 custom_fields.option_in_use' }),
      admin,
      validate('param', idParam),
      validate('json', customFieldPatch),
      async (c) => c.json({ field: await updateCustomField(deps.db, c.req.valid('param').id, c.req.valid('json')) }, 200),
    )
    .delete(
      '/:id',
      describeRoute({ tags: ['admin'], summary: 'Delete a field no lead has a value for; a field with values is archived instead (deleted: false)' }),
      admin,
      validate('param', idParam),
      async (c) => c.json(await deleteCustomField(deps.db, c.req.valid('param').id), 200),
    );
