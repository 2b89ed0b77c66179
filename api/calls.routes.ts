import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { endCall, endCallInput } from '../core/calls/calls.usecases.ts';
import { AppError } from '../core/errors.ts';
import { findRecording, uploadRecording } from '../core/recordings/recordings.usecases.ts';
import { byteRange } from './byte-range.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.coerce.number().int().positive() });

async function* nothing(): AsyncGenerator<Uint8Array> {}

export const callsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .post(
      '/:id/end',
      describeRoute({
        tags: ['calls'],
        summary: 'Hang up and log the outcome (callback needs callbackAt, which becomes a task); a call the telephony provider ended is logged this way once',
      }),
      allow('rep', 'manager', 'admin'),
      validate('param', idParam),
      validate('json', endCallInput),
      async (c) => c.json(await endCall(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json')), 200),
    )
    .post(
      '/:id/recording',
      describeRoute({
        tags: ['calls'],
        summary:
          "Attach an ended call's recording: the audio file as the raw request body (mp3, m4a or wav, checked by content; 415 recording.unsupported_type, 413 recording.too_large); the caller or whoever may edit the lead; once per call",
      }),
      allow('rep', 'manager', 'admin'),
      validate('param', idParam),
      async (c) => {
        const call = await uploadRecording(deps, c.get('viewer'), c.req.valid('param').id, c.req.raw.body ?? nothing());
        return c.json({ call }, 201);
      },
    )
    .get(
      '/:id/recording',
      describeRoute({ tags: ['calls'], summary: "A call's recording (HTTP Range supported), for those who may see the lead whole" }),
      validate('param', idParam),
      async (c) => {
        const file = await findRecording(deps, c.get('viewer'), c.req.valid('param').id);
        const size = await deps.recordings.storage.size(file.key);
        if (size === null) throw new AppError('recording.not_found');
        const headers: Record<string, string> = {
          'content-type': file.contentType,
          'accept-ranges': 'bytes',
          'cache-control': 'private, no-store',
          'x-content-type-options': 'nosniff',
          etag: `"${file.key}"`,
        };
        const range = byteRange(c.req.header('range'), size);
        if (range === 'unsatisfiable') return c.body(null, 416, { ...headers, 'content-range': `bytes */${size}` });
        if (range === null) return c.body(deps.recordings.storage.read(file.key), 200, { ...headers, 'content-length': String(size) });
        return c.body(deps.recordings.storage.read(file.key, range), 206, {
          ...headers,
          'content-length': String(range.end - range.start + 1),
          'content-range': `bytes ${range.start}-${range.end}/${size}`,
        });
      },
    );
