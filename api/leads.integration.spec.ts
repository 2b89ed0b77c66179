import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoolLead, signInAll, engines, eventsHead, leadInput, startTestServer, type ApiClient, type TestServer, freshMobile } from '../test/harness.ts';

describe.each(engines)('leads on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let rep1: ApiClient;
  let rep2: ApiClient;
  let manager1: ApiClient;
  let manager2: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    [admin, rep1, rep2, manager1, manager2] = await signInAll(server, ['admin', 'rep1', 'rep2', 'manager1', 'manager2']);
  });
  afterAll(() => server?.close());

  describe('contact masking over HTTP', () => {
    it('masks contact data in the pool for reps, shows it whole to the owner after a claim', async () => {
      const mobile = freshMobile();
      const lead = await createPoolLead(admin, { mobile, email: 'zhang.wei@huaxin.cn' });
      const inPool = await rep1.get(`/api/pool?q=${encodeURIComponent(lead.company)}`);
      expect(inPool.body.items[0]).toMatchObject({ id: lead.id, mobile: `${mobile.slice(0, 3)}****${mobile.slice(-4)}`, email: 'z***@huaxin.cn', contactMasked: true });
      // Nothing in the pool listing leaks the number.
      expect(JSON.stringify((await rep1.get('/api/pool?limit=200')).body)).not.toContain(mobile);

      const claimed = await rep1.post(`/api/leads/${lead.id}/claim`);
      expect(claimed.status).toBe(200);
      expect(claimed.body.lead).toMatchObject({ mobile: `+86${mobile}`, email: 'zhang.wei@huaxin.cn', contactMasked: false, ownerName: rep1.user!.name });
      expect((await rep1.get(`/api/leads/${lead.id}`)).body.lead.mobile).toBe(`+86${mobile}`);
      expect((await rep1.get('/api/leads/mine')).body.items.find((l: { id: number }) => l.id === lead.id).mobile).toBe(`+86${mobile}`);
    });

    it("another rep's lead is 403 lead.not_visible; the team's manager sees it whole, the other team's does not", async () => {
      const mobile = freshMobile();
      const lead = await createPoolLead(admin, { mobile });
      expect((await rep1.post(`/api/leads/${lead.id}/claim`)).status).toBe(200);

      const stranger = await rep2.get(`/api/leads/${lead.id}`);
      expect(stranger.status).toBe(403);
      expect(stranger.body.error.code).toBe('lead.not_visible');
      expect((await rep2.get(`/api/leads/${lead.id}/events`)).status).toBe(403);

      // rep1..rep10 are manager1's team.
      expect((await manager1.get(`/api/leads/${lead.id}`)).body.lead.mobile).toBe(`+86${mobile}`);
      expect((await manager2.get(`/api/leads/${lead.id}`)).status).toBe(403);
      expect((await admin.get(`/api/leads/${lead.id}`)).body.lead.mobile).toBe(`+86${mobile}`);
    });
  });

  describe('bad input is refused with field errors, and nothing is written', () => {
    let before: { head: number; pool: number };
    beforeAll(async () => {
      before = { head: await eventsHead(admin), pool: (await admin.get('/api/pool?limit=1')).body.total };
    });
    afterAll(async () => {
      expect(await eventsHead(admin)).toBe(before.head);
      expect((await admin.get('/api/pool?limit=1')).body.total).toBe(before.pool);
    });

    const fieldsOf = (res: { body: { error: { details: { fields: Record<string, string[]> } } } }) => res.body.error.details.fields;

    it('invalid phone numbers and email', async () => {
      const res = await rep1.post('/api/leads', leadInput({ mobile: '12345', phone: 'call me', email: 'not-an-email' }));
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('request.invalid');
      expect(fieldsOf(res)).toEqual({ mobile: ['invalid_mobile'], phone: ['invalid_phone'], email: ['invalid_email'] });
      // A landline is not a mobile.
      const landline = await rep1.post('/api/leads', leadInput({ mobile: '053188886666' }));
      expect(fieldsOf(landline)).toEqual({ mobile: ['invalid_mobile'] });
    });

    it('missing or blank company', async () => {
      const { company: _, ...rest } = leadInput();
      const missing = await rep1.post('/api/leads', rest);
      expect(missing.status).toBe(422);
      expect(Object.keys(fieldsOf(missing))).toEqual(['company']);
      const blank = await rep1.post('/api/leads', leadInput({ company: '   ' }));
      expect(fieldsOf(blank)).toEqual({ company: ['required'] });
    });

    it('unknown fields, wrong types and unknown references', async () => {
      const unknown = await rep1.post('/api/leads', leadInput({ ownerId: 'me', hack: true }));
      expect(unknown.status).toBe(422);
      expect(fieldsOf(unknown)).toEqual({ ownerId: ['unknown_field'], hack: ['unknown_field'] });
      const types = await rep1.post('/api/leads', leadInput({ intent: 'Z', expectedAmount: -5, assignToMe: 'yes' }));
      expect(Object.keys(fieldsOf(types)).sort()).toEqual(['assignToMe', 'expectedAmount', 'intent']);
      const exhibition = await rep1.post('/api/leads', leadInput({ exhibitionId: 'no-such-exhibition' }));
      expect(exhibition.status).toBe(422);
      expect(fieldsOf(exhibition)).toEqual({ exhibitionId: ['unknown_exhibition'] });
      const array = await rep1.request('POST', '/api/leads', [leadInput()]);
      expect(array.status).toBe(422);
    });

    it('malformed JSON', async () => {
      const res = await rep1.request('POST', '/api/leads', undefined, { rawBody: '{"company": "半截' });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('request.malformed_json');
      const empty = await rep1.request('POST', '/api/leads', undefined, { rawBody: '' });
      expect(empty.status).toBeGreaterThanOrEqual(400);
      expect(empty.status).toBeLessThan(500);
      expect(empty.body.error.code).toMatch(/^request\./);
    });

    it('a body over 256 KiB', async () => {
      const res = await rep1.request('POST', '/api/leads', leadInput({ contactName: 'x'.repeat(300 * 1024) }), { fresh: true });
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('request.too_large');
      const release = await rep1.request('POST', '/api/leads/1/release', { reason: '长'.repeat(200 * 1024) }, { fresh: true });
      expect(release.status).toBe(413);
      // Without a Content-Length the body is counted as it streams in.
      const chunked = await rep1.request('POST', '/api/leads', leadInput({ contactName: 'x'.repeat(300 * 1024) }), { fresh: true, headers: { 'transfer-encoding': 'chunked' } });
      expect(chunked.status).toBe(413);
      expect(chunked.body.error.code).toBe('request.too_large');
    });

    it('fields over their length', async () => {
      const res = await rep1.post('/api/leads', leadInput({ company: '公'.repeat(201) }));
      expect(res.status).toBe(422);
      expect(Object.keys(fieldsOf(res))).toEqual(['company']);
    });

    it('unknown endpoints answer a 404 error body, not the SPA', async () => {
      const res = await rep1.get('/api/nothing-here');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('request.not_found');
    });
  });

  it('creates a lead with cleaned fields, 201, into the pool or kept with assignToMe', async () => {
    const res = await rep2.post('/api/leads', { company: ' 青岛海川电子有限公司 ', mobile: '139 1234 0001', email: ' Li.Na@HaiChuan.CN ', intent: 'A', expectedAmount: 200000 });
    expect(res.status).toBe(201);
    expect(res.body.lead).toMatchObject({ company: '青岛海川电子有限公司', mobile: '+8613912340001', email: 'li.na@haichuan.cn', ownerId: null, createdBy: rep2.user!.id });
    const kept = await rep2.post('/api/leads', leadInput({ assignToMe: true }));
    expect(kept.status).toBe(201);
    expect(kept.body.lead.ownerId).toBe(rep2.user!.id);
    expect((await rep2.get('/api/leads/mine')).body.items.map((l: { id: number }) => l.id)).toContain(kept.body.lead.id);
  });

  it('GET /api/health names the engine', async () => {
    expect((await server.anonymous().get('/api/health')).body).toEqual({ ok: true, db: engine });
  });
});
