import { describe, expect, it } from 'vitest';
import type { LeadEvent } from '#lib/api/types.js';
import { leadView } from '#lib/testing/lead-view.fixture.js';
import { applyMineEvents } from './my-leads.svelte.js';

const lead = (id: number, ownerId: string | null, claimedAt: string | null = null) => leadView(id, { ownerId, claimedAt });
const actor = { type: 'user' as const, id: 'me', name: 'Me' };

describe('applyMineEvents', () => {
  it('adds my claims (newest claim first), drops releases, ignores other people', () => {
    const start = [lead(1, 'me', '2026-01-01T01:00:00Z')];
    const events: LeadEvent[] = [
      { seq: 1, type: 'lead.claimed', leadId: 2, actor, at: '', data: { lead: lead(2, 'me', '2026-01-01T02:00:00Z') } },
      { seq: 2, type: 'lead.claimed', leadId: 3, actor, at: '', data: { lead: lead(3, 'other', '2026-01-01T03:00:00Z') } },
      { seq: 3, type: 'lead.released', leadId: 1, actor, at: '', data: { lead: lead(1, null), reason: 'x', previousOwnerName: 'Me' } },
    ];
    expect(applyMineEvents(start, events, 'me').map((l) => l.id)).toEqual([2]);
  });

  it('keeps a lead shared with me, and drops a lead merged into another', () => {
    const start = [lead(1, 'me'), lead(2, 'me')];
    const shared = { ...lead(3, 'other'), sharedWith: [{ id: 'me', name: 'Me' }] };
    const events: LeadEvent[] = [
      { seq: 1, type: 'lead.merged', leadId: 1, actor, at: '', data: { lead: lead(1, 'me'), merged: lead(2, 'me') } },
      { seq: 2, type: 'lead.claimed', leadId: 3, actor, at: '', data: { lead: shared } },
    ];
    expect(applyMineEvents(start, events, 'me').map((l) => l.id).sort()).toEqual([1, 3]);
  });
});
