import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoolLead, createUser, engines, signInAll, type ApiClient, type TestServer, startTestServer, freshMobile } from '../test/harness.ts';

describe.each(engines)('the pool on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let rep1: ApiClient;
  let rep2: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    [admin, rep1, rep2] = await signInAll(server, ['admin', 'rep1', 'rep2']);
  });
  afterAll(() => server?.close());

  it('lets exactly one of 30 simultaneous claimants win; the rest get 409 naming the winner', async () => {
    const team = (await admin.get('/api/teams')).body.items[0].id as string;
    const demo = await Promise.all(Array.from({ length: 20 }, (_, i) => server.signIn(`rep${i + 1}@demo.local`)));
    const extra = await Promise.all(Array.from({ length: 10 }, () => createUser(server, admin, { teamId: team })));
    const claimants = [...demo, ...extra.map((e) => e.client)];
    const lead = await createPoolLead(admin);

    const results = await Promise.all(claimants.map((c) => c.post(`/api/leads/${lead.id}/claim`)));

    const winners = results.flatMap((r, i) => (r.status === 200 ? [claimants[i]!] : []));
    expect(winners).toHaveLength(1);
    const winnerName = winners[0]!.user!.name;
    const losers = results.filter((r) => r.status !== 200);
    expect(losers).toHaveLength(29);
    for (const r of losers) {
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('pool.already_claimed');
      expect(r.body.error.details.ownerName).toBe(winnerName);
    }
    // The table and the log agree on one owner and one claim.
    const seen = await admin.get(`/api/leads/${lead.id}`);
    expect(seen.body.lead.ownerName).toBe(winnerName);
    const timeline = await admin.get(`/api/leads/${lead.id}/events`);
    expect(timeline.body.events.map((e: { type: string }) => e.type)).toEqual(['lead.created', 'lead.claimed']);
    expect(timeline.body.events[1].actor.name).toBe(winnerName);
    // The winner's answer, the lead as read later and the logged event carry the same view.
    const won = results.find((r) => r.status === 200)!.body.lead;
    expect(won).toEqual(seen.body.lead);
    expect(timeline.body.events[1].data.lead).toEqual(won);
    expect(won).toMatchObject({ id: lead.id, company: lead.company, ownerName: winnerName, contactMasked: false });
    expect(new Date(won.claimedAt).toISOString()).toBe(won.claimedAt);
  });

  it('a repeated claim (its answer lost on the way) answers the lead again, with no second event', async () => {
    const lead = await createPoolLead(admin);
    const first = await rep1.post(`/api/leads/${lead.id}/claim`);
    expect(first.status).toBe(200);
    const again = await rep1.post(`/api/leads/${lead.id}/claim`);
    expect(again.status).toBe(200);
    expect(again.body.lead).toEqual(first.body.lead);
    const timeline = await admin.get(`/api/leads/${lead.id}/events`);
    expect(timeline.body.events.map((e: { type: string }) => e.type)).toEqual(['lead.created', 'lead.claimed']);
    expect((await rep2.post(`/api/leads/${lead.id}/claim`)).body.error.code).toBe('pool.already_claimed');
  });

  it('claiming an unknown lead is 404, a malformed id 422', async () => {
    const unknown = await rep1.post('/api/leads/99999999/claim');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('lead.not_found');
    const malformed = await rep1.post('/api/leads/abc/claim');
    expect(malformed.status).toBe(422);
    expect(malformed.body.error.code).toBe('request.invalid');
  });

  describe('holding limit', () => {
    /** Sets the company pool's holding limit (its policy otherwise as it is). */
    const holdingLimit = async (limit: number) => {
      const { id, isCompanyPool, ...policy } = (await admin.get('/api/pools')).body.items.find((p: { isCompanyPool: boolean }) => p.isCompanyPool);
      return admin.put(`/api/pools/${id}`, { ...policy, holdingLimit: limit });
    };
    afterAll(() => holdingLimit(50));

    it('refuses a claim over the limit with pool.limit_reached', async () => {
      const { client: rep } = await createUser(server, admin);
      expect((await holdingLimit(2)).status).toBe(200);
      const leads = await Promise.all([1, 2, 3].map(() => createPoolLead(admin)));
      expect((await rep.post(`/api/leads/${leads[0]!.id}/claim`)).status).toBe(200);
      expect((await rep.post(`/api/leads/${leads[1]!.id}/claim`)).status).toBe(200);
      const over = await rep.post(`/api/leads/${leads[2]!.id}/claim`);
      expect(over.status).toBe(409);
      expect(over.body.error.code).toBe('pool.limit_reached');
      // The refused lead stays in the pool.
      expect((await admin.get(`/api/leads/${leads[2]!.id}`)).body.lead.ownerId).toBeNull();
    });

    it('never lets one rep exceed it, even with many claims at once', async () => {
      const { client: rep } = await createUser(server, admin);
      expect((await holdingLimit(3)).status).toBe(200);
      const leads = await Promise.all(Array.from({ length: 12 }, () => createPoolLead(admin)));

      const results = await Promise.all(leads.map((l) => rep.post(`/api/leads/${l.id}/claim`)));

      expect(results.filter((r) => r.status === 200)).toHaveLength(3);
      const refused = results.filter((r) => r.status !== 200);
      expect(refused).toHaveLength(9);
      for (const r of refused) expect(r.body.error?.code).toBe('pool.limit_reached');
      expect((await rep.get('/api/leads/mine')).body.items).toHaveLength(3);
    });

    it('counts what the rep holds now: a release frees a place, a kept-for-myself lead takes one', async () => {
      const { client: rep } = await createUser(server, admin);
      expect((await holdingLimit(2)).status).toBe(200);
      const [a, b, c] = await Promise.all([1, 2, 3].map(() => createPoolLead(admin)));
      expect((await rep.post(`/api/leads/${a!.id}/claim`)).status).toBe(200);
      expect((await rep.post(`/api/leads/${b!.id}/claim`)).status).toBe(200);
      expect((await rep.post(`/api/leads/${c!.id}/claim`)).body.error?.code).toBe('pool.limit_reached');

      expect((await rep.post(`/api/leads/${a!.id}/release`, { reason: '客户暂无需求' })).status).toBe(200);
      expect((await rep.post(`/api/leads/${c!.id}/claim`)).status).toBe(200);

      expect((await rep.post(`/api/leads/${b!.id}/release`, { reason: '号码空号' })).status).toBe(200);
      const kept = await rep.post('/api/leads', { company: '青岛海纳电子科技有限公司', assignToMe: true });
      expect(kept.status).toBe(201);
      const refused = await rep.post('/api/leads', { company: '济南长风重工有限公司', assignToMe: true });
      expect(refused.status).toBe(409);
      expect(refused.body.error.code).toBe('pool.limit_reached');
      expect((await rep.post(`/api/leads/${b!.id}/claim`)).body.error?.code).toBe('pool.limit_reached');
    });

    it('only an admin may change it', async () => {
      const company = (await rep1.get('/api/pools')).body.items[0];
      const res = await rep1.put(`/api/pools/${company.id}`, { ...company, holdingLimit: 1 });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('auth.forbidden');
      const invalid = await holdingLimit(0);
      expect(invalid.status).toBe(422);
    });
  });

  it('release with a reason puts the lead back in every pool, live', async () => {
    const lead = await createPoolLead(admin);
    expect((await rep1.post(`/api/leads/${lead.id}/claim`)).status).toBe(200);
    expect((await rep2.get(`/api/pool?q=${encodeURIComponent(lead.company)}`)).body.total).toBe(0);
    const watcher = await rep2.socket();

    const noReason = await rep1.post(`/api/leads/${lead.id}/release`, {});
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.details.fields.reason).toBeDefined();
    const notOwner = await rep2.post(`/api/leads/${lead.id}/release`, { reason: '不是我的' });
    expect(notOwner.status).toBe(403);

    const released = await rep1.post(`/api/leads/${lead.id}/release`, { reason: '客户暂无需求' });
    expect(released.status).toBe(200);
    expect(released.body.lead.ownerId).toBeNull();

    const event = await watcher.waitFor((e) => e.type === 'lead.released' && e.leadId === lead.id);
    expect(event.data).toMatchObject({ reason: '客户暂无需求', previousOwnerName: rep1.user!.name });
    const pool = await rep2.get(`/api/pool?q=${encodeURIComponent(lead.company)}`);
    expect(pool.body.items.map((l: { id: number }) => l.id)).toEqual([lead.id]);
    expect((await rep1.get('/api/leads/mine')).body.items.map((l: { id: number }) => l.id)).not.toContain(lead.id);
    const again = await rep1.post(`/api/leads/${lead.id}/release`, { reason: '再放一次' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('pool.not_claimed');
  });

  it('a manager of the owner team may release, a manager of another team may not', async () => {
    const lead = await createPoolLead(admin);
    expect((await rep1.post(`/api/leads/${lead.id}/claim`)).status).toBe(200);
    const [manager1, manager2] = await Promise.all([server.signIn('manager1@demo.local'), server.signIn('manager2@demo.local')]);
    // rep1..rep10 are manager1's team.
    const other = await manager2.post(`/api/leads/${lead.id}/release`, { reason: '调整' });
    expect(other.status).toBe(403);
    const own = await manager1.post(`/api/leads/${lead.id}/release`, { reason: '调整' });
    expect(own.status).toBe(200);
  });

  it('a created lead answers 201 and reaches other sockets as lead.created', async () => {
    const watcher = await rep2.socket();
    const mobile = freshMobile();
    const res = await rep1.post('/api/leads', { company: '济南恒力泵阀有限公司', mobile, province: '山东' });
    expect(res.status).toBe(201);
    const lead = res.body.lead;
    expect(lead).toMatchObject({ company: '济南恒力泵阀有限公司', ownerId: null, stage: 'new' });
    const event = await watcher.waitFor((e) => e.type === 'lead.created' && e.leadId === lead.id, 1_000);
    expect(event.data.lead.company).toBe('济南恒力泵阀有限公司');
    expect(event.data.lead.mobile).toBe(`${mobile.slice(0, 3)}****${mobile.slice(-4)}`);
  });

  it('the pool lists unclaimed leads newest first and filters them', async () => {
    const a = await createPoolLead(admin, { province: '西藏' });
    const b = await createPoolLead(admin, { province: '西藏' });
    const pool = await rep1.get(`/api/pool?province=${encodeURIComponent('西藏')}`);
    expect(pool.status).toBe(200);
    expect(pool.body.total).toBe(2);
    expect(pool.body.items.map((l: { id: number }) => l.id)).toEqual([b.id, a.id]);
    const bad = await rep1.get('/api/pool?limit=100000');
    expect(bad.status).toBe(422);
  });
});
