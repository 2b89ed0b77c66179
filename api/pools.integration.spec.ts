import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createPoolLead, createUser, engines, poolPolicy as policy, signInAll, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { DAY, HOUR, ManualClock } from '../test/manual-clock.ts';

describe.each(engines)('pools and their limits on %s', (engine) => {
  const clock = new ManualClock();
  let server: TestServer;
  let admin: ApiClient;
  let manager1: ApiClient;
  let rep1: ApiClient;
  let rep11: ApiClient;
  let team1: string;
  let team2: string;

  beforeAll(async () => {
    server = await startTestServer(engine, { server: { clock } });
    [admin, manager1, rep1, rep11] = await signInAll(server, ['admin', 'manager1', 'rep1', 'rep11']);
    // rep1..rep10 and manager1 are the first team, rep11..rep20 the second.
    const teams = (await admin.get('/api/teams')).body.items as { id: string; name: string }[];
    [team1, team2] = [teams.find((t) => t.name === '华东销售一组')!.id, teams.find((t) => t.name === '华南销售二组')!.id];
  });
  afterAll(() => server?.close());
  beforeEach(() => clock.reset());

  const createPool = async (fields: Record<string, unknown> = {}) => {
    const res = await admin.post('/api/pools', policy(fields));
    expect(res.status).toBe(201);
    return res.body.pool as { id: string; name: string };
  };

  it("a team's pool is seen, opened, claimed from and heard live by its team only", async () => {
    const pool = await createPool({ teamIds: [team1] });
    const [member, outsider] = [await rep1.socket(), await rep11.socket()];
    const lead = await createPoolLead(admin, { poolId: pool.id });
    expect(lead.poolId).toBe(pool.id);

    await member.waitFor((e) => e.type === 'lead.created' && e.leadId === lead.id);
    expect((await rep1.get(`/api/pool?poolId=${pool.id}`)).body.items.map((l: { id: number }) => l.id)).toEqual([lead.id]);
    expect((await rep1.get('/api/pools')).body.items.map((p: { id: string }) => p.id)).toContain(pool.id);

    expect((await rep11.get('/api/pools')).body.items.map((p: { id: string }) => p.id)).not.toContain(pool.id);
    expect((await rep11.get(`/api/pool?poolId=${pool.id}`)).body.error.code).toBe('pools.not_found');
    expect((await rep11.get(`/api/leads/${lead.id}`)).status).toBe(403);
    const refused = await rep11.post(`/api/leads/${lead.id}/claim`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('lead.not_visible');
    // Nor does it reach them by the log.
    const head = (await rep11.get('/api/events/head')).body.last as number;
    expect((await rep11.get(`/api/events?since=${head - 5}`)).body.events.map((e: { leadId: number }) => e.leadId)).not.toContain(lead.id);

    expect((await rep1.post(`/api/leads/${lead.id}/claim`)).status).toBe(200);
    expect(outsider.events.map((e) => e.leadId)).not.toContain(lead.id);
  });

  it('a pool that does not mask contacts shows them whole to its reps, in the list and live', async () => {
    const pool = await createPool({ teamIds: [team1], masksContacts: false });
    const watcher = await rep1.socket();
    const lead = await createPoolLead(admin, { poolId: pool.id });
    const event = await watcher.waitFor((e) => e.type === 'lead.created' && e.leadId === lead.id);
    expect(event.data.lead.mobile).toBe(lead.mobile);
    const listed = (await rep1.get(`/api/pool?poolId=${pool.id}`)).body.items[0];
    expect(listed).toMatchObject({ mobile: lead.mobile, contactMasked: false });
    // The company pool still masks them.
    const masked = await createPoolLead(admin);
    expect((await rep1.get(`/api/leads/${masked.id}`)).body.lead.contactMasked).toBe(true);
  });

  it('a daily claim limit counts the claims of the day in the organisation time zone, and the next day starts afresh', async () => {
    const pool = await createPool({ dailyClaimLimit: 2 });
    const { client: rep } = await createUser(server, admin);
    const leads = await Promise.all([1, 2, 3, 4].map(() => createPoolLead(admin, { poolId: pool.id })));
    expect((await rep.post(`/api/leads/${leads[0]!.id}/claim`)).status).toBe(200);
    expect((await rep.post(`/api/leads/${leads[1]!.id}/claim`)).status).toBe(200);
    // Releasing does not give a claim back.
    expect((await rep.post(`/api/leads/${leads[1]!.id}/release`, { reason: '不合适' })).status).toBe(200);
    const over = await rep.post(`/api/leads/${leads[2]!.id}/claim`);
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'pool.daily_limit_reached', details: { limit: 2 } });
    // Other pools are not limited by it.
    expect((await rep.post(`/api/leads/${(await createPoolLead(admin)).id}/claim`)).status).toBe(200);

    clock.advance(DAY);
    expect((await rep.post(`/api/leads/${leads[2]!.id}/claim`)).status).toBe(200);
  });

  it('a re-claim cooldown keeps a lead from the rep who lost it, not from others, until it ends', async () => {
    const pool = await createPool({ reclaimCooldownDays: 3 });
    const { client: loser } = await createUser(server, admin);
    const { client: other } = await createUser(server, admin);
    const [lead, second] = await Promise.all([1, 2].map(() => createPoolLead(admin, { poolId: pool.id })));
    expect((await loser.post(`/api/leads/${lead!.id}/claim`)).status).toBe(200);
    expect((await loser.post(`/api/leads/${lead!.id}/release`, { reason: '暂不跟进' })).status).toBe(200);

    clock.advance(2 * DAY);
    const refused = await loser.post(`/api/leads/${lead!.id}/claim`);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('pool.cooldown');
    expect(new Date(refused.body.error.details.until).getTime()).toBeGreaterThan(clock.now().getTime());
    expect((await loser.post(`/api/leads/${second!.id}/claim`)).status).toBe(200);

    clock.advance(DAY + HOUR);
    expect((await loser.post(`/api/leads/${lead!.id}/claim`)).status).toBe(200);
    expect((await other.post(`/api/leads/${lead!.id}/claim`)).body.error.code).toBe('pool.already_claimed');
  });

  it("new-lead protection keeps a booth lead for the exhibition's team for the set hours", async () => {
    const pool = await createPool({ protectNewHours: 4 });
    const show = await admin.post('/api/exhibitions', { name: `测试展${Math.random()}`, city: '济南', startsOn: '2026-11-20', endsOn: '2026-11-22', teamId: team1 });
    expect(show.status).toBe(201);
    const [early, late] = await Promise.all([1, 2].map(() => createPoolLead(admin, { poolId: pool.id, exhibitionId: show.body.exhibition.id })));
    const refused = await rep11.post(`/api/leads/${early!.id}/claim`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'pool.protected', details: { hours: 4 } });
    expect((await rep1.post(`/api/leads/${early!.id}/claim`)).status).toBe(200);

    clock.advance(4 * HOUR + 60_000);
    expect((await rep11.post(`/api/leads/${late!.id}/claim`)).status).toBe(200);
  });

  it("a pool's holding limit counts that pool's leads, and holds against claims at once", async () => {
    const pool = await createPool({ holdingLimit: 2 });
    const { client: rep } = await createUser(server, admin);
    const leads = await Promise.all(Array.from({ length: 8 }, () => createPoolLead(admin, { poolId: pool.id })));
    const results = await Promise.all(leads.map((l) => rep.post(`/api/leads/${l.id}/claim`)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(2);
    for (const r of results.filter((r) => r.status !== 200)) expect(r.body.error).toMatchObject({ code: 'pool.limit_reached', details: { limit: 2 } });
    // The company pool's limit is separate.
    expect((await rep.post(`/api/leads/${(await createPoolLead(admin)).id}/claim`)).status).toBe(200);
  });

  it('admins manage pools; others may not; an empty pool can be deleted, the company pool never', async () => {
    expect((await manager1.post('/api/pools', policy())).status).toBe(403);
    const invalid = await admin.post('/api/pools', policy({ holdingLimit: 0, teamIds: ['nope'] }));
    expect(invalid.status).toBe(422);
    const unnamed = await admin.post('/api/pools', policy({ name: null }));
    expect(unnamed.body.error.details.fields.name).toEqual(['required']);
    const pool = await createPool({ teamIds: [team2] });
    expect((await admin.post('/api/pools', policy({ name: pool.name }))).body.error.code).toBe('pools.name_taken');

    const lead = await createPoolLead(admin, { poolId: pool.id });
    expect((await admin.request('DELETE', `/api/pools/${pool.id}`)).body.error.code).toBe('pools.not_empty');
    expect((await admin.request('DELETE', '/api/pools/company')).body.error.code).toBe('pools.company_pool');
    // A rep cannot put a lead into a pool they do not see.
    expect((await rep1.post('/api/leads', { company: `测试${Math.random()}有限公司`, poolId: pool.id })).body.error.details.fields.poolId).toEqual(['unknown_pool']);

    const empty = await createPool();
    expect((await admin.request('DELETE', `/api/pools/${empty.id}`)).status).toBe(200);
    expect((await admin.get('/api/pools')).body.items.map((p: { id: string }) => p.id)).not.toContain(empty.id);
    expect(lead.poolId).toBe(pool.id);
  });

  it("changing a pool's members reaches open connections: a rep added hears its leads live", async () => {
    const pool = await createPool({ teamIds: [team1] });
    const watcher = await rep11.socket();
    const dropped = watcher.disconnected();
    const put = await admin.put(`/api/pools/${pool.id}`, policy({ name: pool.name, teamIds: [team1, team2] }));
    expect(put.status).toBe(200);
    // The server drops open sockets (the web reconnects on that at once): connected again, they are in the new rooms.
    expect(await dropped).toBe('io server disconnect');
    const again = await rep11.socket();
    const lead = await createPoolLead(admin, { poolId: pool.id });
    await again.waitFor((e) => e.type === 'lead.created' && e.leadId === lead.id);
  });
});
