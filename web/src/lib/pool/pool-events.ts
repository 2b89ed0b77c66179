import type { LeadEvent, LeadView } from '#lib/api/types.js';
import { assertUnreachable } from '#lib/utils/assert.js';

export interface PoolFilter {
  /** Which pool ('' until the viewer's pools are known: the server's default, the company pool). */
  poolId: string;
  q: string;
  exhibitionId: string;
  province: string;
  industry: string;
  intent: string;
  /** Picked tag ids by tag group: any within a group, every group. */
  tags: Record<string, string[]>;
  /** A picked option by (multi)select field key. */
  custom: Record<string, string>;
  /** Bounds by number or date field key ('' = open). */
  ranges: Record<string, { min: string; max: string }>;
}

/** The part of the filter on tags and custom fields (the pool's and My leads'). */
export type TagCustomFilter = Pick<PoolFilter, 'tags' | 'custom' | 'ranges'>;

export const emptyTagCustomFilter = (): TagCustomFilter => ({ tags: {}, custom: {}, ranges: {} });
export const emptyFilter = (poolId = ''): PoolFilter => ({ poolId, q: '', exhibitionId: '', province: '', industry: '', intent: '', ...emptyTagCustomFilter() });

/** Whether any part of the filter is set. */
export function hasFilter(f: PoolFilter): boolean {
  return (
    [f.q, f.exhibitionId, f.province, f.industry, f.intent].some((v) => v !== '') ||
    Object.keys(tagCustomQuery(f)).length > 0
  );
}

/** The tag and custom-field part of the filter as the API's `tag` and `cf` query parameters. */
export function tagCustomQuery(f: TagCustomFilter): { tag?: string[]; cf?: string[] } {
  const tag = Object.values(f.tags).flat();
  const cf = [
    ...Object.entries(f.custom)
      .filter(([, option]) => option !== '')
      .map(([key, option]) => `${key}=${option}`),
    ...Object.entries(f.ranges).flatMap(([key, { min, max }]) => [...(min.trim() ? [`${key}>=${min.trim()}`] : []), ...(max.trim() ? [`${key}<=${max.trim()}`] : [])]),
  ];
  return { ...(tag.length ? { tag } : {}), ...(cf.length ? { cf } : {}) };
}

/** Whether a lead passes the tag and custom-field part of the filter (as the server's `tag` and `cf` do). */
export function matchesTagsAndCustom(lead: LeadView, f: TagCustomFilter): boolean {
  for (const ids of Object.values(f.tags)) {
    if (ids.length > 0 && !lead.tags.some((t) => ids.includes(t.id))) return false;
  }
  for (const [key, option] of Object.entries(f.custom)) {
    if (option === '') continue;
    const value = lead.custom[key];
    if (Array.isArray(value) ? !value.includes(option) : value !== option) return false;
  }
  for (const [key, { min, max }] of Object.entries(f.ranges)) {
    if (!min.trim() && !max.trim()) continue;
    const value = lead.custom[key];
    const lo = min.trim();
    const hi = max.trim();
    // Numbers compare as numbers, dates (YYYY-MM-DD) as text; a lead without a value is outside any range.
    if (typeof value === 'number') {
      if ((lo && value < Number(lo)) || (hi && value > Number(hi))) return false;
    } else if (typeof value === 'string') {
      if ((lo && value < lo) || (hi && value > hi)) return false;
    } else return false;
  }
  return true;
}

/** Whether a lead passes the filter (the same test the server's pool query makes, bar ownership). */
export function matchesFilter(lead: LeadView, f: PoolFilter): boolean {
  if (!matchesTagsAndCustom(lead, f)) return false;
  if (f.poolId && lead.poolId !== f.poolId) return false;
  if (f.exhibitionId && lead.exhibitionId !== f.exhibitionId) return false;
  if (f.province && lead.province !== f.province) return false;
  if (f.industry && lead.industry !== f.industry) return false;
  if (f.intent && lead.intent !== f.intent) return false;
  const q = f.q.trim().toLowerCase();
  if (q && !lead.company.toLowerCase().includes(q) && !(lead.contactName ?? '').toLowerCase().includes(q)) return false;
  return true;
}

/** Pool order: newest first, id breaking ties. */
export const poolOrder = (a: LeadView, b: LeadView) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id;

