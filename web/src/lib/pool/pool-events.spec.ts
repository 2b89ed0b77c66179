import { describe, expect, it } from 'vitest';
import type { LeadEvent, LeadView } from '#lib/api/types.js';
import { leadView } from '#lib/testing/lead-view.fixture.js';
import { applyPoolEvents, emptyFilter, matchesFilter, tagCustomQuery } from './pool-events.js';

const lead = (id: number, patch: Partial<LeadView> = {}) =>
  leadView(id, { company: `公司${id}`, contactName: '王磊', province: '浙江', industry: '建材', intent: 'A', createdAt: new Date(Date.UTC(2026, 0, 1, 0, id)).toISOString(), contactMasked: true, ...patch });
const actor = { type: 'user' as const, id: 'u1', name: '王磊' };
const created = (seq: number, l: LeadView): LeadEvent => ({ seq, type: 'lead.created', leadId: l.id, actor, at: l.createdAt, data: { lead: l } });
const claimed = (seq: number, l: LeadView): LeadEvent => ({ seq, type: 'lead.claimed', leadId: l.id, actor, at: l.createdAt, data: { lead: { ...l, ownerId: 'u1', ownerName: '王磊' } } });
const released = (seq: number, l: LeadView): LeadEvent => ({ seq, type: 'lead.released', leadId: l.id, actor, at: l.createdAt, data: { lead: l, reason: '无需求', previousOwnerName: '王磊' } });

describe('applyPoolEvents', () => {
  const page = { items: [lead(5), lead(4), lead(3)], total: 3 };

  it('puts a new lead on top of the first page and highlights it', () => {
    const change = applyPoolEvents(page, [created(1, lead(9))], emptyFilter(), 0, 50);
    expect(change.items.map((l) => l.id)).toEqual([9, 5, 4, 3]);
    expect(change.total).toBe(4);
    expect(change.arrived).toEqual([9]);
  });

  it('ignores a new lead that does not match the filter, or that was kept by its creator', () => {
    const filter = { ...emptyFilter(), province: '广东' };
    expect(applyPoolEvents(page, [created(1, lead(9))], filter, 0, 50).items).toHaveLength(3);
    const kept = applyPoolEvents(page, [created(1, lead(9, { ownerId: 'u2' }))], emptyFilter(), 0, 50);
    expect(kept.items).toHaveLength(3);
    expect(kept.total).toBe(3);
  });

  it("keeps a lead of another pool out of the pool shown (an admin hears every pool's events)", () => {
    const change = applyPoolEvents(page, [created(1, lead(9, { poolId: 'south' }))], emptyFilter('company'), 0, 50);
    expect(change.items.map((l) => l.id)).toEqual([5, 4, 3]);
    expect(change.total).toBe(3);
  });

  it('a lead a rule moves leaves the pool it left and enters the pool it went to; one a rule assigns leaves', () => {
    const rule = { id: 'r1', name: '大单进重点池' };
    const moved: LeadEvent = { seq: 1, type: 'lead.moved', leadId: 4, actor, at: lead(4).createdAt, data: { lead: lead(4, { poolId: 'key' }), fromPoolId: 'company', rule, door: 'manual' } };
    const left = applyPoolEvents(page, [moved], emptyFilter('company'), 0, 50);
    expect([left.items.map((l) => l.id), left.total]).toEqual([[5, 3], 2]);
    const entered = applyPoolEvents({ items: [], total: 0 }, [moved], emptyFilter('key'), 0, 50);
    expect([entered.items.map((l) => l.id), entered.total]).toEqual([[4], 1]);
    const assigned: LeadEvent = { seq: 2, type: 'lead.assigned', leadId: 5, actor, at: lead(5).createdAt, data: { lead: lead(5, { ownerId: 'u2' }), rule, door: 'manual' } };
    expect(applyPoolEvents(page, [assigned], emptyFilter('company'), 0, 50).items.map((l) => l.id)).toEqual([4, 3]);
  });

  it('removes a claimed lead and counts it out', () => {
    const change = applyPoolEvents(page, [claimed(1, lead(4))], emptyFilter(), 0, 50);
    expect(change.items.map((l) => l.id)).toEqual([5, 3]);
    expect(change.total).toBe(2);
    expect(change.refetch).toBe(false);
  });

  it('puts a released lead back at its place by creation time', () => {
    const start = { items: [lead(5), lead(3)], total: 2 };
    const change = applyPoolEvents(start, [released(1, lead(4))], emptyFilter(), 0, 50);
    expect(change.items.map((l) => l.id)).toEqual([5, 4, 3]);
    expect(change.total).toBe(3);
  });

  it('asks for a refetch when a later page shifts or a full page loses a row', () => {
    expect(applyPoolEvents(page, [created(1, lead(9))], emptyFilter(), 50, 50).refetch).toBe(true);
    const full = { items: [lead(5), lead(4)], total: 10 };
    expect(applyPoolEvents(full, [claimed(1, lead(4))], emptyFilter(), 0, 2).refetch).toBe(true);
  });

  it('does not let an older lead into a full first page', () => {
    const full = { items: [lead(5), lead(4)], total: 2 };
    const change = applyPoolEvents(full, [released(1, lead(1))], emptyFilter(), 0, 2);
    expect(change.items.map((l) => l.id)).toEqual([5, 4]);
    expect(change.total).toBe(3);
  });
});

