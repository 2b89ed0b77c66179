import { beforeAll, describe, expect, it } from 'vitest';
import type { LeadEvent, NotificationView } from '../realtime/contract.ts';
import type { TaskView } from '../core/tasks/tasks.usecases.ts';
import { claimedLead, createUser, engines, noReminders, poolPolicy, useWorkServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { DAY, HOUR, ManualClock } from '../test/manual-clock.ts';

describe.each(engines)('tasks on %s', (engine) => {
  const clock = new ManualClock();
  let server: TestServer, admin: ApiClient, manager1: ApiClient, rep2: ApiClient, team1: string;
  let poolId: string;
  useWorkServer(engine, clock, (work) => ({ server, admin, manager1, rep2, team1 } = work));
  beforeAll(async () => {
    poolId = (await admin.post('/api/pools', poolPolicy())).body.pool.id;
    expect((await admin.put('/api/settings', { timeZone: 'Asia/Shanghai' })).status).toBe(200);
  });

  const heldLead = (owner: ApiClient, fields: Record<string, unknown> = {}) => claimedLead(admin, owner, { poolId, ...fields });
  const view = async (client: ApiClient, name: string) => (await client.get(`/api/tasks?view=${name}`)).body.items as TaskView[];
  const at = (ms: number) => new Date(clock.now().getTime() + ms).toISOString();

  it('a rep adds tasks to a held lead; they sort into today, upcoming and overdue; done and snoozed move them; the timeline has both ends', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const socket = await manager1.socket();
    const lead = await heldLead(owner);
    // Due in a minute: today in the organisation's day (Asia/Shanghai), unless the test runs in its last minute.
    const soon = await owner.post(`/api/leads/${lead.id}/tasks`, { title: '发报价单', dueAt: at(60_000) });
    expect(soon.status).toBe(201);
    expect(soon.body.task).toMatchObject({ leadId: lead.id, company: lead.company, title: '发报价单', source: 'manual', doneAt: null });
    await owner.post(`/api/leads/${lead.id}/tasks`, { title: '寄样品', dueAt: at(3 * DAY) });
    const added = await socket.waitFor((e) => e.type === 'lead.task_added' && e.leadId === lead.id);
    expect(added).toMatchObject({ data: { task: { title: '发报价单' } } });

    const today = (await view(owner, 'today')).map((t) => t.title);
    const shanghaiDay = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(ms);
    if (shanghaiDay(clock.now().getTime() + 60_000) === shanghaiDay(clock.now().getTime())) expect(today).toContain('发报价单');
    expect((await view(owner, 'upcoming')).map((t) => t.title)).toContain('寄样品');

    clock.advance(2 * HOUR);
    const overdue = await view(owner, 'overdue');
    expect(overdue.map((t) => t.title)).toEqual(['发报价单']);
    const snoozed = await owner.request('PATCH', `/api/tasks/${overdue[0]!.id}`, { dueAt: at(DAY) });
    expect(snoozed.body.task.dueAt).toBe(at(DAY));
    expect(await view(owner, 'overdue')).toEqual([]);
    const done = await owner.request('PATCH', `/api/tasks/${overdue[0]!.id}`, { done: true });
    expect(done.body.task.doneAt).not.toBeNull();
    expect((await view(owner, 'done')).map((t) => t.title)).toEqual(['发报价单']);
    const timeline = (await owner.get(`/api/leads/${lead.id}/events`)).body.events as LeadEvent[];
    expect(timeline.filter((e) => e.type.startsWith('lead.task')).map((e) => e.type)).toEqual(['lead.task_added', 'lead.task_added', 'lead.task_done']);
    expect((await owner.get(`/api/leads/${lead.id}/tasks`)).body.items.map((t: TaskView) => t.title)).toEqual(['寄样品', '发报价单']);
  });

  it('only those working the lead add tasks; a manager reassigns within the team and the new assignee is told; others may not touch it', async () => {
    const [{ client: owner }, { client: mate, user: mateUser }] = [await createUser(server, admin, { teamId: team1 }), await createUser(server, admin, { teamId: team1 })];
    const lead = await heldLead(owner);
    expect((await rep2.post(`/api/leads/${lead.id}/tasks`, { title: '抢着做', dueAt: at(HOUR) })).body.error.code).toBe('lead.not_editable');
    expect((await owner.post(`/api/leads/${lead.id}/tasks`, { title: '', dueAt: at(HOUR) })).status).toBe(422);
    const notAssignable = await owner.post(`/api/leads/${lead.id}/tasks`, { title: '给别人', dueAt: at(HOUR), assigneeId: mateUser.id });
    expect(notAssignable.body.error.details.fields).toEqual({ assigneeId: ['not_assignable'] });
    const task = (await owner.post(`/api/leads/${lead.id}/tasks`, { title: '回访', dueAt: at(HOUR) })).body.task as TaskView;
    expect((await rep2.request('PATCH', `/api/tasks/${task.id}`, { done: true })).body.error.code).toBe('task.not_yours');
    expect((await owner.request('PATCH', `/api/tasks/${task.id}`, {})).status).toBe(422);

    // Whom each may hand it to: the owner only themselves; the manager anyone on the team.
    const ids = async (client: typeof owner) => ((await client.get(`/api/tasks/${task.id}/assignees`)).body.items as { id: string }[]).map((p) => p.id);
    expect(await ids(owner)).toEqual([owner.user!.id]);
    expect(await ids(manager1)).toEqual(expect.arrayContaining([owner.user!.id, mateUser.id, manager1.user!.id]));
    // A rep of the team who does not work the lead may not.
    expect((await rep2.get(`/api/tasks/${task.id}/assignees`)).body.error.code).toBe('task.not_yours');

    const mateSocket = await mate.socket();
    const moved = await manager1.request('PATCH', `/api/tasks/${task.id}`, { assigneeId: mateUser.id });
    expect(moved.body.task).toMatchObject({ assigneeId: mateUser.id });
    const told = await mateSocket.waitForNotification((n) => n.kind === 'task.assigned' && n.leadId === lead.id);
    expect((told as Extract<NotificationView, { kind: 'task.assigned' }>).data).toMatchObject({ title: '回访', by: manager1.user!.name });
    expect((await view(mate, 'today')).concat(await view(mate, 'upcoming')).map((t) => t.id)).toContain(task.id);
    expect((await rep2.request('PATCH', '/api/tasks/999999', { done: true })).body.error.code).toBe('task.not_found');
  });

  it('a merged lead\'s tasks move to the lead that survives', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const [survivor, merged] = [await heldLead(owner), await heldLead(owner)];
    const task = (await owner.post(`/api/leads/${merged.id}/tasks`, { title: '合并前的任务', dueAt: at(DAY) })).body.task as TaskView;
    expect((await manager1.post(`/api/leads/${survivor.id}/merge`, { mergedId: merged.id })).status).toBe(200);
    expect((await owner.get(`/api/leads/${survivor.id}/tasks`)).body.items).toMatchObject([{ id: task.id, leadId: survivor.id, company: survivor.company }]);
  });

  it('a care reminder puts a care task on the owner\'s list', async () => {
    expect((await admin.put('/api/settings', { reminders: { ...noReminders, careAmount: 1_000_000, careDays: 30 } })).status).toBe(200);
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const lead = await heldLead(owner, { expectedAmount: 2_000_000 });
    clock.advance(30 * DAY + HOUR);
    await server.running.runJob('rules.sweep', {});
    const overdueOrToday = [...(await view(owner, 'overdue')), ...(await view(owner, 'today'))];
    expect(overdueOrToday.filter((t) => t.leadId === lead.id)).toMatchObject([{ source: 'care', title: null }]);
    const timeline = (await owner.get(`/api/leads/${lead.id}/events`)).body.events as LeadEvent[];
    expect(timeline.find((e) => e.type === 'lead.task_added')).toMatchObject({ actor: { type: 'rule', id: 'reminder.care' } });
    expect((await admin.put('/api/settings', { reminders: noReminders })).status).toBe(200);
  });
});