export interface PoolPage {
  items: LeadView[];
  total: number;
}

export interface PoolChange extends PoolPage {
  /** Leads that just entered the visible page (to highlight). */
  arrived: number[];
  /** The page can no longer be kept exact locally: refetch it. */
  refetch: boolean;
}

/**
 * Applies a batch of events to one page of the pool. On the first page leads enter and
 * leave in place; on later pages any change shifts the window, so the page asks to be refetched.
 */
export function applyPoolEvents(page: PoolPage, events: LeadEvent[], filter: PoolFilter, offset: number, pageSize: number): PoolChange {
  let items = page.items;
  let total = page.total;
  const arrived: number[] = [];
  let refetch = false;
  const remove = (id: number) => {
    if (items.some((l) => l.id === id)) items = items.filter((l) => l.id !== id);
  };
  const enter = (lead: LeadView) => {
    if (offset > 0) {
      refetch = true;
      return;
    }
    const without = items.filter((l) => l.id !== lead.id);
    const last = without.at(-1);
    const fits = without.length < pageSize || (last !== undefined && poolOrder(lead, last) < 0);
    if (!fits) return;
    items = [...without, lead].sort(poolOrder).slice(0, pageSize);
    arrived.push(lead.id);
  };

  for (const event of events) {
    const lead = event.data.lead;
    const counts = matchesFilter(lead, filter);
    switch (event.type) {
      case 'lead.created':
      case 'lead.released':
      case 'lead.recycled':
        if (lead.ownerId !== null) {
          remove(lead.id);
          break;
        }
        if (!counts) break;
        total += 1;
        enter(lead);
        break;
      case 'lead.claimed':
      case 'lead.assigned':
        remove(lead.id);
        if (counts) total = Math.max(0, total - 1);
        if (offset > 0 && counts) refetch = true;
        break;
      case 'lead.merged': {
        // The merged lead is gone; the survivor may have changed (filled gaps) where it stands.
        const merged = event.data.merged;
        if (merged.ownerId === null && matchesFilter(merged, filter)) {
          remove(merged.id);
          total = Math.max(0, total - 1);
          if (offset > 0) refetch = true;
        }
        if (lead.ownerId === null && items.some((l) => l.id === lead.id)) items = items.map((l) => (l.id === lead.id ? lead : l));
        break;
      }
      case 'lead.moved': {
        // A rule moved it between pools: it enters this list, or leaves it.
        if (counts) {
          total += 1;
          enter(lead);
        } else if (matchesFilter({ ...lead, poolId: event.data.fromPoolId }, filter)) {
          remove(lead.id);
          total = Math.max(0, total - 1);
          if (offset > 0) refetch = true;
        }
        break;
      }
      case 'lead.collision_filed':
      case 'lead.collision_decided':
      case 'lead.followed_up':
      case 'lead.reminded':
      case 'lead.stage_changed':
      case 'lead.task_added':
      case 'lead.task_done':
      case 'lead.call_started':
      case 'lead.called':
      case 'lead.approval_requested':
      case 'lead.approval_decided':
      case 'deal.won':
      case 'deal.paid':
      case 'lead.call_recorded':
      case 'lead.notes_edited':
        // Only about owned leads: the pool does not change.
        break;
      case 'lead.updated': {
        // A pool lead's tags or values changed: it may enter or leave the filtered list.
        if (lead.ownerId !== null) break;
        const shown = items.some((l) => l.id === lead.id);
        if (offset > 0) {
          if (shown || counts) refetch = true;
        } else if (shown && counts) {
          items = items.map((l) => (l.id === lead.id ? lead : l));
        } else if (shown) {
          remove(lead.id);
          total = Math.max(0, total - 1);
        } else if (counts) {
          // It did not count before (or it would be shown on this first page, or sit beyond it).
          const last = items.at(-1);
          if (items.length < pageSize || (last !== undefined && poolOrder(lead, last) < 0)) {
            total += 1;
            enter(lead);
          } else refetch = true;
        }
        break;
      }
      default:
        assertUnreachable(event);
    }
  }
  // Leads left the page while more wait behind it: pull them up.
  if (items.length < pageSize && total > offset + items.length) refetch = true;
  return { items, total, arrived: arrived.filter((id) => items.some((l) => l.id === id)), refetch };
}
