import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, errorCatalogue } from '../core/errors.ts';
import { importLimits } from '../core/imports/file-reader.ts';
import type { ApiDeps } from './context.ts';
import { collisionsRoutes } from './collisions.routes.ts';
import { customFieldsRoutes } from './custom-fields.routes.ts';
import { apiKeysRoutes } from './api-keys.routes.ts';
import { assignmentRulesRoutes } from './assignment-rules.routes.ts';
import { boothRoutes } from './booth.routes.ts';
import { docsRoutes } from './docs.routes.ts';
import { eventsRoutes } from './events.routes.ts';
import { exhibitionsRoutes } from './exhibitions.routes.ts';
import { intakeRoutes } from './intake.routes.ts';
import { importsRoutes } from './imports.routes.ts';
import { leadsRoutes } from './leads.routes.ts';
import { notificationsRoutes } from './notifications.routes.ts';
import { tasksRoutes } from './tasks.routes.ts';
import { pipelineRoutes } from './pipeline.routes.ts';
import { approvalsRoutes } from './approvals.routes.ts';
import { dashboardRoutes } from './dashboard.routes.ts';
import { callsRoutes } from './calls.routes.ts';
import { ocrAssetsRoutes } from './ocr-assets.routes.ts';
import { poolRoutes } from './pool.routes.ts';
import { poolsRoutes } from './pools.routes.ts';
import { settingsRoutes } from './settings.routes.ts';
import { setupRoutes } from './setup.routes.ts';
import { tagsRoutes } from './tags.routes.ts';
import { teamsRoutes } from './teams.routes.ts';
import { usersRoutes } from './users.routes.ts';
import { webhooksRoutes } from './webhooks.routes.ts';
import { telephonyRoutes } from './telephony.routes.ts';
import { wallRoutes } from './wall.routes.ts';
import { wallScreensRoutes } from './wall-screens.routes.ts';

const errorBody = (code: string, message: string, details?: unknown) => ({ error: { code, message, ...(details ? { details } : {}) } });

/** better-auth answers `{ code: "INVALID_EMAIL_OR_PASSWORD", message }`; reshape to our error body. */
async function reshapeAuthError(res: Response): Promise<Response> {
  if (res.status < 400 || !res.headers.get('content-type')?.includes('json')) return res;
  const body = (await res.clone().json().catch(() => null)) as { code?: string; message?: string } | null;
  const code = `auth.${(body?.code ?? 'failed').toLowerCase()}`;
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(errorBody(code, body?.message ?? 'Sign-in failed.')), { status: res.status, headers });
}

function routes(deps: ApiDeps) {
  return new Hono()
    .get('/health', (c) => c.json({ ok: true as const, db: deps.engine }, 200))
    .route('/setup', setupRoutes(deps))
    .route('/users', usersRoutes(deps))
    .route('/teams', teamsRoutes(deps))
    .route('/exhibitions', exhibitionsRoutes(deps))
    .route('/settings', settingsRoutes(deps))
    .route('/pool', poolRoutes(deps))
    .route('/pools', poolsRoutes(deps))
    .route('/leads', leadsRoutes(deps))
    .route('/tags', tagsRoutes(deps))
    .route('/custom-fields', customFieldsRoutes(deps))
    .route('/events', eventsRoutes(deps))
    .route('/collisions', collisionsRoutes(deps))
    .route('/notifications', notificationsRoutes(deps))
    .route('/tasks', tasksRoutes(deps))
    .route('/calls', callsRoutes(deps))
    .route('/pipeline', pipelineRoutes(deps))
    .route('/approvals', approvalsRoutes(deps))
    .route('/dashboard', dashboardRoutes(deps))
    .route('/telephony', telephonyRoutes(deps))
    .route('/assignment-rules', assignmentRulesRoutes(deps))
    .route('/webhooks', webhooksRoutes(deps))
    .route('/api-keys', apiKeysRoutes(deps))
    .route('/intake', intakeRoutes(deps))
    .route('/booth', boothRoutes(deps))
    .route('/imports', importsRoutes(deps))
    .route('/wall-screens', wallScreensRoutes(deps))
    .route('/wall', wallRoutes(deps));
}

