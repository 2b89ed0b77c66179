import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadView } from '../realtime/contract.ts';
import { createPoolLead, createUser, engines, poolPolicy, signInAll, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { HOUR, ManualClock } from '../test/manual-clock.ts';

describe.each(engines)('assignment rules on %s', (engine) => {
  const clock = new ManualClock();
  let server: TestServer;
  let admin: ApiClient;
  let rep1: ApiClient;
  let teamId: string;
  let members: { user: { id: string; name: string }; client: ApiClient }[];

  beforeAll(async () => {
    server = await startTestServer(engine, { server: { clock } });
    [admin, rep1] = await signInAll(server, ['admin', 'rep1']);
    teamId = (await admin.post('/api/teams', { name: `分配测试组${engine}` })).body.team.id;
    members = [];
    for (let i = 0; i < 3; i++) members.push(await createUser(server, admin, { teamId }));
    members.sort((a, b) => a.user.id.localeCompare(b.user.id));
  });
  afterAll(() => server?.close());

  const province = (value: string) => ({ match: 'all', items: [{ field: 'province', op: 'eq', value }] });
  const saveRules = async (door: string, rules: unknown[]) => {
    const res = await admin.put(`/api/assignment-rules/${door}`, { rules });
    expect(res.status).toBe(200);
    return res.body.items as { id: string; name: string }[];
  };

  it('a team rule deals new leads round robin, passing over a rep marked away; each rep is told live', async () => {
    const [a, b, c] = members;
    const [rule] = await saveRules('manual', [{ name: '测试省 → 分配测试组', enabled: true, condition: province('测试省'), action: { type: 'team', teamId, strategy: 'round_robin' } }]);
    expect((await b!.client.put('/api/users/me/away', { away: true })).body.user.away).toBe(true);
    const [socketA, socketC, watcher] = [await a!.client.socket(), await c!.client.socket(), await rep1.socket()];

    const leads: LeadView[] = [];
    for (let i = 0; i < 4; i++) leads.push((await createPoolLead(admin, { province: '测试省', city: '测试市' })) as unknown as LeadView);
    expect(leads.map((l) => l.ownerId)).toEqual([a!.user.id, c!.user.id, a!.user.id, c!.user.id]);
    // Anything else stays in the pool.
    expect((await createPoolLead(admin)).ownerId).toBeNull();

    const toA = await socketA.waitForNotification((n) => n.leadId === leads[0]!.id);
    expect(toA).toMatchObject({ kind: 'lead.assigned', data: { company: leads[0]!.company, rule: rule!.name } });
    const arrived = await socketC.waitFor((e) => e.type === 'lead.assigned' && e.leadId === leads[1]!.id);
    // Assigned is as good as claimed: the pool's recycling clock starts.
    expect(arrived.data.lead).toMatchObject({ ownerId: c!.user.id, contactMasked: false, recycleRule: 'no_follow_up' });
    // The pool's other watchers see it leave, masked.
    const left = await watcher.waitFor((e) => e.type === 'lead.assigned' && e.leadId === leads[1]!.id);
    expect(left.data.lead.contactMasked).toBe(true);
    const timeline = (await admin.get(`/api/leads/${leads[0]!.id}/events`)).body.events as { type: string; actor: { type: string; id: string; name: string } }[];
    expect(timeline.map((e) => e.type)).toEqual(['lead.created', 'lead.assigned']);
    expect(timeline[1]!.actor).toEqual({ type: 'rule', id: `assign.${rule!.id}`, name: rule!.name });

    // Back from away, b gets the next one after c.
    await b!.client.put('/api/users/me/away', { away: false });
    const next = await createPoolLead(admin, { province: '测试省' });
    expect(next.ownerId).toBe(a!.user.id);
    expect((await createPoolLead(admin, { province: '测试省' })).ownerId).toBe(b!.user.id);
  });

  it('least loaded gives the rep holding fewest; a rep at the limit is passed over, and with nobody able the lead stays in the pool', async () => {
    const pool = (await admin.post('/api/pools', poolPolicy({ holdingLimit: 1 }))).body.pool as { id: string };
    const [a, b, c] = members;
    await saveRules('manual', [
      { name: '限额池', enabled: true, condition: province('限额省'), action: { type: 'team', teamId, strategy: 'least_loaded' } },
      { name: '点名', enabled: true, condition: province('点名省'), action: { type: 'rep', userId: a!.user.id } },
    ]);
    const held = await Promise.all(members.map(async (m) => (await m.client.get('/api/leads/mine')).body.items.length as number));
    const owners: (string | null)[] = [];
    for (let i = 0; i < 4; i++) owners.push((await createPoolLead(admin, { province: '限额省', poolId: pool.id })).ownerId as string | null);
    // One each (the pool's limit is 1), fewest held first, then nobody: the fourth stays in the pool.
    const byLoad = members.map((m, i) => ({ id: m.user.id, held: held[i]! })).sort((x, y) => x.held - y.held || x.id.localeCompare(y.id));
    expect({ owners, held }).toEqual({ owners: [...byLoad.map((m) => m.id), null], held });
    expect(owners[3]).toBeNull();
    expect(new Set([a, b, c].map((m) => m!.user.id))).toEqual(new Set(owners.slice(0, 3)));
    // The named rep is at the pool's limit too.
    expect((await createPoolLead(admin, { province: '点名省', poolId: pool.id })).ownerId).toBeNull();
  });

  it('a pool rule moves a lead matching any of its conditions; both pools hear it; the booth door has its own rules; a pool a rule names stays', async () => {
    const target = (await admin.post('/api/pools', poolPolicy({}))).body.pool as { id: string };
    const [rule] = await saveRules('manual', [
      {
        name: '大单进重点池',
        enabled: true,
        condition: { match: 'any', items: [{ field: 'expectedAmount', op: 'gte', value: 500000 }, { field: 'industry', op: 'in', value: ['医疗器械', '新能源'] }] },
        action: { type: 'pool', poolId: target.id },
      },
    ]);
    const watcher = await rep1.socket();
    const big = await createPoolLead(admin, { expectedAmount: 800000 });
    const medical = await createPoolLead(admin, { industry: '医疗器械' });
    const small = await createPoolLead(admin, { expectedAmount: 1000 });
    expect([big.poolId, medical.poolId, small.poolId]).toEqual([target.id, target.id, 'company']);
    const moved = await watcher.waitFor((e) => e.type === 'lead.moved' && e.leadId === big.id);
    expect(moved.data).toMatchObject({ fromPoolId: 'company', rule: { id: rule!.id }, door: 'manual', lead: { poolId: target.id } });
    expect((await rep1.get(`/api/pool?poolId=${target.id}`)).body.items.map((l: { id: number }) => l.id)).toEqual(expect.arrayContaining([big.id, medical.id]));
    // The booth door has no rules: a booth lead stays in the company pool.
    const booth = await admin.post(`/api/exhibitions`, { name: `测试展${Date.now()}`, city: '济南', startsOn: '2026-12-01', endsOn: '2026-12-03' });
    expect(booth.status).toBe(201);

    // The pool cannot go while a rule moves leads into it, even once it is empty.
    const empty = (await admin.post('/api/pools', poolPolicy({}))).body.pool as { id: string };
    await saveRules('import', [{ name: '进空池', enabled: true, condition: { match: 'all', items: [] }, action: { type: 'pool', poolId: empty.id } }]);
    const refused = await admin.request('DELETE', `/api/pools/${empty.id}`);
    expect(refused.status).toBe(409);
    expect(refused.body.error).toMatchObject({ code: 'pools.in_use', details: { rules: ['进空池'] } });
    await saveRules('import', []);
    expect((await admin.request('DELETE', `/api/pools/${empty.id}`)).status).toBe(200);
  });

  it('a dry run shows what the rules would do with the last leads and writes nothing', async () => {
    const before = (await admin.get('/api/assignment-rules/manual')).body.items;
    const lead = await createPoolLead(admin, { province: '预演省' });
    const rules = [
      { name: '预演', enabled: true, condition: province('预演省'), action: { type: 'team', teamId, strategy: 'round_robin' } },
      { name: '其余进公海', enabled: true, condition: { match: 'all', items: [] }, action: { type: 'pool', poolId: 'company' } },
    ];
    const res = await admin.post('/api/assignment-rules/manual/dry-run', { rules, limit: 20 });
    expect(res.status).toBe(200);
    const rows = res.body.items as { leadId: number; placement: { kind: string; rule?: { name: string }; user?: { id: string } } }[];
    expect(rows).toHaveLength(20);
    expect(rows.find((r) => r.leadId === lead.id)!.placement).toMatchObject({ kind: 'assigned', rule: { name: '预演' } });
    expect(rows.filter((r) => r.leadId !== lead.id).every((r) => r.placement.kind !== 'unmatched')).toBe(true);
    expect((await admin.get('/api/assignment-rules/manual')).body.items).toEqual(before);
    expect((await admin.get(`/api/leads/${lead.id}`)).body.lead.ownerId).toBeNull();

    const bad = await admin.post('/api/assignment-rules/manual/dry-run', { rules: [{ ...rules[0], action: { type: 'rep', userId: 'nobody' } }] });
    expect(bad.status).toBe(422);
    expect(bad.body.error.details.fields).toEqual({ 'rules.0.action': ['unknown_user'] });
    const badField = await admin.put('/api/assignment-rules/manual', { rules: [{ ...rules[0], condition: { match: 'all', items: [{ field: 'password', op: 'eq', value: 'x' }] } }] });
    expect(badField.status).toBe(422);
    expect((await rep1.get('/api/assignment-rules/manual')).status).toBe(403);
  });

  it('the recycle door deals a recycled lead to the team, never back to the rep who lost it', async () => {
    const pool = (await admin.post('/api/pools', poolPolicy({ recycleNoFollowUpHours: 1 }))).body.pool as { id: string };
    await saveRules('manual', []);
    await saveRules('recycle', [{ name: '回收后轮流分配', enabled: true, condition: { match: 'all', items: [] }, action: { type: 'team', teamId, strategy: 'round_robin' } }]);
    const lead = await createPoolLead(admin, { poolId: pool.id });
    const loser = members[0]!;
    expect((await loser.client.post(`/api/leads/${lead.id}/claim`)).status).toBe(200);
    clock.advance(2 * HOUR);
    await server.running.runJob('rules.sweep', {});
    const after = (await admin.get(`/api/leads/${lead.id}`)).body.lead as LeadView;
    expect(after.ownerId).not.toBeNull();
    expect(after.ownerId).not.toBe(loser.user.id);
    const types = ((await admin.get(`/api/leads/${lead.id}/events`)).body.events as { type: string }[]).map((e) => e.type);
    expect(types.slice(-2)).toEqual(['lead.recycled', 'lead.assigned']);
    await saveRules('recycle', []);
    clock.reset();
  });
});
