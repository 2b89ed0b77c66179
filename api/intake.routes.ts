import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { describeRoute, resolver } from 'hono-openapi';
import { z } from 'zod';
import { authenticateApiKey } from '../core/api-keys/api-keys.usecases.ts';
import { AppError, errorCatalogue } from '../core/errors.ts';
import { hashRequest, once, type StoredAnswer } from '../core/intake/idempotency.ts';
import { doorLeadInput, intakeBatch, intakeLead, type BatchItem, type IntakeDoor, type IntakeOutcome } from '../core/intake/intake.usecases.ts';
import type { ApiKey } from '../db/schema/index.ts';
import type { ApiDeps } from './context.ts';
import { fieldErrors } from './validate.ts';

/** Leads in one batch at most. */
export const MAX_BATCH = 1_000;

const batchEnvelope = z.strictObject({ leads: z.array(z.unknown()).min(1, 'required').max(MAX_BATCH, 'too_many') });
const idempotencyKey = z.string().trim().min(1).max(255).optional();

const resultItem = z.union([
  z.object({ index: z.number(), status: z.literal('created'), leadId: z.number() }),
  z.object({ index: z.number(), status: z.literal('duplicate'), leadId: z.number().describe('the existing lead'), matches: z.array(z.unknown()) }),
  z.object({ index: z.number(), status: z.literal('rejected'), fields: z.record(z.string(), z.array(z.string())) }),
]);
const summary = z.object({ created: z.number(), duplicate: z.number(), rejected: z.number() });

type IntakeEnv = { Variables: { apiKey: ApiKey } };

/** `Authorization: Bearer <key>` or `X-Api-Key: <key>`; sets `apiKey`. */
const apiKeyAuth = (deps: ApiDeps) =>
  createMiddleware<IntakeEnv>(async (c, next) => {
    const bearer = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    c.set('apiKey', await authenticateApiKey(deps.db, bearer ?? c.req.header('x-api-key')?.trim()));
    await next();
  });

const invalid = (fields: Record<string, string[]>): StoredAnswer => ({
  status: 422,
  body: { error: { code: 'request.invalid', message: errorCatalogue['request.invalid'].message, details: { fields } } },
});

/** The answer to one lead: 201 created, 200 duplicate (naming the existing lead), 422 rejected. */
function singleAnswer(outcome: IntakeOutcome): StoredAnswer {
  if (outcome.status === 'rejected') return invalid(outcome.fields);
  return { status: outcome.status === 'created' ? 201 : 200, body: { result: { index: 0, ...outcome } } };
}

function batchAnswer(outcomes: IntakeOutcome[]): StoredAnswer {
  const counts = { created: 0, duplicate: 0, rejected: 0 };
  for (const o of outcomes) counts[o.status]++;
  return { status: 200, body: { results: outcomes.map((o, index) => ({ index, ...o })), summary: counts } };
}

/** Parses and validates the body up front: a malformed request is refused whole, and never stored as an answer. */
function parseBody(raw: string): { run: (deps: ApiDeps, door: IntakeDoor) => Promise<StoredAnswer> } {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    throw new AppError('request.malformed_json');
  }
  if (body !== null && typeof body === 'object' && !Array.isArray(body) && 'leads' in body) {
    const envelope = batchEnvelope.safeParse(body);
    if (!envelope.success) throw new AppError('request.invalid', { fields: fieldErrors(envelope.error.issues) });
    const items: BatchItem[] = envelope.data.leads.map((item) => {
      const parsed = doorLeadInput.safeParse(item);
      return parsed.success ? { input: parsed.data } : { fields: fieldErrors(parsed.error.issues) };
    });
    return { run: async (deps, door) => batchAnswer(await intakeBatch(deps, door, items)) };
  }
  const parsed = doorLeadInput.safeParse(body);
  if (!parsed.success) throw new AppError('request.invalid', { fields: fieldErrors(parsed.error.issues) });
  return { run: async (deps, door) => singleAnswer(await intakeLead(deps, door, parsed.data)) };
}

const json = (schema: z.ZodType) => ({ 'application/json': { schema: resolver(schema) } });

/** The intake API: other systems push leads with an API key. */
export const intakeRoutes = (deps: ApiDeps) =>
  new Hono<IntakeEnv>().post(
    '/leads',
    describeRoute({
      tags: ['intake'],
      summary: 'Push one lead, or a batch of up to 1,000 ({ leads: [...] }), into the pool',
      description: [
        'Authenticate with `Authorization: Bearer <key>` or `X-Api-Key: <key>` (admins create keys under Admin › API keys).',
        'Every lead is cleaned and matched against all leads, pool and owned: the same phone or email is a `duplicate` (nothing created; `leadId` names the existing lead);',
        'a same or similar company name is created and recorded as a possible duplicate in its lead.created event.',
        'A batch answers 200 with one result per item, in order; one rejected item aborts nothing else. One lead answers 201 (created), 200 (duplicate) or 422 (rejected).',
        'Send an `Idempotency-Key` header to retry safely: the same key with the same body replays the first answer (header `Idempotent-Replayed: true`) and creates nothing;',
        'with another body it is refused (422 `intake.idempotency_key_reused`). Keys are kept per API key, for 24 hours.',
      ].join(' '),
      security: [{ apiKeyBearer: [] }, { apiKeyHeader: [] }],
      parameters: [{ in: 'header', name: 'Idempotency-Key', required: false, schema: { type: 'string', maxLength: 255 } }],
      requestBody: { required: true, content: json(z.union([doorLeadInput, z.object({ leads: z.array(doorLeadInput).min(1).max(MAX_BATCH) })])) },
      responses: {
        200: { description: 'A batch: one result per item; or one lead that duplicates an existing one', content: json(z.object({ results: z.array(resultItem), summary })) },
        201: { description: 'One lead, created', content: json(z.object({ result: resultItem })) },
        401: { description: '`api_key.invalid` or `api_key.revoked`' },
        409: { description: '`intake.request_in_progress`: the first request with this Idempotency-Key is still running' },
        422: { description: '`request.invalid` (details.fields, e.g. `leads: ["too_many"]`) or `intake.idempotency_key_reused`' },
      },
    }),
    apiKeyAuth(deps),
    async (c) => {
      const key = c.get('apiKey');
      const raw = await c.req.text();
      const { run } = parseBody(raw);
      const door: IntakeDoor = { actor: { type: 'system', id: key.id, name: key.name }, sourceChannel: 'api' };
      const header = idempotencyKey.safeParse(c.req.header('idempotency-key'));
      if (!header.success) throw new AppError('request.invalid', { fields: { 'Idempotency-Key': ['invalid'] } });
      const answer = header.data ? await once(deps.db, key.id, header.data, hashRequest(raw), () => run(deps, door)) : { ...(await run(deps, door)), replayed: false };
      if (answer.replayed) c.header('Idempotent-Replayed', 'true');
      return c.json(answer.body as Record<string, unknown>, answer.status as 200);
    },
  );
