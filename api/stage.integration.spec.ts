import { describe, expect, it } from 'vitest';
import type { LeadEvent, LeadView, NotificationView } from '../realtime/contract.ts';
import { claimedLead, createUser, engines, lostReasonId, noReminders, poolPolicy, sampleDeal, useWorkServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { DAY, HOUR, ManualClock } from '../test/manual-clock.ts';

describe.each(engines)('moving a lead through the pipeline on %s', (engine) => {
  const clock = new ManualClock();
  let server: TestServer, admin: ApiClient, manager1: ApiClient, rep2: ApiClient, team1: string;
  useWorkServer(engine, clock, (work) => ({ server, admin, manager1, rep2, team1 } = work));

  const heldLead = (owner: ApiClient, fields: Record<string, unknown> = {}) => claimedLead(admin, owner, fields);
  const move = (client: ApiClient, leadId: number, body: Record<string, unknown>) => client.post(`/api/leads/${leadId}/stage`, body);

  it('the owner moves the stage; the team manager sees it live and the timeline says from and to', async () => {
    const { client: owner, user } = await createUser(server, admin, { teamId: team1, name: '王芳' });
    const watching = await manager1.socket();
    const lead = await heldLead(owner);
    const res = await move(owner, lead.id, { stage: 'contacted' });
    expect(res.status).toBe(200);
    expect(res.body.lead).toMatchObject({ stage: 'contacted', ownerId: user.id });
    const seen = await watching.waitFor((e) => e.type === 'lead.stage_changed' && e.leadId === lead.id);
    expect(seen).toMatchObject({ actor: { name: '王芳' }, data: { from: 'new', to: 'contacted', lead: { stage: 'contacted' } } });
    // The same stage again changes nothing.
    expect((await move(owner, lead.id, { stage: 'contacted' })).status).toBe(200);
    const timeline = ((await owner.get(`/api/leads/${lead.id}/events`)).body.events as LeadEvent[]).filter((e) => e.type === 'lead.stage_changed');
    expect(timeline).toHaveLength(1);
  });

  it('quoted needs an expected amount and lost a reason; only those working the lead move it, and not once it is back in the pool', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const lead = await heldLead(owner);
    const noAmount = await move(owner, lead.id, { stage: 'quoted' });
    expect(noAmount.status).toBe(422);
    expect(noAmount.body.error.details.fields).toEqual({ expectedAmount: ['required_for_stage'] });
    const quoted = await move(owner, lead.id, { stage: 'quoted', expectedAmount: 380_000 });
    expect(quoted.body.lead).toMatchObject({ stage: 'quoted', expectedAmount: 380_000 });
    const noReason = await move(owner, lead.id, { stage: 'lost' });
    expect(noReason.status).toBe(422);
    expect(noReason.body.error.details.fields).toEqual({ lostReasonId: ['required'] });
    expect((await move(owner, lead.id, { stage: 'nowhere' })).status).toBe(422);
    expect((await move(rep2, lead.id, { stage: 'negotiation' })).body.error.code).toBe('lead.not_editable');
    // A manager of the owner's team may.
    expect((await move(manager1, lead.id, { stage: 'negotiation' })).body.lead.stage).toBe('negotiation');
    const reason = await lostReasonId(owner, 'no_budget');
    const lost = await move(owner, lead.id, { stage: 'lost', lostReasonId: reason, lostNote: '预算砍掉了' });
    expect(lost.status).toBe(200);
    const events = (await owner.get(`/api/leads/${lead.id}/events`)).body.events as LeadEvent[];
    expect(events.at(-1)).toMatchObject({ type: 'lead.stage_changed', data: { from: 'negotiation', to: 'lost', lostReason: { id: reason, key: 'no_budget' }, lostNote: '预算砍掉了' } });

    expect((await owner.post(`/api/leads/${lead.id}/release`, { reason: '不做了' })).status).toBe(200);
    expect((await move(owner, lead.id, { stage: 'contacted' })).body.error.code).toBe('stage.lead_in_pool');
  });

  it('a stage change restarts the stage clock the pool recycles by and the managers are reminded by; won is never recycled', async () => {
    const pool = (await admin.post('/api/pools', poolPolicy({ recycleStageIdleDays: 3 }))).body.pool as { id: string };
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const lead = await heldLead(owner, { poolId: pool.id, expectedAmount: 200_000 });
    expect((await admin.put('/api/settings', { reminders: { ...noReminders, stageIdleDays: { contacted: 2 } } })).status).toBe(200);

    clock.advance(2 * DAY);
    const moved = (await move(owner, lead.id, { stage: 'contacted' })).body.lead as LeadView;
    expect(Date.parse(moved.recycleDueAt!) - clock.now().getTime()).toBe(3 * DAY);
    clock.advance(2 * DAY + HOUR);
    await server.running.runJob('rules.sweep', {});
    expect((await owner.get(`/api/leads/${lead.id}`)).body.lead.ownerId).toBe(owner.user!.id);
    const told = ((await manager1.get('/api/notifications?limit=100')).body.items as NotificationView[]).filter((n) => n.leadId === lead.id);
    expect(told.map((n) => n.kind === 'lead.reminder' && n.data.reminder)).toEqual([{ kind: 'stage_idle', stage: 'contacted', days: 2 }]);

    const won = (await move(owner, lead.id, { stage: 'won', deal: sampleDeal(200_000) })).body.lead as LeadView;
    expect(won).toMatchObject({ stage: 'won', recycleDueAt: null });
    expect((await admin.put('/api/settings', { reminders: noReminders })).status).toBe(200);
  });

  it('the pipeline board lists the caller\'s held leads, a manager\'s team, every held lead for an admin; reps may not see a team', async () => {
    const { client: owner, user } = await createUser(server, admin, { teamId: team1 });
    const lead = await heldLead(owner);
    const mine = (await owner.get('/api/leads/pipeline')).body.items as LeadView[];
    expect(mine.map((l) => l.id)).toEqual([lead.id]);
    const team = (await manager1.get('/api/leads/pipeline?scope=team')).body.items as LeadView[];
    expect(team.some((l) => l.id === lead.id)).toBe(true);
    expect(team.every((l) => l.teamId === team1 && l.ownerId !== null)).toBe(true);
    const all = (await admin.get('/api/leads/pipeline?scope=team')).body.items as LeadView[];
    expect(all.some((l) => l.teamId !== team1)).toBe(true);
    expect((await owner.get('/api/leads/pipeline?scope=team')).body.error.code).toBe('auth.forbidden');
    expect((await owner.get('/api/leads/pipeline?scope=everyone')).status).toBe(422);
    expect(mine[0]!.ownerId).toBe(user.id);
  });
});
