import { describe, expect, it } from 'vitest';
import type { LeadEvent } from '../realtime/contract.ts';
import { claimedLead, createUser, engines, sampleDeal, useWorkServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { DAY, ManualClock } from '../test/manual-clock.ts';

interface StageView {
  key: string;
  kind: string;
  name: string | null;
  requiresAmount: boolean;
  tasks: { title?: string; preset?: string; dueDays: number }[];
}

describe.each(engines)('the pipeline: stages, SOP tasks, deals and approvals on %s', (engine) => {
  const clock = new ManualClock();
  let server: TestServer, admin: ApiClient, manager1: ApiClient, rep2: ApiClient, team1: string;
  useWorkServer(engine, clock, (work) => ({ server, admin, manager1, rep2, team1 } = work));

  const move = (client: ApiClient, leadId: number, body: Record<string, unknown>) => client.post(`/api/leads/${leadId}/stage`, body);
  const events = async (client: ApiClient, leadId: number) => (await client.get(`/api/leads/${leadId}/events`)).body.events as LeadEvent[];
  const stages = async () => (await admin.get('/api/pipeline/config')).body.config.stages as StageView[];
  const putStages = (list: Partial<StageView>[]) =>
    admin.put('/api/pipeline/stages', { stages: list.map(({ key, name = null, requiresAmount = false, tasks = [] }) => ({ ...(key ? { key } : {}), name, requiresAmount, tasks })) });

  it('starts with the default stages; entering quoted puts its SOP tasks on the owner\'s list, live', async () => {
    const config = (await rep2.get('/api/pipeline/config')).body.config;
    expect(config.stages.map((s: StageView) => s.key)).toEqual(['new', 'contacted', 'qualified', 'quoted', 'negotiation', 'won', 'lost']);
    expect(config.approval).toMatchObject({ threshold: 500_000, stage: 'quoted', chain: [{ kind: 'team_manager' }, { kind: 'user', name: '系统管理员' }] });
    expect(config.lostReasons.map((r: { key: string }) => r.key)).toEqual(['price', 'competitor', 'no_budget', 'no_need', 'unreachable', 'other']);

    const { client: owner, user } = await createUser(server, admin, { teamId: team1 });
    const lead = await claimedLead(admin, owner);
    const socket = await owner.socket();
    expect((await move(owner, lead.id, { stage: 'quoted', expectedAmount: 120_000 })).status).toBe(200);
    const added = await socket.waitFor((e) => e.type === 'lead.task_added' && e.leadId === lead.id);
    expect(added.type === 'lead.task_added' && added.data.task).toMatchObject({ assigneeId: user.id, source: 'stage' });
    const tasks = (await owner.get(`/api/leads/${lead.id}/tasks`)).body.items as { titleKey: string; dueAt: string }[];
    const due = Object.fromEntries(tasks.map((t) => [t.titleKey, Date.parse(t.dueAt) - clock.now().getTime()]));
    expect(due).toEqual({ send_brochure: 0, quote_call_back: 7 * DAY });
    // Leaving and entering again adds them again (a new quote, a new call back); the same stage does not.
    expect((await move(owner, lead.id, { stage: 'quoted' })).status).toBe(200);
    expect((await owner.get(`/api/leads/${lead.id}/tasks`)).body.items).toHaveLength(2);
  });

  it('won needs the order: contract number, products and a payment plan that adds up; deal.won goes live with the amount', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1, name: '李强' });
    const lead = await claimedLead(admin, owner, { expectedAmount: 90_000 });
    const watching = await manager1.socket();
    const noDeal = await move(owner, lead.id, { stage: 'won' });
    expect(noDeal.status).toBe(422);
    expect(noDeal.body.error.details.fields).toEqual({ deal: ['required_for_stage'] });
    const unbalanced = sampleDeal(100_000);
    unbalanced.instalments[1]!.amount = 10;
    expect((await move(owner, lead.id, { stage: 'won', deal: unbalanced })).body.error.details.fields).toEqual({ 'deal.instalments': ['sum_mismatch'] });

    const deal = sampleDeal(100_000, 'TEST-2026-0001');
    const won = await move(owner, lead.id, { stage: 'won', deal });
    expect(won.status).toBe(200);
    expect(won.body.lead).toMatchObject({ stage: 'won', expectedAmount: 100_000 });
    const seen = await watching.waitFor((e) => e.type === 'deal.won' && e.leadId === lead.id);
    expect(seen).toMatchObject({ actor: { name: '李强' }, data: { deal: { contractNo: 'TEST-2026-0001', amount: 100_000, ownerName: '李强' } } });
    const stored = (await owner.get(`/api/leads/${lead.id}/deal`)).body.deal;
    expect(stored.instalments.map((i: { paidAt: string | null }) => i.paidAt !== null)).toEqual([true, false]);

    // The second instalment arrives.
    const paid = await owner.patch(`/api/leads/${lead.id}/deal/instalments/1`, { paid: true });
    expect(paid.body.deal.instalments[1].paidAt).not.toBeNull();
    expect((await events(owner, lead.id)).at(-1)).toMatchObject({ type: 'deal.paid', data: { instalment: 1, paid: true } });
    expect((await rep2.get(`/api/leads/${lead.id}/deal`)).body.error.code).toBe('lead.not_visible');

    // A contract number names one order.
    const other = await claimedLead(admin, owner);
    const taken = await move(owner, other.id, { stage: 'won', deal: sampleDeal(5_000, 'test-2026-0001') });
    expect(taken.body.error.code).toBe('deal.contract_taken');
  });

  it('an admin adds, renames and reorders stages; a stage leads are in cannot be removed; reminders and moves follow the new list', async () => {
    const before = await stages();
    const demo = { key: undefined, name: '样品测试', requiresAmount: false, tasks: [{ title: '寄送样品', dueDays: 1 }] };
    const withDemo = [...before.slice(0, 3), demo, ...before.slice(3)].map((s) => (s.key === 'negotiation' ? { ...s, name: '合同谈判' } : s));
    const res = await putStages(withDemo);
    expect(res.status).toBe(200);
    const after = res.body.stages as StageView[];
    const added = after[3]!;
    expect(added).toMatchObject({ kind: 'open', name: '样品测试', tasks: [{ title: '寄送样品', dueDays: 1 }] });
    expect(added.key).toMatch(/^s_/);
    expect(after.find((s) => s.key === 'negotiation')!.name).toBe('合同谈判');

    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const lead = await claimedLead(admin, owner);
    const moved = await move(owner, lead.id, { stage: added.key });
    expect(moved.body.lead.stage).toBe(added.key);
    const changed = (await events(owner, lead.id)).find((e) => e.type === 'lead.stage_changed');
    expect(changed).toMatchObject({ data: { to: added.key, toName: '样品测试' } });
    const tasks = (await owner.get(`/api/leads/${lead.id}/tasks`)).body.items as { title: string }[];
    expect(tasks.map((t) => t.title)).toEqual(['寄送样品']);
    // Its idle reminder can be set; an unknown stage cannot.
    expect((await admin.put('/api/settings', { reminders: { unhandledHours: null, stageIdleDays: { [added.key]: 2 }, followUpDue: false, careAmount: null, careDays: null } })).status).toBe(200);
    const unknown = await admin.put('/api/settings', { reminders: { unhandledHours: null, stageIdleDays: { nowhere: 2 }, followUpDue: false, careAmount: null, careDays: null } });
    expect(unknown.body.error.details.fields).toEqual({ 'reminders.stageIdleDays.nowhere': ['unknown_stage'] });

    // In use: refused, naming the stage; the order rules hold.
    const inUse = await putStages(after.filter((s) => s.key !== added.key));
    expect(inUse.status).toBe(409);
    expect(inUse.body.error).toMatchObject({ code: 'pipeline.stage_in_use', details: { stage: added.key, count: 1 } });
    expect((await putStages([after[1]!, after[0]!, ...after.slice(2)])).body.error.details.fields).toEqual({ stages: ['order'] });
    expect((await putStages([...after.slice(0, -2), { key: undefined, name: null }, ...after.slice(-2)])).body.error.details.fields).toEqual({ [`stages.${after.length - 2}.name`]: ['required'] });
    expect((await manager1.put('/api/pipeline/stages', { stages: after })).status).toBe(403);

    // Once empty it goes, and so does its reminder threshold.
    expect((await move(owner, lead.id, { stage: 'contacted' })).status).toBe(200);
    const removed = await putStages(after.filter((s) => s.key !== added.key).map((s) => (s.key === 'negotiation' ? { ...s, name: null } : s)));
    expect(removed.status).toBe(200);
    expect((removed.body.stages as StageView[]).map((s) => s.key)).toEqual(before.map((s) => s.key));
    expect((await admin.get('/api/settings')).body.settings.reminders.stageIdleDays).toEqual({});
    expect((await move(owner, lead.id, { stage: added.key })).body.error.details.fields).toEqual({ stage: ['unknown_stage'] });
  });

  it('an admin keeps the lost-reason list: a new reason can be chosen, a retired one no longer', async () => {
    const config = (await admin.get('/api/pipeline/config')).body.config;
    const reasons = config.lostReasons as { id: number; key: string | null; name: string | null; active: boolean }[];
    const res = await admin.put('/api/pipeline/lost-reasons', {
      reasons: [...reasons.filter((r) => r.key !== 'other').map(({ id, name, active }) => ({ id, name, active })), { name: '交期太长', active: true }],
    });
    expect(res.status).toBe(200);
    const list = res.body.lostReasons as typeof reasons;
    expect(list.filter((r) => r.active).map((r) => r.key ?? r.name)).toEqual(['price', 'competitor', 'no_budget', 'no_need', 'unreachable', '交期太长']);
    const other = list.find((r) => r.key === 'other')!;
    expect(other.active).toBe(false);

    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const lead = await claimedLead(admin, owner);
    expect((await move(owner, lead.id, { stage: 'lost', lostReasonId: other.id })).body.error.details.fields).toEqual({ lostReasonId: ['required'] });
    const custom = list.find((r) => r.name === '交期太长')!;
    expect((await move(owner, lead.id, { stage: 'lost', lostReasonId: custom.id })).status).toBe(200);
    expect((await events(owner, lead.id)).at(-1)).toMatchObject({ data: { to: 'lost', lostReason: { id: custom.id, key: null, name: '交期太长' } } });
    expect((await admin.put('/api/pipeline/lost-reasons', { reasons: list.map(({ id, name }) => ({ id, name, active: false })) })).status).toBe(422);
    // Put the default list back for the other tests.
    await admin.put('/api/pipeline/lost-reasons', { reasons: reasons.map(({ id, name, active }) => ({ id, name, active })) });
  });

  it('a lead above the threshold waits for the chain (team manager, then a director): approvers told live, the rep sees the decision, all in the timeline', async () => {
    const { user: director, client: directorClient } = await createUser(server, admin, { role: 'manager', teamId: null, name: '孙总监' });
    expect((await admin.put('/api/pipeline/approval', { threshold: 500_000, stage: 'quoted', chain: [{ kind: 'team_manager' }, { kind: 'user', userId: director.id }] })).status).toBe(200);
    const { client: owner } = await createUser(server, admin, { teamId: team1, name: '周杰' });
    const lead = await claimedLead(admin, owner, { expectedAmount: 800_000 });
    const ownerSocket = await owner.socket();
    const managerSocket = await manager1.socket();
    const directorSocket = await directorClient.socket();

    // Below the gate it moves freely; into quoted (or beyond) it needs approval.
    expect((await move(owner, lead.id, { stage: 'qualified' })).status).toBe(200);
    const gated = await move(owner, lead.id, { stage: 'negotiation' });
    expect(gated.status).toBe(409);
    expect(gated.body.error).toMatchObject({ code: 'stage.approval_required', details: { threshold: 500_000, stage: 'quoted', amount: 800_000, pendingId: null } });
    // Rejected by the team manager.
    const first = await owner.post(`/api/leads/${lead.id}/approvals`, { stage: 'quoted', comment: '客户要求本周报价' });
    expect(first.status).toBe(201);
    const asked = await managerSocket.waitForNotification((n) => n.kind === 'approval.requested' && n.leadId === lead.id);
    expect(asked.data).toMatchObject({ amount: 800_000, by: '周杰', stage: 'quoted' });
    expect((await owner.post(`/api/leads/${lead.id}/approvals`, { stage: 'quoted' })).body.error.code).toBe('approval.pending');
    expect((await directorClient.post(`/api/approvals/${first.body.approval.id}/decision`, { approved: true })).body.error.code).toBe('approval.not_approver');
    expect((await rep2.post(`/api/approvals/${first.body.approval.id}/decision`, { approved: true })).status).toBe(403);
    expect(((await manager1.get('/api/approvals')).body.items as { id: number }[]).map((a) => a.id)).toContain(first.body.approval.id);
    const rejected = await manager1.post(`/api/approvals/${first.body.approval.id}/decision`, { approved: false, comment: '价格再核一下' });
    expect(rejected.body.approval).toMatchObject({ status: 'rejected', decisions: [{ approved: false, comment: '价格再核一下' }] });
    const told = await ownerSocket.waitForNotification((n) => n.kind === 'approval.decided' && n.leadId === lead.id);
    expect(told.data).toMatchObject({ approved: false, comment: '价格再核一下' });
    expect((await owner.get(`/api/leads/${lead.id}`)).body.lead.stage).toBe('qualified');

    // Asked again: the manager approves, the director is asked and approves; the lead moves into quoted.
    const second = (await owner.post(`/api/leads/${lead.id}/approvals`, { stage: 'quoted' })).body.approval as { id: number };
    await managerSocket.waitForNotification((n) => n.kind === 'approval.requested' && n.data.approvalId === second.id);
    expect((await manager1.post(`/api/approvals/${second.id}/decision`, { approved: true })).body.approval).toMatchObject({ status: 'pending', step: 1 });
    await directorSocket.waitForNotification((n) => n.kind === 'approval.requested' && n.data.approvalId === second.id);
    expect(((await directorClient.get('/api/approvals')).body.items as { id: number }[]).map((a) => a.id)).toEqual([second.id]);
    const approved = await directorClient.post(`/api/approvals/${second.id}/decision`, { approved: true, comment: '同意' });
    expect(approved.body).toMatchObject({ approval: { status: 'approved' }, lead: { stage: 'quoted', approvedAmount: 800_000 } });
    await ownerSocket.waitFor((e) => e.type === 'lead.stage_changed' && e.leadId === lead.id && e.data.to === 'quoted');
    expect((await ownerSocket.waitForNotification((n) => n.kind === 'approval.decided' && n.data.approvalId === second.id)).data).toMatchObject({ approved: true, by: '孙总监' });
    expect((await directorClient.post(`/api/approvals/${second.id}/decision`, { approved: true })).body.error.code).toBe('approval.decided');

    // Approved for 800,000: it may go on; a bigger amount needs a new approval.
    expect((await move(owner, lead.id, { stage: 'negotiation' })).status).toBe(200);
    expect((await move(owner, lead.id, { stage: 'won', deal: sampleDeal(900_000) })).body.error.code).toBe('stage.approval_required');
    const timeline = (await events(owner, lead.id)).map((e) => e.type);
    expect(timeline.filter((t) => t.startsWith('lead.approval'))).toEqual(['lead.approval_requested', 'lead.approval_decided', 'lead.approval_requested', 'lead.approval_decided', 'lead.approval_decided']);
    expect((await owner.get(`/api/leads/${lead.id}/approvals`)).body.items.map((a: { status: string }) => a.status)).toEqual(['approved', 'rejected']);
    expect((await owner.post(`/api/leads/${lead.id}/approvals`, { stage: 'contacted' })).body.error.code).toBe('approval.not_needed');

    expect((await admin.put('/api/pipeline/approval', { threshold: 500_000, stage: 'won', chain: [{ kind: 'team_manager' }] })).body.error.details.fields).toEqual({ stage: ['unknown_stage'] });
    expect((await admin.put('/api/pipeline/approval', { threshold: 500_000, stage: 'quoted', chain: [{ kind: 'user', userId: owner.user!.id }] })).body.error.details.fields).toEqual({ 'chain.0.userId': ['not_approver'] });
    await admin.put('/api/pipeline/approval', { threshold: 500_000, stage: 'quoted', chain: [{ kind: 'team_manager' }] });
  });

  it('related leads: the other leads of the same company, whoever holds them, opening only those one may see', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const company = `山东华信机械有限公司${Math.random().toString(36).slice(2, 6)}`;
    const mine = await claimedLead(admin, owner, { company });
    const theirs = await claimedLead(admin, rep2, { company, duplicateReason: '同一家公司的另一个部门' });
    const related = (await owner.get(`/api/leads/${mine.id}/related`)).body.items as { id: number; visible: boolean; ownerName: string; contactName: string | null }[];
    expect(related.map((r) => r.id)).toEqual([theirs.id]);
    expect(related[0]).toMatchObject({ visible: false, contactName: null, ownerName: rep2.user!.name });
    const forManager = (await manager1.get(`/api/leads/${mine.id}/related`)).body.items as { visible: boolean }[];
    expect(forManager).toHaveLength(1);
  });
});
