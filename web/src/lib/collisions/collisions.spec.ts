import { describe, expect, it } from 'vitest';
import type { LeadEvent, LeadView } from '#lib/api/types.js';
import { applyCollisionEvents, type CollisionView } from './collisions.svelte.js';

const touch = { userId: null, name: null, firstAt: null, firstType: null, activities: 0 };
const collision = (id: number, status: CollisionView['status'] = 'open'): CollisionView => ({
  id, leadId: 10 + id, company: `公司${id}`, requesterId: 'r', requesterName: '李娜', ownerId: 'o', ownerName: '王磊', teamId: 't',
  note: '展位交换过名片', status, decidedBy: null, decidedByName: null, decisionNote: null,
  createdAt: new Date(Date.UTC(2026, 0, 1, 0, id)).toISOString(), decidedAt: null, evidence: { owner: touch, requester: touch },
});
const lead = { id: 11 } as LeadView;
const actor = { type: 'user' as const, id: 'm', name: '赵经理' };
const filed = (c: CollisionView): LeadEvent => ({ seq: c.id, type: 'lead.collision_filed', leadId: c.leadId, actor, at: '', data: { lead, collision: c } });
const decided = (c: CollisionView): LeadEvent => ({ seq: 100 + c.id, type: 'lead.collision_decided', leadId: c.leadId, actor, at: '', data: { lead, collision: c, previousOwnerId: 'o' } });

describe('applyCollisionEvents', () => {
  it('puts a new request first and takes a decided one off the open list', () => {
    const open = applyCollisionEvents([collision(1)], [filed(collision(2))], true);
    expect(open.map((c) => c.id)).toEqual([2, 1]);
    expect(applyCollisionEvents(open, [decided(collision(1, 'shared'))], true).map((c) => c.id)).toEqual([2]);
  });

  it('updates a decided request in place on the full list, and ignores other events', () => {
    const all = applyCollisionEvents([collision(2), collision(1)], [decided(collision(1, 'kept'))], false);
    expect(all.map((c) => [c.id, c.status])).toEqual([[2, 'open'], [1, 'kept']]);
    const claimed: LeadEvent = { seq: 9, type: 'lead.claimed', leadId: 11, actor, at: '', data: { lead } };
    const same = [collision(1)];
    expect(applyCollisionEvents(same, [claimed], true)).toBe(same);
  });
});
