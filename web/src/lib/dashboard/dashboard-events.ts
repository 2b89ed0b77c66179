import type { LeadEvent } from '#lib/api/types.js';

/** The events that move a rep's counters (migration 0017's triggers count them): the leaderboard and the activity table refetch on them. */
export const countedEvents: ReadonlySet<LeadEvent['type']> = new Set(['lead.claimed', 'lead.called', 'lead.followed_up', 'lead.stage_changed', 'deal.won']);

/** The events that move the funnel, the channels, the cycle or the risks. (Plain TypeScript: bench/dashboard.bench.ts shares both.) */
export const pipelineEvents: ReadonlySet<LeadEvent['type']> = new Set([
  'lead.created',
  'lead.claimed',
  'lead.released',
  'lead.recycled',
  'lead.assigned',
  'lead.merged',
  'lead.stage_changed',
  'lead.followed_up',
  'deal.won',
]);