interface BodyLimit {
  bytes: number;
  code: 'request.too_large' | 'import.file_too_large' | 'recording.too_large';
  /** Counts a chunked body as it streams. */
  streamed: MiddlewareHandler;
  details?: Record<string, unknown>;
}
const limitOf = (bytes: number, code: BodyLimit['code']): BodyLimit => ({
  bytes,
  code,
  streamed: bodyLimit({ maxSize: bytes, onError: () => { throw new AppError(code); } }),
});
const defaultLimit = limitOf(256 * 1024, 'request.too_large');
// Larger where a big body is the point: up to 1,000 leads to the intake API; a whole spreadsheet
// as an import upload (its own limit is checked again in core/imports).
const intakeLimit = limitOf(2 * 1024 * 1024, 'request.too_large');
const uploadLimit = limitOf(importLimits.maxBytes + 64 * 1024, 'import.file_too_large');
const recordingUpload = /^\/api\/calls\/\d+\/recording$/;

/**
 * Refuses bodies over the limit. Hono's bodyLimit first asks for the body stream, which makes
 * @hono/node-server build a whole web Request for every call; a Content-Length (or no body at
 * all) settles it from the headers, so only chunked bodies are counted as they stream.
 */
function limitBody(recordingMaxBytes: number): MiddlewareHandler {
  // A recording's route counts the bytes itself as it streams them to storage, and stops at the limit.
  const recordingLimit: BodyLimit = { bytes: recordingMaxBytes, code: 'recording.too_large', streamed: (_c, next) => next(), details: { maxBytes: recordingMaxBytes } };
  const limitFor = (method: string, path: string): BodyLimit =>
    path.startsWith('/api/intake/')
      ? intakeLimit
      : method === 'POST' && path === '/api/imports'
        ? uploadLimit
        : method === 'POST' && recordingUpload.test(path)
          ? recordingLimit
          : defaultLimit;
  return (c, next) => {
    const limit = limitFor(c.req.method, c.req.path);
    if (c.req.header('transfer-encoding') !== undefined) return limit.streamed(c, next);
    if (Number(c.req.header('content-length') ?? 0) > limit.bytes) throw new AppError(limit.code, limit.details);
    return next();
  };
}

/** The whole HTTP API under /api. */
export function createApi(deps: ApiDeps) {
  const api = routes(deps);
  return new Hono()
    .use('/api/*', limitBody(deps.recordings.maxBytes))
    .on(['GET', 'POST'], '/api/auth/*', async (c) => {
      if (c.req.path === '/api/auth/sign-out') deps.viewers.signedOut(c.req.raw.headers);
      return reshapeAuthError(await deps.auth.handler(c.req.raw));
    })
    .route('/api', api)
    .route('/api', docsRoutes(api))
    .route('/vendor/ocr', ocrAssetsRoutes())
    .all('/api/*', () => {
      throw new AppError('request.not_found');
    })
    .onError((err, c) => {
      if (err instanceof AppError) return c.json(errorBody(err.code, err.message, err.details), err.status as ContentfulStatusCode);
      if (err instanceof HTTPException && err.status === 400 && /json/i.test(err.message)) {
        return c.json(errorBody('request.malformed_json', errorCatalogue['request.malformed_json'].message), 400);
      }
      if (err instanceof HTTPException && err.status < 500) {
        return c.json(errorBody('request.invalid', err.message), err.status as ContentfulStatusCode);
      }
      console.error(err);
      return c.json(errorBody('server.internal', errorCatalogue['server.internal'].message), 500);
    });
}

/** The typed API surface for the web's `hc<AppType>` client. */
export type AppType = ReturnType<typeof routes>;
