import { describe, expect, it } from 'vitest';
import type { LeadEvent } from '#lib/api/types.js';
import { leadView } from '#lib/testing/lead-view.fixture.js';
import { applyBoardEvents, onBoard } from './pipeline.svelte.js';

const actor = { type: 'user' as const, id: 'u1', name: '王芳' };
const rep = { id: 'u1', role: 'rep' as const, teamId: 't1' };
const manager = { id: 'm1', role: 'manager' as const, teamId: 't1' };

describe('pipeline board', () => {
  it('holds a rep\'s own and shared leads, or a manager\'s team\'s, never pool leads', () => {
    expect(onBoard(leadView(1, { ownerId: 'u1', teamId: 't1' }), rep, 'mine')).toBe(true);
    expect(onBoard(leadView(2, { ownerId: 'u2', teamId: 't1', sharedWith: [{ id: 'u1', name: '王芳' }] }), rep, 'mine')).toBe(true);
    expect(onBoard(leadView(3, { ownerId: 'u2', teamId: 't1' }), rep, 'mine')).toBe(false);
    expect(onBoard(leadView(3, { ownerId: 'u2', teamId: 't1' }), manager, 'team')).toBe(true);
    expect(onBoard(leadView(4, { ownerId: 'u9', teamId: 't2' }), manager, 'team')).toBe(false);
    expect(onBoard(leadView(5), manager, 'team')).toBe(false);
  });

  it('moves a card to its new stage, adds a claim, drops a release and a merged lead', () => {
    const start = [leadView(1, { ownerId: 'u1', stage: 'new' }), leadView(2, { ownerId: 'u1', stage: 'contacted' })];
    const events: LeadEvent[] = [
      { seq: 1, type: 'lead.stage_changed', leadId: 1, actor, at: '2026-01-01T00:00:00.000Z', data: { lead: leadView(1, { ownerId: 'u1', stage: 'quoted' }), from: 'new', to: 'quoted' } },
      { seq: 2, type: 'lead.claimed', leadId: 3, actor, at: '2026-01-01T00:00:00.000Z', data: { lead: leadView(3, { ownerId: 'u1' }) } },
      { seq: 3, type: 'lead.released', leadId: 2, actor, at: '2026-01-01T00:00:00.000Z', data: { lead: leadView(2), reason: '无需求', previousOwnerName: '王芳' } },
    ];
    const next = applyBoardEvents(start, events, (l) => onBoard(l, rep, 'mine'));
    expect(next.map((l) => [l.id, l.stage])).toEqual([[3, 'new'], [1, 'quoted']]);
    const merged: LeadEvent = { seq: 4, type: 'lead.merged', leadId: 3, actor, at: '2026-01-01T00:00:00.000Z', data: { lead: leadView(3, { ownerId: 'u1' }), merged: leadView(1) } };
    expect(applyBoardEvents(next, [merged], (l) => onBoard(l, rep, 'mine')).map((l) => l.id)).toEqual([3]);
  });
});
