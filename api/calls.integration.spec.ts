import { describe, expect, it } from 'vitest';
import type { LeadEvent, LeadView } from '../realtime/contract.ts';
import type { TaskView } from '../core/tasks/tasks.usecases.ts';
import { claimedLead, createUser, engines, poolPolicy, useWorkServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { DAY, ManualClock } from '../test/manual-clock.ts';

describe.each(engines)('calls on %s', (engine) => {
  const clock = new ManualClock();
  let server: TestServer, admin: ApiClient, manager1: ApiClient, rep2: ApiClient, team1: string;
  useWorkServer(engine, clock, (work) => ({ server, admin, manager1, rep2, team1 } = work));

  it('a call marks the rep on the line for everyone watching, then hangs up with its duration and outcome; a reached customer counts as a follow-up', async () => {
    const pool = (await admin.post('/api/pools', poolPolicy({ recycleNoFollowUpHours: 48 }))).body.pool as { id: string };
    const { client: owner, user } = await createUser(server, admin, { teamId: team1, name: '李强' });
    const watching = await manager1.socket();
    const lead = await claimedLead(admin, owner, { poolId: pool.id });

    const started = await owner.post(`/api/leads/${lead.id}/calls`, {});
    expect(started.status).toBe(201);
    expect(started.body.lead.onCall).toMatchObject({ userId: user.id, name: '李强' });
    const live = await watching.waitFor((e) => e.type === 'lead.call_started' && e.leadId === lead.id);
    expect(live.data.lead.onCall).toMatchObject({ name: '李强' });
    // Pressing Call again is the same call.
    expect((await owner.post(`/api/leads/${lead.id}/calls`, {})).body.call.id).toBe(started.body.call.id);

    clock.advance(185_000);
    const badEnd = await owner.post(`/api/calls/${started.body.call.id}/end`, { outcome: 'callback' });
    expect(badEnd.body.error.details.fields).toEqual({ callbackAt: ['required'] });
    const ended = await owner.post(`/api/calls/${started.body.call.id}/end`, { outcome: 'connected', notes: '要两台折弯机的报价', nextStep: '周五前报价' });
    expect(ended.status).toBe(200);
    expect(ended.body.call).toMatchObject({ durationSeconds: 185, outcome: 'connected', notes: '要两台折弯机的报价', nextStep: '周五前报价' });
    // Reached: a follow-up, so the 48 h no-follow-up rule no longer applies (and nothing else is on).
    expect(ended.body.lead).toMatchObject({ onCall: null, recycleDueAt: null, lastFollowUpAt: clock.now().toISOString() });
    const heard = await watching.waitFor((e) => e.type === 'lead.called' && e.leadId === lead.id);
    expect(heard.data.lead.onCall).toBeNull();
    expect((await owner.post(`/api/calls/${started.body.call.id}/end`, { outcome: 'busy' })).body.error.code).toBe('call.ended');
  });

  it('a second rep pressing Call is warned who is on the line, and may call anyway; only the caller ends a call', async () => {
    const { client: owner, user } = await createUser(server, admin, { teamId: team1, name: '王芳' });
    const lead = await claimedLead(admin, owner);
    const first = (await owner.post(`/api/leads/${lead.id}/calls`, {})).body.call;
    const warned = await manager1.post(`/api/leads/${lead.id}/calls`, {});
    expect(warned.status).toBe(409);
    expect(warned.body.error).toMatchObject({ code: 'call.in_progress', details: { by: '王芳' } });
    const anyway = await manager1.post(`/api/leads/${lead.id}/calls`, { force: true });
    expect(anyway.status).toBe(201);
    expect((await manager1.post(`/api/calls/${first.id}/end`, { outcome: 'busy' })).body.error.code).toBe('call.not_yours');
    expect((await rep2.post(`/api/leads/${lead.id}/calls`, {})).body.error.code).toBe('lead.not_editable');
    await owner.post(`/api/calls/${first.id}/end`, { outcome: 'no_answer' });
    // The manager is still on the line: the marker now names them.
    expect(((await owner.get(`/api/leads/${lead.id}`)).body.lead as LeadView).onCall).toMatchObject({ userId: manager1.user!.id });
    expect(user.id).not.toBe(manager1.user!.id);
  });

  it('a callback time becomes a task for the caller, and the call is in the timeline', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const lead = await claimedLead(admin, owner);
    const call = (await owner.post(`/api/leads/${lead.id}/calls`, {})).body.call;
    const callbackAt = new Date(clock.now().getTime() + DAY).toISOString();
    const ended = await owner.post(`/api/calls/${call.id}/end`, { outcome: 'callback', callbackAt });
    expect(ended.body.task).toMatchObject({ source: 'callback', title: null, dueAt: callbackAt, leadId: lead.id });
    const tasks = (await owner.get(`/api/leads/${lead.id}/tasks`)).body.items as TaskView[];
    expect(tasks.map((t) => t.source)).toEqual(['callback']);
    const timeline = (await owner.get(`/api/leads/${lead.id}/events`)).body.events as LeadEvent[];
    expect(timeline.slice(-3).map((e) => e.type)).toEqual(['lead.call_started', 'lead.called', 'lead.task_added']);
  });
});
