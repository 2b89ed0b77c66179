import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../server.ts';
import type { LeadView, NotificationView } from '../realtime/contract.ts';
import { createPoolLead, createUser, engines, noReminders, poolPolicy, signInAll, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { DAY, HOUR, ManualClock } from '../test/manual-clock.ts';

describe.each(engines)('recycling (回收) on %s', (engine) => {
  const clock = new ManualClock();
  let server: TestServer;
  let admin: ApiClient;
  let manager1: ApiClient;
  let team1: string;

  beforeAll(async () => {
    server = await startTestServer(engine, { server: { clock } });
    [admin, manager1] = await signInAll(server, ['admin', 'manager1']);
    team1 = manager1.user!.teamId!;
    // Reminders (api/reminders.integration.spec.ts) would add their own notifications.
    expect((await admin.put('/api/settings', { reminders: noReminders })).status).toBe(200);
  });
  afterAll(() => server?.close());
  beforeEach(() => clock.reset());

  const createPool = async (fields: Record<string, unknown>) => {
    const res = await admin.post('/api/pools', poolPolicy(fields));
    expect(res.status).toBe(201);
    return res.body.pool as ReturnType<typeof poolPolicy> & { id: string };
  };
  const sweep = () => server.running.runJob('rules.sweep', {});
  const claim = async (client: ApiClient, leadId: number) => {
    const res = await client.post(`/api/leads/${leadId}/claim`);
    expect(res.status).toBe(200);
    return res.body.lead as LeadView;
  };
  const leadNow = async (leadId: number) => (await admin.get(`/api/leads/${leadId}`)).body.lead as LeadView;
  const notificationsOf = async (client: ApiClient, leadId: number) =>
    ((await client.get('/api/notifications?limit=100')).body.items as NotificationView[]).filter((n) => n.leadId === leadId);

  it('a lead held 48 h without a follow-up: its owner is warned once, then it returns to the pool live, named by its rule, and the cooldown applies', async () => {
    const pool = await createPool({ recycleNoFollowUpHours: 48, recycleWarnHours: 6, reclaimCooldownDays: 3 });
    const [{ client: owner }, { client: other }] = [await createUser(server, admin, { teamId: team1 }), await createUser(server, admin)];
    const [ownerSocket, otherSocket] = [await owner.socket(), await other.socket()];
    const lead = await createPoolLead(admin, { poolId: pool.id });

    const held = await claim(owner, lead.id);
    expect(held.recycleRule).toBe('no_follow_up');
    expect(Date.parse(held.recycleDueAt!) - Date.parse(held.claimedAt!)).toBe(48 * HOUR);

    clock.advance(41 * HOUR);
    await sweep();
    expect(await notificationsOf(owner, lead.id)).toEqual([]);

    clock.advance(2 * HOUR);
    await sweep();
    const warning = await ownerSocket.waitForNotification((n) => n.leadId === lead.id);
    expect(warning).toMatchObject({ kind: 'lead.recycle_warning', data: { company: lead.company, dueAt: held.recycleDueAt, rule: 'no_follow_up', limit: 48 } });
    await sweep();
    expect(await notificationsOf(owner, lead.id)).toHaveLength(1);
    expect((await leadNow(lead.id)).ownerId).toBe(owner.user!.id);

    clock.advance(6 * HOUR);
    await sweep();
    const seen = await otherSocket.waitFor((e) => e.type === 'lead.recycled' && e.leadId === lead.id);
    expect(seen).toMatchObject({ actor: { type: 'rule', id: 'recycle.no_follow_up' }, data: { rule: 'no_follow_up', limit: 48, previousOwnerId: owner.user!.id } });
    expect(seen.data.lead).toMatchObject({ ownerId: null, recycleDueAt: null, contactMasked: true });
    const told = await ownerSocket.waitForNotification((n) => n.leadId === lead.id && n.kind === 'lead.recycled');
    expect(told.data).toMatchObject({ rule: 'no_follow_up', poolId: pool.id });
    const timeline = (await admin.get(`/api/leads/${lead.id}/events`)).body.events as { type: string; actor: { id: string } }[];
    expect(timeline.at(-1)).toMatchObject({ type: 'lead.recycled', actor: { id: 'recycle.no_follow_up' } });
    // A second sweep finds nothing more to do for it.
    await sweep();
    expect(timeline.filter((e) => e.type === 'lead.recycled')).toHaveLength(1);
    expect(((await admin.get(`/api/leads/${lead.id}/events`)).body.events as { type: string }[]).filter((e) => e.type === 'lead.recycled')).toHaveLength(1);

    const again = await owner.post(`/api/leads/${lead.id}/claim`);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('pool.cooldown');
    await claim(other, lead.id);

    const list = await owner.get('/api/notifications');
    expect(list.body.unread).toBeGreaterThanOrEqual(2);
    const read = await owner.post('/api/notifications/read', { ids: [warning.id] });
    expect(read.body.unread).toBe(list.body.unread - 1);
    expect((await owner.post('/api/notifications/read', {})).body.unread).toBe(0);
    // Nobody reads another's notifications.
    await other.post('/api/notifications/read', { ids: [told.id] });
    expect((await owner.get('/api/notifications')).body.items.find((n: NotificationView) => n.id === told.id).readAt).not.toBeNull();
  });

  it('a follow-up restarts the clock; one after the recycle is refused', async () => {
    const pool = await createPool({ recycleNoFollowUpHours: 48, recycleIdleDays: 7 });
    const { client: owner } = await createUser(server, admin);
    const lead = await createPoolLead(admin, { poolId: pool.id });
    await claim(owner, lead.id);

    clock.advance(47 * HOUR);
    const followed = await owner.post(`/api/leads/${lead.id}/follow-ups`, { channel: 'phone', summary: '客户要报价单', nextAt: new Date(clock.now().getTime() + DAY).toISOString() });
    expect(followed.status).toBe(201);
    expect(followed.body.lead).toMatchObject({ recycleRule: 'idle', recycleDueAt: new Date(clock.now().getTime() + 7 * DAY).toISOString() });
    clock.advance(2 * HOUR);
    await sweep();
    expect((await leadNow(lead.id)).ownerId).toBe(owner.user!.id);
    const timeline = (await owner.get(`/api/leads/${lead.id}/events`)).body.events as { type: string; data: { followUp?: unknown } }[];
    expect(timeline.at(-1)).toMatchObject({ type: 'lead.followed_up', data: { followUp: { channel: 'phone', summary: '客户要报价单' } } });

    clock.advance(7 * DAY);
    await sweep();
    expect(await leadNow(lead.id)).toMatchObject({ ownerId: null });
    const late = await owner.post(`/api/leads/${lead.id}/follow-ups`, { channel: 'wechat', summary: '晚了' });
    expect(late.status).toBe(409);
    expect(late.body.error.code).toBe('follow_up.lead_in_pool');
    const invalid = await owner.post(`/api/leads/${lead.id}/follow-ups`, { channel: 'fax', summary: '' });
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.body.error.details.fields).sort()).toEqual(['channel', 'summary']);
  });

  it("spares a lead a manager locked and a big open deal, and follows the pool's policy when it changes", async () => {
    const pool = await createPool({ recycleNotWonDays: 30, recycleKeepAmount: 500_000 });
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const [locked, bigDeal, plain] = [
      await createPoolLead(admin, { poolId: pool.id }),
      await createPoolLead(admin, { poolId: pool.id, expectedAmount: 600_000 }),
      await createPoolLead(admin, { poolId: pool.id }),
    ];
    for (const lead of [locked, bigDeal, plain]) await claim(owner, lead.id);
    expect((await leadNow(bigDeal.id)).recycleDueAt).toBeNull();

    const byRep = await owner.patch(`/api/leads/${locked.id}`, { recycleLocked: true });
    expect(byRep.status).toBe(403);
    const byManager = await manager1.patch(`/api/leads/${locked.id}`, { recycleLocked: true });
    expect(byManager.status).toBe(200);
    expect(byManager.body.lead).toMatchObject({ recycleLocked: true, recycleDueAt: null });

    const { id, isCompanyPool, ...current } = (await admin.get('/api/pools')).body.items.find((p: { id: string }) => p.id === pool.id);
    expect((await admin.put(`/api/pools/${id}`, { ...current, recycleNotWonDays: 10 })).status).toBe(200);
    const rescheduled = await leadNow(plain.id);
    expect(rescheduled.recycleRule).toBe('not_won');
    expect(Date.parse(rescheduled.recycleDueAt!) - Date.parse(rescheduled.claimedAt!)).toBe(10 * DAY);

    clock.advance(31 * DAY);
    await sweep();
    expect((await leadNow(plain.id)).ownerId).toBeNull();
    expect((await leadNow(locked.id)).ownerId).toBe(owner.user!.id);
    expect((await leadNow(bigDeal.id)).ownerId).toBe(owner.user!.id);
  });

  it.runIf(engine === 'postgres')('a sweep skips a lead whose follow-up is in flight, and the follow-up keeps it', async () => {
    const pool = await createPool({ recycleNoFollowUpHours: 1 });
    const { client: owner } = await createUser(server, admin);
    const lead = await createPoolLead(admin, { poolId: pool.id });
    await claim(owner, lead.id);
    clock.advance(2 * HOUR);

    const sql = postgres(server.database.url!, { max: 1, onnotice: () => {} });
    try {
      // Another transaction holds the lead's row, as a follow-up does while it writes.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const locker = sql.begin(async (tx) => {
        await tx`select id from leads where id = ${lead.id} for update`;
        await held;
      });
      await new Promise((r) => setTimeout(r, 50));
      const followUp = owner.post(`/api/leads/${lead.id}/follow-ups`, { channel: 'phone', summary: '正在打' });
      await sweep();
      expect((await leadNow(lead.id)).ownerId).toBe(owner.user!.id);
      release();
      await locker;
      expect((await followUp).status).toBe(201);
      await sweep();
      expect(await leadNow(lead.id)).toMatchObject({ ownerId: owner.user!.id, recycleDueAt: null });
    } finally {
      await sql.end({ timeout: 5 });
    }
  });

  it.runIf(engine === 'postgres')('two nodes sweeping at once recycle each due lead exactly once', async () => {
    const pool = await createPool({ recycleNoFollowUpHours: 1 });
    const owners = await Promise.all([1, 2, 3].map(() => createUser(server, admin)));
    const leadIds: number[] = [];
    for (const { client } of owners) {
      for (let i = 0; i < 20; i++) {
        const lead = await createPoolLead(admin, { poolId: pool.id });
        await claim(client, lead.id);
        leadIds.push(lead.id);
      }
    }
    const nodeB = await startServer({ port: 0, jobs: false, databaseUrl: server.database.url, clock, spaDir: '/nonexistent' });
    const sql = postgres(server.database.url!, { max: 1, onnotice: () => {} });
    try {
      clock.advance(2 * HOUR);
      const nodes = [server.running, nodeB, server.running, nodeB];
      await Promise.all(nodes.map((node) => node.runJob('rules.sweep', { batchSize: 4 })));
      const events = await sql<{ lead_id: string; n: number }[]>`select lead_id, count(*)::int as n from lead_events
        where type = 'lead.recycled' and lead_id = any(${leadIds}) group by lead_id`;
      expect(events).toHaveLength(leadIds.length);
      expect(events.every((e) => e.n === 1)).toBe(true);
      const told = await sql<{ n: number }[]>`select count(*)::int as n from notifications where kind = 'lead.recycled' and lead_id = any(${leadIds})`;
      expect(told[0]!.n).toBe(leadIds.length);
    } finally {
      await sql.end({ timeout: 5 });
      await nodeB.close();
    }
  });
});
