import { describe, expect, it } from 'vitest';
import { claimedLead, createUser, engines, sampleDeal, useWorkServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { ManualClock } from '../test/manual-clock.ts';
import type { LeaderboardRow } from '../core/metrics/rep-activity.usecases.ts';

type Row = LeaderboardRow;

describe.each(engines)('rep activity and leaderboards on %s', (engine) => {
  const clock = new ManualClock();
  // The organisation's day (Asia/Shanghai) of the test's clock; the log stamps events with the database's time.
  const shanghaiDay = (at: Date) => at.toLocaleDateString('sv', { timeZone: 'Asia/Shanghai' });
  let server: TestServer, admin: ApiClient, manager1: ApiClient, rep2: ApiClient, team1: string;
  useWorkServer(engine, clock, (work) => ({ server, admin, manager1, rep2, team1 } = work));

  const board = async (client: ApiClient, query = '') => (await client.get(`/api/dashboard/leaderboard${query}`)).body.leaderboard as { day: string; ranked: number; rows: Row[] };

  it('counts what each rep does into today: claims, calls (connected, talk time), follow-ups, stage advances, wins and revenue; ranks live figures', async () => {
    // The log stamps events with the database's clock, the calls take the test's clock 200 s ahead: both
    // must fall on one organisation day, so the organisation keeps a time zone where midnight is hours away.
    const hourIn = (timeZone: string) => Number(new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(clock.now()));
    const timeZone = ['Asia/Shanghai', 'America/New_York'].find((zone) => hourIn(zone) >= 2 && hourIn(zone) < 22)!;
    expect((await admin.put('/api/settings', { timeZone })).status).toBe(200);
    try {
      await countsToday(timeZone);
    } finally {
      await admin.put('/api/settings', { timeZone: 'Asia/Shanghai' });
    }
  });

  async function countsToday(timeZone: string) {
    const [{ client: a, user: ua }, { client: b, user: ub }] = [await createUser(server, admin, { teamId: team1, name: '甲' }), await createUser(server, admin, { teamId: team1, name: '乙' })];
    const lead1 = await claimedLead(admin, a);
    const lead2 = await claimedLead(admin, a);
    await claimedLead(admin, b);

    // A connected call of 3 minutes and an unanswered one.
    const call = (await a.post(`/api/leads/${lead1.id}/calls`, {})).body.call as { id: number };
    clock.advance(180_000);
    expect((await a.post(`/api/calls/${call.id}/end`, { outcome: 'connected' })).status).toBe(200);
    const missed = (await a.post(`/api/leads/${lead2.id}/calls`, {})).body.call as { id: number };
    clock.advance(20_000);
    expect((await a.post(`/api/calls/${missed.id}/end`, { outcome: 'no_answer' })).status).toBe(200);
    expect((await a.post(`/api/leads/${lead1.id}/follow-ups`, { channel: 'wechat', summary: '发了资料' })).status).toBe(201);
    expect((await a.post(`/api/leads/${lead1.id}/stage`, { stage: 'contacted' })).status).toBe(200);
    // Lost is not an advance.
    const reasons = (await a.get('/api/pipeline/config')).body.config.lostReasons as { id: number }[];
    expect((await a.post(`/api/leads/${lead2.id}/stage`, { stage: 'lost', lostReasonId: reasons[0]!.id })).status).toBe(200);
    expect((await a.post(`/api/leads/${lead1.id}/stage`, { stage: 'won', deal: sampleDeal(120_000) })).status).toBe(200);

    const today = clock.now().toLocaleDateString('sv', { timeZone });
    const byCalls = await board(manager1, '?metric=calls');
    expect(byCalls.day).toBe(today);
    const mine = byCalls.rows.find((r) => r.userId === ua.id)!;
    expect(mine).toMatchObject({ claims: 2, calls: 2, connected: 1, talkSeconds: 180, followUps: 1, stageAdvances: 2, wins: 1, revenue: 120_000 });
    // Ranked behind only the reps with more calls today (the demo's reps have called since this morning).
    expect(mine.rank).toBe(1 + byCalls.rows.filter((r) => r.calls > mine.calls).length);
    expect(byCalls.rows.find((r) => r.userId === ub.id)).toMatchObject({ claims: 1, calls: 0 });
    // Every active rep of the team is ranked, those with nothing at 0.
    expect(byCalls.rows.every((r) => typeof r.rank === 'number')).toBe(true);
    expect((await board(manager1, '?metric=revenue')).rows[0]!.userId).toBe(ua.id);

    // Tomorrow starts at zero; the activity table keeps the day, by day or by month.
    clock.advance(24 * 3_600_000);
    expect((await board(manager1)).rows.find((r) => r.userId === ua.id)).toMatchObject({ calls: 0, claims: 0 });
    const daily = (await manager1.get(`/api/dashboard/activity?from=${today}&to=${today}`)).body.items as (Row & { period: string })[];
    expect(daily.find((r) => r.userId === ua.id)).toMatchObject({ period: today, calls: 2, wins: 1, revenue: 120_000 });
    const monthly = (await manager1.get(`/api/dashboard/activity?from=${today}&to=${today}&grain=month`)).body.items as (Row & { period: string })[];
    expect(monthly.find((r) => r.userId === ua.id)).toMatchObject({ period: `${today.slice(0, 7)}-01`, calls: 2 });
    const csv = await manager1.request('GET', `/api/dashboard/activity.csv?from=${today}&to=${today}&lang=zh-CN`);
    expect(csv.status).toBe(200);
    // (fetch's text() drops the BOM that tells Excel it is UTF-8.)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect((csv.body as string).startsWith('周期,销售,领取,通话')).toBe(true);
    expect(csv.body as string).toContain(`${today},甲,2,2,1,180,1,2,1,120000`);
  }

  it('holds the data scopes: a rep sees only their own rank and activity, a manager only their team, an admin anyone', async () => {
    const { client: rep, user } = await createUser(server, admin, { teamId: team1 });
    await claimedLead(admin, rep);
    const own = await board(rep);
    expect(own.rows.map((r) => r.userId)).toEqual([user.id]);
    expect(own.ranked).toBeGreaterThan(1);
    const today = shanghaiDay(clock.now());
    const activity = (await rep.get(`/api/dashboard/activity?from=${today}&to=${today}`)).body.items as Row[];
    expect(activity.every((r) => r.userId === user.id)).toBe(true);
    expect(activity.length).toBeGreaterThan(0);
    const otherTeam = (await admin.get('/api/teams')).body.items.find((t: { id: string }) => t.id !== team1).id as string;
    expect((await manager1.get(`/api/dashboard/leaderboard?teamId=${otherTeam}`)).body.error.code).toBe('auth.forbidden');
    expect((await board(admin, `?teamId=${otherTeam}`)).rows.every((r) => r.userId !== user.id)).toBe(true);
    expect((await manager1.get('/api/dashboard/activity?from=2026-03-05&to=2026-03-01')).status).toBe(422);
    // rep2 is on manager1's team: the manager sees them, they see only themselves.
    expect((await board(rep2)).rows.map((r) => r.userId)).toEqual([rep2.user!.id]);
  });
});