describe('matchesFilter', () => {
  it('searches company and contact, case-insensitively', () => {
    expect(matchesFilter(lead(1, { company: 'ACME 有限公司' }), { ...emptyFilter(), q: 'acme' })).toBe(true);
    expect(matchesFilter(lead(1), { ...emptyFilter(), q: '王磊' })).toBe(true);
    expect(matchesFilter(lead(1), { ...emptyFilter(), q: '李' })).toBe(false);
    expect(matchesFilter(lead(1), { ...emptyFilter(), intent: 'B' })).toBe(false);
  });

  it('removes a pool lead merged into another and shows the survivor as it now is', () => {
    const survivor = lead(5, { title: '采购经理' });
    const merged: LeadEvent = { seq: 1, type: 'lead.merged', leadId: 5, actor, at: '', data: { lead: survivor, merged: lead(4) } };
    const change = applyPoolEvents({ items: [lead(5), lead(4), lead(3)], total: 3 }, [merged], emptyFilter(), 0, 50);
    expect(change.items.map((l) => l.id)).toEqual([5, 3]);
    expect(change.items[0]!.title).toBe('采购经理');
    expect(change.total).toBe(2);
  });
});

describe('tag and custom-field filters', () => {
  const tag = (id: string, groupId: string) => ({ id, name: id, groupId, groupName: groupId });
  const expo = tag('expo', 'source');
  const web = tag('web', 'source');
  const hot = tag('hot', 'level');
  const updated = (seq: number, l: LeadView): LeadEvent => ({ seq, type: 'lead.updated', leadId: l.id, actor, at: l.createdAt, data: { lead: l, changes: {} } });

  it('passes a lead with any picked tag of a group, and one of every group picked', () => {
    const filter = { ...emptyFilter(), tags: { source: ['expo', 'web'], level: ['hot'] } };
    expect(matchesFilter(lead(1, { tags: [web, hot] }), filter)).toBe(true);
    expect(matchesFilter(lead(1, { tags: [expo, web] }), filter)).toBe(false);
    expect(matchesFilter(lead(1, { tags: [hot] }), filter)).toBe(false);
    expect(matchesFilter(lead(1), { ...filter, tags: { source: [], level: [] } })).toBe(true);
  });

  it('matches a select value or a multiselect holding the option, and asks the API the same', () => {
    const filter = { ...emptyFilter(), custom: { grade: 'gold', products: 'laser' } };
    expect(matchesFilter(lead(1, { custom: { grade: 'gold', products: ['press', 'laser'] } }), filter)).toBe(true);
    expect(matchesFilter(lead(1, { custom: { grade: 'gold', products: ['press'] } }), filter)).toBe(false);
    expect(tagCustomQuery({ tags: { source: ['expo', 'web'], level: [] }, custom: { grade: 'gold', products: '' }, ranges: {} })).toEqual({ tag: ['expo', 'web'], cf: ['grade=gold'] });
  });

  it('keeps a lead inside number and date ranges, leaving out one without a value', () => {
    const filter = { ...emptyFilter(), ranges: { budget: { min: '100000', max: '' }, due: { min: '', max: '2026-12-31' } } };
    expect(matchesFilter(lead(1, { custom: { budget: 250000, due: '2026-12-01' } }), filter)).toBe(true);
    expect(matchesFilter(lead(1, { custom: { budget: 90000, due: '2026-12-01' } }), filter)).toBe(false);
    expect(matchesFilter(lead(1, { custom: { budget: 250000, due: '2027-01-02' } }), filter)).toBe(false);
    expect(matchesFilter(lead(1, { custom: { due: '2026-12-01' } }), filter)).toBe(false);
    expect(tagCustomQuery(filter)).toEqual({ cf: ['budget>=100000', 'due<=2026-12-31'] });
  });

  it('moves a pool lead in or out of a filtered page when its tags change', () => {
    const filter = { ...emptyFilter(), tags: { source: ['expo'] } };
    const page = { items: [lead(5, { tags: [expo] }), lead(3, { tags: [expo] })], total: 2 };
    const entered = applyPoolEvents(page, [updated(1, lead(4, { tags: [expo] }))], filter, 0, 50);
    expect([entered.items.map((l) => l.id), entered.total]).toEqual([[5, 4, 3], 3]);
    const left = applyPoolEvents(page, [updated(1, lead(5, { tags: [web] }))], filter, 0, 50);
    expect([left.items.map((l) => l.id), left.total]).toEqual([[3], 1]);
    const changed = applyPoolEvents(page, [updated(1, lead(5, { tags: [expo, hot] }))], filter, 0, 50);
    expect([changed.items[0]!.tags, changed.total]).toEqual([[expo, hot], 2]);
    // A lead someone holds is not the pool's business.
    expect(applyPoolEvents(page, [updated(1, lead(4, { tags: [expo], ownerId: 'u1' }))], filter, 0, 50).items).toHaveLength(2);
  });
});
