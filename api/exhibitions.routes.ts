import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import QRCode from 'qrcode';
import type { Context } from 'hono';
import { boothTokenOf, issueBoothToken } from '../core/booth/booth.usecases.ts';
import { AppError } from '../core/errors.ts';
import { createExhibition, exhibitionInput, listExhibitions, updateExhibition } from '../core/exhibitions/exhibitions.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { publicOrigin } from './doors.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.string().max(100) });

/** The booth form's public address for this exhibition (null until an admin asks for it). */
const boothOf = (c: Context, deps: ApiDeps, token: string | null) => ({ token, url: token ? `${publicOrigin(c, deps.doors)}/booth/${token}` : null });

async function boothUrl(c: Context, deps: ApiDeps, id: string): Promise<string> {
  const { url } = boothOf(c, deps, await boothTokenOf(deps.db, id));
  if (!url) throw new AppError('booth.not_found');
  return url;
}

export const exhibitionsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get('/', describeRoute({ tags: ['exhibitions'], summary: 'Exhibitions, newest first' }), async (c) => {
      return c.json({ items: await listExhibitions(deps.db) }, 200);
    })
    .post('/', describeRoute({ tags: ['admin'], summary: 'Create an exhibition' }), allow('admin'), validate('json', exhibitionInput), async (c) => {
      return c.json({ exhibition: await createExhibition(deps.db, c.req.valid('json')) }, 201);
    })
    .put(
      '/:id',
      describeRoute({ tags: ['admin'], summary: 'Change an exhibition' }),
      allow('admin'),
      validate('param', z.object({ id: z.string() })),
      validate('json', exhibitionInput),
      async (c) => c.json({ exhibition: await updateExhibition(deps.db, c.req.valid('param').id, c.req.valid('json')) }, 200),
    )
    .get('/:id/booth', describeRoute({ tags: ['admin'], summary: "The booth QR form's address (token null until issued)" }), allow('admin'), validate('param', idParam), async (c) => {
      return c.json({ booth: boothOf(c, deps, await boothTokenOf(deps.db, c.req.valid('param').id)) }, 200);
    })
    .post(
      '/:id/booth',
      describeRoute({ tags: ['admin'], summary: 'Issue the booth QR form (regenerate: a new address; printed codes of the old one stop working)' }),
      allow('admin'),
      validate('param', idParam),
      validate('json', z.strictObject({ regenerate: z.boolean().default(false) })),
      async (c) => {
        const token = await issueBoothToken(deps.db, c.req.valid('param').id, c.req.valid('json').regenerate);
        return c.json({ booth: boothOf(c, deps, token) }, 200);
      },
    )
    .get('/:id/booth/qr.svg', describeRoute({ tags: ['admin'], summary: 'The booth QR code as SVG (printable)' }), allow('admin'), validate('param', idParam), async (c) => {
      const svg = await QRCode.toString(await boothUrl(c, deps, c.req.valid('param').id), { type: 'svg', errorCorrectionLevel: 'M', margin: 4 });
      return c.body(svg, 200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' });
    })
    .get('/:id/booth/qr.png', describeRoute({ tags: ['admin'], summary: 'The booth QR code as PNG (1024 px)' }), allow('admin'), validate('param', idParam), async (c) => {
      const png = await QRCode.toBuffer(await boothUrl(c, deps, c.req.valid('param').id), { type: 'png', errorCorrectionLevel: 'M', margin: 4, width: 1024 });
      return c.body(new Uint8Array(png), 200, { 'content-type': 'image/png', 'cache-control': 'no-store' });
    });
