import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { tagGroupInput, tagInput, tagPatch } from '../core/tags/tags.schemas.ts';
import { createTag, createTagGroup, deleteTag, deleteTagGroup, listTagGroups, updateTag, updateTagGroup } from '../core/tags/tags.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.string().min(1).max(100) });
const admin = allow('admin');

export const tagsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get('/', describeRoute({ tags: ['tags'], summary: 'Tag groups with their tags, in display order' }), async (c) => {
      return c.json({ groups: await listTagGroups(deps.db) }, 200);
    })
    .post('/groups', describeRoute({ tags: ['admin'], summary: 'Create a tag group' }), admin, validate('json', tagGroupInput), async (c) => {
      return c.json({ group: await createTagGroup(deps.db, c.req.valid('json')) }, 201);
    })
    .put('/groups/:id', describeRoute({ tags: ['admin'], summary: 'Rename or move a tag group' }), admin, validate('param', idParam), validate('json', tagGroupInput), async (c) => {
      return c.json({ group: await updateTagGroup(deps.db, c.req.valid('param').id, c.req.valid('json')) }, 200);
    })
    .delete('/groups/:id', describeRoute({ tags: ['admin'], summary: 'Delete an empty tag group (409 tags.group_not_empty otherwise)' }), admin, validate('param', idParam), async (c) => {
      await deleteTagGroup(deps.db, c.req.valid('param').id);
      return c.json({ ok: true as const }, 200);
    })
    .post('/', describeRoute({ tags: ['admin'], summary: 'Create a tag in a group' }), admin, validate('json', tagInput), async (c) => {
      return c.json({ tag: await createTag(deps.db, c.req.valid('json')) }, 201);
    })
    .patch('/:id', describeRoute({ tags: ['admin'], summary: 'Rename or move a tag' }), admin, validate('param', idParam), validate('json', tagPatch), async (c) => {
      return c.json({ tag: await updateTag(deps.db, c.req.valid('param').id, c.req.valid('json')) }, 200);
    })
    .delete('/:id', describeRoute({ tags: ['admin'], summary: 'Delete a tag no lead carries (409 tags.in_use otherwise)' }), admin, validate('param', idParam), async (c) => {
      await deleteTag(deps.db, c.req.valid('param').id);
      return c.json({ ok: true as const }, 200);
    });
