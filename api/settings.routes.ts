import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { getSettings, reminderSettings, updateSettings } from '../core/settings/settings.repository.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const zones = new Set(['UTC', ...Intl.supportedValuesOf('timeZone')]);
const settingsInput = z.strictObject({
  timeZone: z
    .string()
    .refine((zone) => zones.has(zone), 'unknown_time_zone')
    .optional(),
  reminders: reminderSettings.optional(),
});

export const settingsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get('/', describeRoute({ tags: ['admin'], summary: 'Organisation settings' }), async (c) => c.json({ settings: await getSettings(deps.db) }, 200))
    .put('/', describeRoute({ tags: ['admin'], summary: 'Change organisation settings (the time zone, the reminders; each part optional)' }), allow('admin'), validate('json', settingsInput), async (c) => {
      return c.json({ settings: await updateSettings(deps.db, c.req.valid('json')) }, 200);
    });
