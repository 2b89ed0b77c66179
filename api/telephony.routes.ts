import { Hono, type Context } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { telephonyProviders } from '../db/schema/index.ts';
import {
  acceptCallResult,
  getTelephonySettings,
  regenerateTelephonySecret,
  telephonySettingsInput,
  updateTelephonySettings,
  type TelephonySettingsView,
} from '../core/telephony/telephony.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { publicOrigin } from './doors.ts';
import { validate } from './validate.ts';

const providerParam = z.object({ provider: z.enum(telephonyProviders) });

export const telephonyRoutes = (deps: ApiDeps) => {
  // What the admin gives the provider: the full address results go to.
  const withResultUrl = (c: Context, settings: TelephonySettingsView) => ({ ...settings, resultUrl: `${publicOrigin(c, deps.doors)}${settings.resultPath}` });
  const admin = new Hono<ApiEnv>()
    .use(signedIn(deps))
    .use(allow('admin'))
    .get('/:provider', describeRoute({ tags: ['admin'], summary: "A telephony adapter's settings, its signing secret and the URL results go to" }), validate('param', providerParam), async (c) => {
      const settings = await getTelephonySettings(deps.db, c.req.valid('param').provider);
      return c.json({ settings: withResultUrl(c, settings) }, 200);
    })
    .put(
      '/:provider',
      describeRoute({ tags: ['admin'], summary: 'Turn the adapter on or off and set where click-to-call requests go' }),
      validate('param', providerParam),
      validate('json', telephonySettingsInput),
      async (c) => {
        const settings = await updateTelephonySettings(deps.db, c.req.valid('param').provider, c.req.valid('json'));
        return c.json({ settings: withResultUrl(c, settings) }, 200);
      },
    )
    .post('/:provider/secret', describeRoute({ tags: ['admin'], summary: 'A new signing secret (the old one stops working at once)' }), validate('param', providerParam), async (c) => {
      const settings = await regenerateTelephonySecret(deps.db, c.req.valid('param').provider);
      return c.json({ settings: withResultUrl(c, settings) }, 200);
    });

  return (
    new Hono<ApiEnv>()
      // The provider's side: no session, the signature is the credential (docs/telephony.md).
      .post(
        '/:provider/result',
        describeRoute({
          tags: ['telephony'],
          summary: 'A provider posts how a call it placed went (signed X-Leadpool-Signature; 401 telephony.bad_signature / telephony.signature_expired); idempotent',
        }),
        validate('param', providerParam),
        async (c) => {
          const body = await c.req.text();
          return c.json(await acceptCallResult(deps, c.req.valid('param').provider, { headers: c.req.raw.headers, body }), 200);
        },
      )
      .route('/', admin)
  );
};
