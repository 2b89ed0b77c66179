import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoolLead, engines, signInAll, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';

describe.each(engines)('collisions and merges on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  // rep1 and rep2 are in manager1's team; rep11 in manager2's.
  let rep1: ApiClient;
  let rep2: ApiClient;
  let rep11: ApiClient;
  let manager1: ApiClient;
  let manager2: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    [admin, rep1, rep2, rep11, manager1, manager2] = await signInAll(server, ['admin', 'rep1', 'rep2', 'rep11', 'manager1', 'manager2']);
  });
  afterAll(() => server?.close());

  async function ownedBy(owner: ApiClient, overrides: Record<string, unknown> = {}) {
    const lead = await createPoolLead(admin, overrides);
    expect((await owner.post(`/api/leads/${lead.id}/claim`)).status).toBe(200);
    return lead;
  }

  it("files a collision on another rep's lead, live to the owner, their manager and the requester, with first-touch evidence", async () => {
    const lead = await ownedBy(rep1);
    const [ownerSocket, managerSocket, requesterSocket, outsiderSocket] = await Promise.all([rep1.socket(), manager1.socket(), rep11.socket(), rep2.socket()]);
    try {
      const filed = await rep11.post(`/api/leads/${lead.id}/collisions`, { note: '10月15日广交会展位上交换过名片' });
      expect(filed.status).toBe(201);
      expect(filed.body.collision).toMatchObject({
        leadId: lead.id,
        requesterId: rep11.user!.id,
        ownerId: rep1.user!.id,
        ownerName: rep1.user!.name,
        status: 'open',
        evidence: { owner: { userId: rep1.user!.id, firstType: 'lead.claimed', activities: 1 }, requester: { userId: rep11.user!.id, firstAt: null, activities: 0 } },
      });
      const isFiled = (e: { type: string; leadId: number }) => e.type === 'lead.collision_filed' && e.leadId === lead.id;
      await Promise.all([ownerSocket.waitFor(isFiled), managerSocket.waitFor(isFiled)]);
      // The requester hears of it, with the other rep's contact data masked.
      const heard = await requesterSocket.waitFor(isFiled);
      expect(heard.data.lead.contactMasked).toBe(true);
      await new Promise((r) => setTimeout(r, 200));
      expect(outsiderSocket.events.some(isFiled)).toBe(false);

      const again = await rep11.post(`/api/leads/${lead.id}/collisions`, { note: '再次申请' });
      expect(again.status).toBe(409);
      expect(again.body.error.code).toBe('collision.already_open');

      // Listed for the manager of the owner's team; not for the other team's manager.
      expect((await manager1.get('/api/collisions')).body.items.map((c: { id: number }) => c.id)).toContain(filed.body.collision.id);
      expect((await manager2.get('/api/collisions')).body.items.map((c: { id: number }) => c.id)).not.toContain(filed.body.collision.id);
    } finally {
      for (const s of [ownerSocket, managerSocket, requesterSocket, outsiderSocket]) s.close();
    }
  });

  it('refuses collisions on pool leads, on own leads, and without evidence', async () => {
    const pool = await createPoolLead(admin);
    expect((await rep1.post(`/api/leads/${pool.id}/collisions`, { note: 'x' })).body.error.code).toBe('collision.lead_in_pool');
    const own = await ownedBy(rep1);
    expect((await rep1.post(`/api/leads/${own.id}/collisions`, { note: 'x' })).body.error.code).toBe('collision.own_lead');
    const empty = await rep2.post(`/api/leads/${own.id}/collisions`, { note: ' ' });
    expect(empty.status).toBe(422);
    expect(empty.body.error.details.fields.note).toEqual(['required']);
  });

  it('only the owner team manager or an admin decides; transfer moves the lead live', async () => {
    const lead = await ownedBy(rep1);
    const { body } = await rep11.post(`/api/leads/${lead.id}/collisions`, { note: '我先联系的' });
    const id = body.collision.id;
    expect((await rep2.post(`/api/collisions/${id}/decision`, { decision: 'transferred' })).body.error.code).toBe('auth.forbidden');
    expect((await manager2.post(`/api/collisions/${id}/decision`, { decision: 'transferred' })).body.error.code).toBe('auth.forbidden');

    const [oldOwner, requester] = await Promise.all([rep1.socket(), rep11.socket()]);
    try {
      const decided = await manager1.post(`/api/collisions/${id}/decision`, { decision: 'transferred', note: '客户确认先与王芳联系' });
      expect(decided.status).toBe(200);
      expect(decided.body.collision).toMatchObject({ status: 'transferred', decidedBy: manager1.user!.id, decisionNote: '客户确认先与王芳联系' });
      const isDecided = (e: { type: string; leadId: number }) => e.type === 'lead.collision_decided' && e.leadId === lead.id;
      const [toOld, toNew] = await Promise.all([oldOwner.waitFor(isDecided), requester.waitFor(isDecided)]);
      expect(toNew.data.lead).toMatchObject({ ownerId: rep11.user!.id, contactMasked: false });
      expect(toOld.data.lead.ownerId).toBe(rep11.user!.id);
    } finally {
      oldOwner.close();
      requester.close();
    }
    expect((await rep11.get('/api/leads/mine')).body.items.map((l: { id: number }) => l.id)).toContain(lead.id);
    expect((await rep1.get('/api/leads/mine')).body.items.map((l: { id: number }) => l.id)).not.toContain(lead.id);
    expect((await manager1.post(`/api/collisions/${id}/decision`, { decision: 'kept' })).body.error.code).toBe('collision.already_decided');
    const timeline = (await rep11.get(`/api/leads/${lead.id}/events`)).body.events.map((e: { type: string }) => e.type);
    expect(timeline).toEqual(['lead.created', 'lead.claimed', 'lead.collision_filed', 'lead.collision_decided']);
  });

  it('share lets both reps work the lead and see its contact data', async () => {
    const lead = await ownedBy(rep1);
    const { body } = await rep2.post(`/api/leads/${lead.id}/collisions`, { note: '同一客户的采购部' });
    expect((await rep2.get(`/api/leads/${lead.id}`)).body.error.code).toBe('lead.not_visible');
    expect((await admin.post(`/api/collisions/${body.collision.id}/decision`, { decision: 'shared' })).status).toBe(200);
    const seen = (await rep2.get(`/api/leads/${lead.id}`)).body.lead;
    expect(seen).toMatchObject({ ownerId: rep1.user!.id, contactMasked: false, sharedWith: [{ id: rep2.user!.id, name: rep2.user!.name }] });
    expect(seen.mobile).toBe(lead.mobile);
    expect((await rep2.get('/api/leads/mine')).body.items.map((l: { id: number }) => l.id)).toContain(lead.id);
  });

  it('merges two leads: the survivor fills its gaps, keeps both histories, the other vanishes live', async () => {
    const survivor = await ownedBy(rep1, { email: undefined, title: undefined });
    const merged = await createPoolLead(admin, { email: `cg-${Date.now()}@hx.cn`, title: '采购经理' });
    const watcher = await rep2.socket();
    try {
      expect((await rep1.post(`/api/leads/${survivor.id}/merge`, { mergedId: merged.id })).body.error.code).toBe('auth.forbidden');
      expect((await manager1.post(`/api/leads/${survivor.id}/merge`, { mergedId: survivor.id })).body.error.code).toBe('lead.merge_self');
      const res = await manager1.post(`/api/leads/${survivor.id}/merge`, { mergedId: merged.id });
      expect(res.status).toBe(200);
      expect(res.body.lead).toMatchObject({ id: survivor.id, company: survivor.company, mobile: survivor.mobile, title: '采购经理', ownerId: rep1.user!.id });
      const event = await watcher.waitFor((e) => e.type === 'lead.merged' && e.leadId === survivor.id);
      expect(event.data).toMatchObject({ merged: { id: merged.id }, lead: { contactMasked: true } });
    } finally {
      watcher.close();
    }
    const gone = await rep1.get(`/api/leads/${merged.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.details).toMatchObject({ mergedInto: survivor.id });
    const timeline = (await rep1.get(`/api/leads/${survivor.id}/events`)).body.events.map((e: { type: string; leadId: number }) => `${e.type}:${e.leadId}`);
    expect(timeline).toEqual([`lead.created:${survivor.id}`, `lead.claimed:${survivor.id}`, `lead.created:${merged.id}`, `lead.merged:${survivor.id}`]);
    const pool = (await rep2.get('/api/pool?limit=200')).body.items.map((l: { id: number }) => l.id);
    expect(pool).not.toContain(merged.id);
  });
});
