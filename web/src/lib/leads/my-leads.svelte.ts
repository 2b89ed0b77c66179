import { api, call } from '#lib/api/client.js';
import type { LeadEvent, LeadView } from '#lib/api/types.js';
import { followLog, type LiveSync } from '#lib/live/live-sync.svelte.js';
import { emptyTagCustomFilter, matchesTagsAndCustom, tagCustomQuery, type TagCustomFilter } from '#lib/pool/pool-events.js';
import { TagCatalog } from '#lib/tags/catalog.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

/** Same order as the server: last activity first (none last), then newest claim. */
export const mineOrder = (a: LeadView, b: LeadView) => {
  if (a.lastActivityAt !== b.lastActivityAt) {
    if (!a.lastActivityAt) return 1;
    if (!b.lastActivityAt) return -1;
    return b.lastActivityAt.localeCompare(a.lastActivityAt);
  }
  return (b.claimedAt ?? '').localeCompare(a.claimedAt ?? '');
};

/** Whether `userId` works the lead: owns it, or it is shared with them. */
export const worksLead = (lead: LeadView, userId: string) => lead.ownerId === userId || lead.sharedWith.some((s) => s.id === userId);

/** Applies events to the leads `ownerId` holds or shares: each event's lead snapshot decides whether it stays. */
export function applyMineEvents(items: LeadView[], events: LeadEvent[], ownerId: string): LeadView[] {
  let next = items;
  const without = (id: number) => {
    const rest = next.filter((l) => l.id !== id);
    return rest.length === next.length ? next : rest;
  };
  for (const event of events) {
    if (event.type === 'lead.merged') next = without(event.data.merged.id);
    const lead = event.data.lead;
    next = worksLead(lead, ownerId) ? [...next.filter((l) => l.id !== lead.id), lead] : without(lead.id);
  }
  return next === items ? items : [...next].sort(mineOrder);
}

/** "My leads": the signed-in user's own leads, kept live. */
export class MyLeadsState {
  items = $state.raw<LeadView[]>([]);
  loading = $state(true);
  filter = $state<TagCustomFilter>(emptyTagCustomFilter());
  readonly catalog = new TagCatalog();
  #request = 0;

  /** The leads passing the filter (a lead that changed live is tested here, as the server tested the rest). */
  get visible(): LeadView[] {
    return this.items.filter((l) => matchesTagsAndCustom(l, this.filter));
  }

  get hasFilter(): boolean {
    return Object.keys(tagCustomQuery(this.filter)).length > 0;
  }
  readonly #live: LiveSync | undefined;
  readonly #ownerId: string;

  constructor(ownerId: string, live?: LiveSync) {
    this.#ownerId = ownerId;
    this.#live = live;
  }

  start(): () => void {
    void this.catalog.load();
    return followLog(this.#live, { apply: (events) => this.apply(events), reload: () => this.load() });
  }

  async load(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    try {
      const items = (await call(api.leads.mine.$get({ query: tagCustomQuery(this.filter) }))).items;
      if (request === this.#request) this.items = items;
    } catch (err) {
      if (request === this.#request) handleError(err);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  setFilter(filter: TagCustomFilter) {
    this.filter = filter;
    void this.load();
  }

  apply(events: LeadEvent[]) {
    this.items = applyMineEvents(this.items, events, this.#ownerId);
  }
}
