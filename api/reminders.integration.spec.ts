import postgres from 'postgres';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startServer } from '../server.ts';
import type { LeadEvent, LeadView, NotificationView } from '../realtime/contract.ts';
import { createPoolLead, createUser, engines, noReminders, poolPolicy, signInAll, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { DAY, HOUR, ManualClock } from '../test/manual-clock.ts';

type ReminderNotification = Extract<NotificationView, { kind: 'lead.reminder' }>;


describe.each(engines)('reminders and SLAs on %s', (engine) => {
  const clock = new ManualClock();
  let server: TestServer;
  let admin: ApiClient;
  let manager1: ApiClient;
  let team1: string;
  // Leads are taken from a pool that recycles nothing (the demo's company pool recycles after 48 h).
  let poolId: string;

  beforeAll(async () => {
    server = await startTestServer(engine, { server: { clock } });
    [admin, manager1] = await signInAll(server, ['admin', 'manager1']);
    team1 = manager1.user!.teamId!;
    poolId = (await admin.post('/api/pools', poolPolicy())).body.pool.id;
  });
  afterAll(() => server?.close());
  beforeEach(() => clock.reset());

  /** Every reminder off but these: a test turns on the one it is about. */
  const setReminders = async (reminders: Record<string, unknown>) => {
    const res = await admin.put('/api/settings', { reminders: { ...noReminders, ...reminders } });
    expect(res.status).toBe(200);
    return res.body.settings;
  };
  const sweep = () => server.running.runJob('rules.sweep', {});
  const claimed = async (client: ApiClient, fields: Record<string, unknown> = {}) => {
    const lead = await createPoolLead(admin, { poolId, ...fields });
    const res = await client.post(`/api/leads/${lead.id}/claim`);
    expect(res.status).toBe(200);
    return res.body.lead as LeadView;
  };
  /** The reminders about the lead someone got, newest first (through every page: managers hear of many leads). */
  const remindersOf = async (client: ApiClient, leadId: number) => {
    const all: NotificationView[] = [];
    for (let before = ''; ; ) {
      const page = (await client.get(`/api/notifications?limit=100${before}`)).body as { items: NotificationView[]; more: boolean };
      all.push(...page.items);
      if (!page.more) return all.filter((n): n is ReminderNotification => n.leadId === leadId && n.kind === 'lead.reminder');
      before = `&before=${page.items.at(-1)!.id}`;
    }
  };
  const remindedEvents = async (leadId: number) =>
    ((await admin.get(`/api/leads/${leadId}/events`)).body.events as LeadEvent[]).filter((e) => e.type === 'lead.reminded');

  it('settings: defaults, admin-only, validated', async () => {
    const settings = (await manager1.get('/api/settings')).body.settings;
    expect(settings.reminders).toEqual({ unhandledHours: 24, stageIdleDays: { quoted: 3 }, followUpDue: true, careAmount: 500_000, careDays: 30 });
    expect((await manager1.put('/api/settings', { reminders: noReminders })).status).toBe(403);
    const bad = await admin.put('/api/settings', { reminders: { ...noReminders, unhandledHours: 0, stageIdleDays: { won: 3 } } });
    expect(bad.status).toBe(422);
    expect(bad.body.error.code).toBe('request.invalid');
    expect(Object.keys(bad.body.error.details.fields)).toEqual(['reminders.unhandledHours']);
    // Only open stages of the pipeline can sit idle.
    const won = await admin.put('/api/settings', { reminders: { ...noReminders, stageIdleDays: { won: 3 } } });
    expect(won.body.error.details.fields).toEqual({ 'reminders.stageIdleDays.won': ['unknown_stage'] });
    // The time zone alone leaves the reminders as they are.
    expect((await admin.put('/api/settings', { timeZone: 'Asia/Shanghai' })).body.settings.reminders).toEqual(settings.reminders);
  });

  it('a lead taken and not followed up in 24 h: its owner and the team manager are told live, once, and the timeline names the rule', async () => {
    await setReminders({ unhandledHours: 24 });
    const { client: owner } = await createUser(server, admin, { teamId: team1, name: '李强' });
    const [ownerSocket, managerSocket] = [await owner.socket(), await manager1.socket()];
    const lead = await claimed(owner);
    const handled = await claimed(owner);
    expect((await owner.post(`/api/leads/${handled.id}/follow-ups`, { channel: 'phone', summary: '已联系' })).status).toBe(201);

    clock.advance(23 * HOUR);
    await sweep();
    expect(await remindersOf(owner, lead.id)).toEqual([]);

    clock.advance(2 * HOUR);
    await sweep();
    const toOwner = await ownerSocket.waitForNotification((n) => n.leadId === lead.id);
    expect(toOwner).toMatchObject({ kind: 'lead.reminder', data: { company: lead.company, ownerId: owner.user!.id, ownerName: '李强', reminder: { kind: 'unhandled', hours: 24 } } });
    const toManager = await managerSocket.waitForNotification((n) => n.leadId === lead.id);
    expect(toManager.data).toEqual(toOwner.data);
    const [line] = await remindedEvents(lead.id);
    expect(line).toMatchObject({ actor: { type: 'rule', id: 'reminder.unhandled' }, data: { reminder: { kind: 'unhandled', hours: 24 } } });
    expect((line as Extract<LeadEvent, { type: 'lead.reminded' }>).data.notified.map((p) => p.id).sort()).toEqual([owner.user!.id, manager1.user!.id].sort());

    // Once: later sweeps leave it, and a follow-up now does not bring it back.
    clock.advance(DAY);
    await sweep();
    await owner.post(`/api/leads/${lead.id}/follow-ups`, { channel: 'wechat', summary: '加了微信' });
    await sweep();
    expect(await remindersOf(owner, lead.id)).toHaveLength(1);
    expect(await remindedEvents(lead.id)).toHaveLength(1);
    // The lead followed up in time never came due.
    expect(await remindersOf(owner, handled.id)).toEqual([]);
  });

  it('a planned follow-up coming due tells its owner, each planned time once', async () => {
    await setReminders({ followUpDue: true });
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const ownerSocket = await owner.socket();
    const lead = await claimed(owner);
    const nextAt = new Date(clock.now().getTime() + 2 * DAY).toISOString();
    const res = await owner.post(`/api/leads/${lead.id}/follow-ups`, { channel: 'phone', summary: '周四再打', nextAt });
    expect(res.body.lead.nextFollowUpAt).toBe(nextAt);

    clock.advance(2 * DAY - HOUR);
    await sweep();
    expect(await remindersOf(owner, lead.id)).toEqual([]);
    clock.advance(HOUR);
    await sweep();
    const due = await ownerSocket.waitForNotification((n) => n.leadId === lead.id);
    expect(due.data).toMatchObject({ reminder: { kind: 'follow_up_due', dueAt: nextAt } });
    // The owner's alone: the manager is not told.
    expect(await remindersOf(manager1, lead.id)).toEqual([]);

    const later = new Date(clock.now().getTime() + DAY).toISOString();
    await owner.post(`/api/leads/${lead.id}/follow-ups`, { channel: 'phone', summary: '没接，明天再打', nextAt: later });
    clock.advance(DAY);
    await sweep();
    await sweep();
    expect((await remindersOf(owner, lead.id)).map((n) => n.data.reminder)).toEqual([
      { kind: 'follow_up_due', dueAt: later },
      { kind: 'follow_up_due', dueAt: nextAt },
    ]);
  });

  it('a lead idle in its stage tells the team managers (the admins where the team has none), not the owner', async () => {
    await setReminders({ stageIdleDays: { new: 3 } });
    const { client: inTeam } = await createUser(server, admin, { teamId: team1 });
    const { client: noTeam } = await createUser(server, admin);
    const [a, b] = [await claimed(inTeam), await claimed(noTeam)];

    clock.advance(3 * DAY + HOUR);
    await sweep();
    expect((await remindersOf(manager1, a.id)).map((n) => n.data.reminder)).toEqual([{ kind: 'stage_idle', stage: 'new', days: 3 }]);
    expect(await remindersOf(inTeam, a.id)).toEqual([]);
    expect(await remindersOf(admin, a.id)).toEqual([]);
    expect((await remindersOf(admin, b.id)).map((n) => n.data.reminder)).toEqual([{ kind: 'stage_idle', stage: 'new', days: 3 }]);
    expect(await remindersOf(manager1, b.id)).toEqual([]);
  });

  it('a big lead untouched for 30 days gets its owner a care reminder; a follow-up starts the count again', async () => {
    await setReminders({ careAmount: 1_000_000, careDays: 30 });
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const big = await claimed(owner, { expectedAmount: 2_000_000 });
    const small = await claimed(owner, { expectedAmount: 300_000 });

    clock.advance(20 * DAY);
    await owner.post(`/api/leads/${big.id}/follow-ups`, { channel: 'visit', summary: '拜访了工厂' });
    clock.advance(20 * DAY);
    await sweep();
    expect(await remindersOf(owner, big.id)).toEqual([]);
    clock.advance(10 * DAY + HOUR);
    await sweep();
    expect((await remindersOf(owner, big.id)).map((n) => n.data.reminder)).toEqual([{ kind: 'care', amount: 1_000_000, days: 30 }]);
    expect(await remindersOf(owner, small.id)).toEqual([]);
  });

  it('changing the thresholds schedules held leads again; turning one off stops it', async () => {
    await setReminders({ unhandledHours: 24 });
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const lead = await claimed(owner);
    await setReminders({ unhandledHours: 48 });
    clock.advance(25 * HOUR);
    await sweep();
    expect(await remindersOf(owner, lead.id)).toEqual([]);
    await setReminders({});
    clock.advance(DAY);
    await sweep();
    expect(await remindersOf(owner, lead.id)).toEqual([]);
    await setReminders({ unhandledHours: 48 });
    await sweep();
    expect((await remindersOf(owner, lead.id)).map((n) => n.data.reminder)).toEqual([{ kind: 'unhandled', hours: 48 }]);
  });

  it.runIf(engine === 'postgres')('two nodes sweeping at once send each reminder exactly once', async () => {
    await setReminders({ unhandledHours: 1 });
    const owners = await Promise.all([1, 2, 3].map(() => createUser(server, admin, { teamId: team1 })));
    const leadIds: number[] = [];
    for (const { client } of owners) for (let i = 0; i < 15; i++) leadIds.push((await claimed(client)).id);
    const nodeB = await startServer({ port: 0, jobs: false, databaseUrl: server.database.url, clock, spaDir: '/nonexistent' });
    const sql = postgres(server.database.url!, { max: 1, onnotice: () => {} });
    try {
      clock.advance(2 * HOUR);
      await Promise.all([server.running, nodeB, server.running, nodeB].map((node) => node.runJob('rules.sweep', { batchSize: 4 })));
      const events = await sql<{ n: number }[]>`select count(*)::int as n from lead_events where type = 'lead.reminded' and lead_id = any(${leadIds}) group by lead_id`;
      expect(events).toHaveLength(leadIds.length);
      expect(events.every((e) => e.n === 1)).toBe(true);
      // The owner and the team's manager, once each.
      const told = await sql<{ n: number }[]>`select count(*)::int as n from notifications where kind = 'lead.reminder' and lead_id = any(${leadIds})`;
      expect(told[0]!.n).toBe(2 * leadIds.length);
    } finally {
      await sql.end({ timeout: 5 });
      await nodeB.close();
    }
  });
});
