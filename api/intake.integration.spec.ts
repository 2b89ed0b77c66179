import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoolLead, engines, eventsHead, freshMobile, leadInput, signInAll, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';

describe.each(engines)('intake API on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let rep1: ApiClient;
  let caller: ApiClient;
  let secret: string;
  let keyId: string;

  const intake = (body: unknown, headers: Record<string, string> = {}) =>
    caller.request('POST', '/api/intake/leads', body, { headers: { authorization: `Bearer ${secret}`, ...headers } });
  const poolTotal = async () => (await admin.get('/api/pool?limit=1')).body.total as number;

  beforeAll(async () => {
    server = await startTestServer(engine);
    [admin, rep1] = await signInAll(server, ['admin', 'rep1']);
    caller = server.anonymous();
    const created = await admin.post('/api/api-keys', { name: '官网表单' });
    expect(created.status).toBe(201);
    ({ secret } = created.body);
    keyId = created.body.apiKey.id;
  });
  afterAll(() => server?.close());

  describe('API keys', () => {
    it('shows the secret once; lists name, prefix and use, never the secret', async () => {
      expect(secret).toMatch(/^lp_[0-9A-Za-z]{40}$/);
      const before = (await admin.get('/api/api-keys')).body.items.find((k: { id: string }) => k.id === keyId);
      expect(before).toMatchObject({ name: '官网表单', prefix: secret.slice(0, 10), createdByName: admin.user!.name, lastUsedAt: null, revokedAt: null });
      expect(JSON.stringify((await admin.get('/api/api-keys')).body)).not.toContain(secret.slice(10));
      expect((await intake(leadInput())).status).toBe(201);
      const after = (await admin.get('/api/api-keys')).body.items.find((k: { id: string }) => k.id === keyId);
      expect(after.lastUsedAt).not.toBeNull();
    });

    // The in-memory PGlite belongs to the server; PostgreSQL can be read from here.
    it.runIf(engine === 'postgres')('stores only the SHA-256 of the secret', async () => {
      const sql = postgres(server.database.url!, { max: 1, onnotice: () => {} });
      try {
        const rows = await sql`select * from api_keys where id = ${keyId}`;
        const { createHash } = await import('node:crypto');
        expect(rows[0]!.key_hash).toBe(createHash('sha256').update(secret).digest('hex'));
        expect(JSON.stringify(rows)).not.toContain(secret.slice(10));
      } finally {
        await sql.end();
      }
    });

    it('only admins manage keys', async () => {
      expect((await rep1.get('/api/api-keys')).status).toBe(403);
      expect((await rep1.post('/api/api-keys', { name: 'x' })).status).toBe(403);
      expect((await admin.post('/api/api-keys', { name: ' ' })).body.error.details.fields).toEqual({ name: ['required'] });
    });

    it('refuses a missing or wrong key, and a revoked one, with 401 and stable codes', async () => {
      expect((await caller.post('/api/intake/leads', leadInput())).body.error.code).toBe('api_key.invalid');
      const wrong = await caller.request('POST', '/api/intake/leads', leadInput(), { headers: { 'x-api-key': 'lp_nope' } });
      expect(wrong.status).toBe(401);
      expect(wrong.body.error.code).toBe('api_key.invalid');

      const other = (await admin.post('/api/api-keys', { name: '旧 CRM' })).body;
      const viaHeader = await caller.request('POST', '/api/intake/leads', leadInput(), { headers: { 'x-api-key': other.secret } });
      expect(viaHeader.status).toBe(201);
      const revoked = await admin.post(`/api/api-keys/${other.apiKey.id}/revoke`);
      expect(revoked.body.apiKey.revokedAt).not.toBeNull();
      const total = await poolTotal();
      const refused = await caller.request('POST', '/api/intake/leads', leadInput(), { headers: { 'x-api-key': other.secret } });
      expect(refused.status).toBe(401);
      expect(refused.body.error.code).toBe('api_key.revoked');
      expect(await poolTotal()).toBe(total);
    });
  });

  describe('leads', () => {
    it('creates one lead in the pool, channel api, the key named as actor, live for reps', async () => {
      const live = await rep1.socket();
      const res = await intake(leadInput({ mobile: `+86 ${freshMobile()}` }));
      expect(res.status).toBe(201);
      expect(res.body.result).toEqual({ index: 0, status: 'created', leadId: expect.any(Number) });
      const event = await live.waitFor((e) => e.type === 'lead.created' && e.leadId === res.body.result.leadId);
      expect(event.actor).toEqual({ type: 'system', id: keyId, name: '官网表单' });
      expect(event.data.lead).toMatchObject({ sourceChannel: 'api', ownerId: null, createdBy: null });
    });

    it('answers a duplicate (pool or owned) with the existing lead, creating nothing', async () => {
      const mobile = freshMobile();
      const owned = await createPoolLead(admin, { mobile, email: `buyer${mobile}@x.cn` });
      expect((await rep1.post(`/api/leads/${owned.id}/claim`)).status).toBe(200);
      const head = await eventsHead(admin);
      const res = await intake(leadInput({ mobile: undefined, email: `BUYER${mobile}@X.CN` }));
      expect(res.status).toBe(200);
      expect(res.body.result).toMatchObject({ status: 'duplicate', leadId: owned.id, matches: [expect.objectContaining({ leadId: owned.id, reasons: ['email'], ownerId: rep1.user!.id })] });
      expect(await eventsHead(admin)).toBe(head);
    });

    it('creates a similar company and records it as a possible duplicate, without a reason', async () => {
      const existing = await createPoolLead(admin, { company: '苏州恒通精密机械有限公司' });
      const res = await intake(leadInput({ company: '恒通精密机械（苏州）有限公司' }));
      expect(res.status).toBe(201);
      const timeline = (await admin.get(`/api/leads/${res.body.result.leadId}/events`)).body.events;
      expect(timeline[0].data.possibleDuplicateOf).toEqual({ leadIds: [existing.id] });
    });

    it('rejects one bad lead with field errors (422)', async () => {
      const res = await intake({ company: '', mobile: '123', assignToMe: true });
      expect(res.status).toBe(422);
      expect(res.body.error.details.fields).toEqual({ company: ['required'], mobile: ['invalid_mobile'], assignToMe: ['unknown_field'] });
    });

    it('takes a mixed batch: per-item results in order, one bad item aborts nothing, a repeat within the batch is a duplicate', async () => {
      const existing = await createPoolLead(admin);
      const repeated = freshMobile();
      const total = await poolTotal();
      const leads = [
        leadInput(),
        leadInput({ mobile: existing.mobile }),
        { company: '', mobile: 'abc' },
        leadInput({ mobile: repeated }),
        leadInput({ mobile: repeated }),
        leadInput({ exhibitionId: 'no-such-exhibition' }),
      ];
      const res = await intake({ leads });
      expect(res.status).toBe(200);
      expect(res.body.summary).toEqual({ created: 2, duplicate: 2, rejected: 2 });
      const r = res.body.results;
      expect(r.map((x: { index: number; status: string }) => `${x.index}:${x.status}`)).toEqual(['0:created', '1:duplicate', '2:rejected', '3:created', '4:duplicate', '5:rejected']);
      expect(r[1].leadId).toBe(existing.id);
      expect(r[2].fields).toEqual({ company: ['required'], mobile: ['invalid_mobile'] });
      expect(r[4].leadId).toBe(r[3].leadId);
      expect(r[5].fields).toEqual({ exhibitionId: ['unknown_exhibition'] });
      expect(await poolTotal()).toBe(total + 2);
    });

    it('refuses a batch over 1,000 leads, or an empty one, whole', async () => {
      const total = await poolTotal();
      const over = await intake({ leads: Array.from({ length: 1001 }, () => ({ company: 'x' })) });
      expect(over.status).toBe(422);
      expect(over.body.error.details.fields).toEqual({ leads: ['too_many'] });
      expect((await intake({ leads: [] })).body.error.details.fields).toEqual({ leads: ['required'] });
      expect(await poolTotal()).toBe(total);
    });
  });

  describe('Idempotency-Key', () => {
    it('replays the first answer for the same key and body, creating nothing again', async () => {
      const body = { leads: [leadInput(), leadInput()] };
      const key = `order-${Math.random()}`;
      const first = await intake(body, { 'idempotency-key': key });
      expect(first.body.summary).toEqual({ created: 2, duplicate: 0, rejected: 0 });
      const total = await poolTotal();
      const again = await intake(body, { 'idempotency-key': key });
      expect(again.status).toBe(200);
      expect(again.body).toEqual(first.body);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(await poolTotal()).toBe(total);
    });

    it('refuses the same key with another body', async () => {
      const key = `order-${Math.random()}`;
      expect((await intake(leadInput(), { 'idempotency-key': key })).status).toBe(201);
      const other = await intake(leadInput(), { 'idempotency-key': key });
      expect(other.status).toBe(422);
      expect(other.body.error.code).toBe('intake.idempotency_key_reused');
    });

    it('keys belong to their API key: another key may use the same Idempotency-Key', async () => {
      const other = (await admin.post('/api/api-keys', { name: 'ERP' })).body.secret as string;
      const key = `shared-${Math.random()}`;
      expect((await intake(leadInput(), { 'idempotency-key': key })).status).toBe(201);
      expect((await caller.request('POST', '/api/intake/leads', leadInput(), { headers: { 'x-api-key': other, 'idempotency-key': key } })).status).toBe(201);
    });

    it('concurrent identical requests create the leads once and all get the same answer', async () => {
      const body = { leads: Array.from({ length: 20 }, () => leadInput()) };
      const key = `race-${Math.random()}`;
      const total = await poolTotal();
      const answers = await Promise.all(Array.from({ length: 5 }, () => intake(body, { 'idempotency-key': key })));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
      for (const a of answers) expect(a.body).toEqual(answers[0]!.body);
      expect(answers[0]!.body.summary).toEqual({ created: 20, duplicate: 0, rejected: 0 });
      expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(4);
      expect(await poolTotal()).toBe(total + 20);
    });

    it('does not store an answer for a request refused whole', async () => {
      const key = `bad-${Math.random()}`;
      expect((await intake({ leads: [] }, { 'idempotency-key': key })).status).toBe(422);
      expect((await intake(leadInput(), { 'idempotency-key': key })).status).toBe(201);
    });
  });

  it('documents the endpoint and its security schemes in OpenAPI', async () => {
    const doc = (await caller.get('/api/openapi.json')).body;
    const op = doc.paths['/intake/leads'].post;
    expect(op.security).toEqual([{ apiKeyBearer: [] }, { apiKeyHeader: [] }]);
    expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: 'header', name: 'Idempotency-Key' })]));
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '201', '401', '422']));
    expect(doc.components.securitySchemes.apiKeyBearer).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
