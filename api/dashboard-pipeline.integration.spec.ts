import { describe, expect, it } from 'vitest';
import type { ExhibitionQuality, SourceQuality } from '../core/metrics/channels.usecases.ts';
import type { Funnel } from '../core/metrics/funnel.usecases.ts';
import type { PipelineHealth } from '../core/metrics/pipeline-health.usecases.ts';
import { claimedLead, createPoolLead, createUser, engines, lostReasonId, noReminders, sampleDeal, useWorkServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { ManualClock } from '../test/manual-clock.ts';

describe.each(engines)('funnel, channels, exhibitions and pipeline health on %s', (engine) => {
  const clock = new ManualClock();
  let server: TestServer, admin: ApiClient, manager1: ApiClient, team1: string;
  useWorkServer(engine, clock, (work) => ({ server, admin, manager1, team1 } = work));

  // Leads are stamped by the database's clock: a period of a day either side holds them, whatever the test clock says.
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('sv', { timeZone: 'Asia/Shanghai' });
  const period = `from=${day(-1)}&to=${day(1)}`;
  const move = async (client: ApiClient, id: number, body: Record<string, unknown>) => {
    const res = await client.post(`/api/leads/${id}/stage`, body);
    if (res.status !== 200) throw new Error(`moving lead ${id}: ${res.status} ${JSON.stringify(res.body)}`);
  };

  /** A show with four leads: one won via every stage, one lost after the quote, one moved back, one left in the pool. */
  async function showWithLeads(cost: number) {
    const exhibition = (await admin.post('/api/exhibitions', { name: `工博会${Math.random().toString(36).slice(2, 6)}`, city: '上海', startsOn: day(-1), endsOn: day(0), cost })).body.exhibition as { id: string };
    const { client: rep, user } = await createUser(server, admin, { teamId: team1, name: '陈晨' });
    const fields = { sourceChannel: 'exhibition', exhibitionId: exhibition.id };
    const [won, lost, back] = [await claimedLead(admin, rep, fields), await claimedLead(admin, rep, fields), await claimedLead(admin, rep, fields)];
    await createPoolLead(admin, fields);
    for (const stage of ['contacted', 'qualified', 'quoted', 'negotiation']) await move(rep, won.id, { stage, expectedAmount: 120_000 });
    await move(rep, won.id, { stage: 'won', deal: sampleDeal(120_000) });
    await move(rep, lost.id, { stage: 'contacted' });
    await move(rep, lost.id, { stage: 'quoted', expectedAmount: 80_000 });
    await move(rep, lost.id, { stage: 'lost', lostReasonId: await lostReasonId(rep) });
    await move(rep, back.id, { stage: 'contacted' });
    await move(rep, back.id, { stage: 'new' });
    return { exhibition, rep, user };
  }

  const funnelOf = async (client: ApiClient, query: string) => {
    const res = await client.get(`/api/dashboard/funnel?${period}${query}`);
    expect(res.status).toBe(200);
    return res.body.funnel as Funnel;
  };

  it('counts each lead as far as it got: lost leads keep the stage they were lost from, moving back keeps the furthest; conversion from stage to stage', async () => {
    const { exhibition, rep } = await showWithLeads(100_000);
    const funnel = await funnelOf(admin, `&exhibitionId=${exhibition.id}`);
    const by = Object.fromEntries(funnel.stages.map((s) => [s.key, s]));
    expect(funnel.stages.map((s) => s.key)).toEqual(['new', 'contacted', 'qualified', 'quoted', 'negotiation', 'won']);
    expect(funnel.total).toBe(4);
    expect(funnel.stages.map((s) => s.reached)).toEqual([4, 3, 2, 2, 1, 1]);
    expect(by.new).toMatchObject({ current: 2, conversion: null });
    expect(by.contacted!.conversion).toBeCloseTo(0.75);
    expect(by.negotiation!.conversion).toBeCloseTo(0.5);
    expect(by.won).toMatchObject({ current: 1, conversion: 1 });
    expect(funnel.lost).toBe(1);

    // Filters: a source with none of them, and the rep's own funnel (the pool lead is nobody's).
    expect((await funnelOf(admin, `&exhibitionId=${exhibition.id}&source=web`)).total).toBe(0);
    const own = await funnelOf(rep, `&exhibitionId=${exhibition.id}`);
    expect(own.stages.map((s) => s.reached)).toEqual([3, 3, 2, 2, 1, 1]);
    // A rep cannot look at someone else's: the scope stays theirs.
    expect((await funnelOf(rep, `&exhibitionId=${exhibition.id}&userId=${manager1.user!.id}`)).total).toBe(3);
    expect((await manager1.get(`/api/dashboard/funnel?${period}&teamId=not-my-team`)).body.error.code).toBe('auth.forbidden');
    expect((await admin.get(`/api/dashboard/funnel?from=${day(1)}&to=${day(-1)}`)).status).toBe(422);
  });

  it('rates a show by its won revenue against its cost, and each source by its leads, wins and revenue', async () => {
    const { exhibition, rep } = await showWithLeads(60_000);
    const board = (await admin.get(`/api/dashboard/exhibitions?${period}`)).body.items as ExhibitionQuality[];
    expect(board.find((x) => x.id === exhibition.id)).toMatchObject({ cost: 60_000, leads: 4, held: 3, won: 1, revenue: 120_000, roi: 2, costPerLead: 15_000, costPerWon: 60_000 });
    // The manager's team: the pool lead is no team's.
    const team = (await manager1.get(`/api/dashboard/exhibitions?${period}`)).body.items as ExhibitionQuality[];
    expect(team.find((x) => x.id === exhibition.id)).toMatchObject({ leads: 3, won: 1 });
    // A show that was held outside the period is not on the board.
    const later = (await admin.get(`/api/dashboard/exhibitions?from=${day(30)}&to=${day(40)}`)).body.items as ExhibitionQuality[];
    expect(later.some((x) => x.id === exhibition.id)).toBe(false);

    const sources = (await rep.get(`/api/dashboard/sources?${period}`)).body.items as SourceQuality[];
    expect(sources).toEqual([{ source: 'exhibition', leads: 3, held: 3, won: 1, revenue: 120_000 }]);
  });

  it('tells the sales cycle of won deals and the leads at risk: about to recycle, overdue, idle in their stage', async () => {
    const { client: rep, user } = await createUser(server, admin, { teamId: team1 });
    const health = async (client: ApiClient, query = period) => (await client.get(`/api/dashboard/health?${query}`)).body.health as PipelineHealth;
    // Two deals won 10 and 20 days after their leads came in.
    const [first, second] = [await claimedLead(admin, rep), await claimedLead(admin, rep)];
    clock.advance(10 * 86_400_000);
    await move(rep, first.id, { stage: 'won', deal: sampleDeal(10_000) });
    clock.advance(10 * 86_400_000);
    await move(rep, second.id, { stage: 'won', deal: sampleDeal(20_000) });
    const cycle = (await health(rep, `from=${day(-1)}&to=${day(21)}`)).cycle;
    expect(cycle.deals).toBe(2);
    expect(cycle.averageDays).toBeCloseTo(15, 0);
    expect(cycle.medianDays).toBeCloseTo(15, 0);
    expect((await health(rep, `from=${day(15)}&to=${day(21)}`)).cycle.deals).toBe(1);
    clock.reset();

    // Three leads of another rep (the pool recycles after 48 h without a follow-up): one never followed up,
    // one followed up with a call planned for tomorrow, one quoted (3 days idle is too long there) and followed up.
    const { client: other, user: otherUser } = await createUser(server, admin, { teamId: team1 });
    const [untouched, planned, quoted] = [await claimedLead(admin, other), await claimedLead(admin, other), await claimedLead(admin, other)];
    const followUp = (id: number, nextAt?: Date) => other.post(`/api/leads/${id}/follow-ups`, { channel: 'phone', summary: '聊了需求', nextAt: nextAt?.toISOString() });
    const plannedAt = new Date(clock.now().getTime() + 86_400_000);
    expect((await followUp(planned.id, plannedAt)).status).toBe(201);
    const quotedAt = clock.now();
    await move(other, quoted.id, { stage: 'quoted', expectedAmount: 50_000 });
    expect((await followUp(quoted.id)).status).toBe(201);
    expect((await admin.put('/api/settings', { reminders: { ...noReminders, unhandledHours: 24, stageIdleDays: { quoted: 3 } } })).status).toBe(200);
    try {
      expect((await health(other)).atRisk.counts).toEqual({ recycling: 0, overdue: 0, stage_idle: 0 });
      clock.advance(4 * 86_400_000);
      const atRisk = (await health(other)).atRisk;
      expect(atRisk.counts).toEqual({ recycling: 1, overdue: 1, stage_idle: 1 });
      expect(atRisk.leads.map((l) => [l.id, l.reason, l.ownerId])).toEqual([
        [untouched.id, 'recycling', otherUser.id],
        [planned.id, 'overdue', otherUser.id],
        [quoted.id, 'stage_idle', otherUser.id],
      ]);
      // Since when: the planned follow-up's time, the end of the quoted stage's 3 idle days.
      expect(atRisk.leads.slice(1).map((l) => l.since)).toEqual([plannedAt.toISOString(), new Date(quotedAt.getTime() + 3 * 86_400_000).toISOString()]);
      // The manager sees their team's reps' leads at risk (here one rep's); the first rep sees only their own.
      expect((await health(manager1)).atRisk.counts.recycling).toBeGreaterThanOrEqual(1);
      expect((await health(manager1, `${period}&userId=${otherUser.id}`)).atRisk.leads.map((l) => l.id)).toEqual([untouched.id, planned.id, quoted.id]);
      expect((await health(rep)).atRisk.leads.every((l) => l.ownerId === user.id)).toBe(true);
    } finally {
      await admin.put('/api/settings', { reminders: noReminders });
    }
  });
});
