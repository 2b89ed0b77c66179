import { SvelteSet } from 'svelte/reactivity';
import { api, ApiError, call } from '#lib/api/client.js';
import type { LeadEvent, LeadView, PoolFacets, PoolView } from '#lib/api/types.js';
import { followLog, type LiveSync } from '#lib/live/live-sync.svelte.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { TagCatalog } from '#lib/tags/catalog.svelte.js';
import { applyPoolEvents, emptyFilter, hasFilter, tagCustomQuery, type PoolFilter } from './pool-events.js';

export const POOL_PAGE_SIZE = 50;
const HIGHLIGHT_MS = 4000;

/** The pool screen: one filtered page of unclaimed leads, kept live. */
export class PoolState {
  filter = $state<PoolFilter>(emptyFilter());
  page = $state(0);
  items = $state.raw<LeadView[]>([]);
  total = $state(0);
  loading = $state(true);
  facets = $state.raw<PoolFacets>({ provinces: [], industries: [], exhibitions: [] });
  /** Index of the keyboard-selected row. */
  selected = $state(0);
  readonly claiming = new SvelteSet<number>();
  readonly fresh = new SvelteSet<number>();
  readonly catalog = new TagCatalog();
  /** The pools the viewer may claim from, the company pool first. */
  pools = $state.raw<PoolView[]>([]);

  #live: LiveSync | undefined;
  #request = 0;
  #refetchTimer: ReturnType<typeof setTimeout> | undefined;
  // A page is asked for once the viewer's pools are known (the company pool may not be theirs).
  #poolsKnown: Promise<void> = Promise.resolve();

  constructor(live?: LiveSync) {
    this.#live = live;
  }

  get pages() {
    return Math.max(1, Math.ceil(this.total / POOL_PAGE_SIZE));
  }

  get offset() {
    return this.page * POOL_PAGE_SIZE;
  }

  get hasFilter() {
    return hasFilter(this.filter);
  }

  get pool(): PoolView | undefined {
    return this.pools.find((p) => p.id === this.filter.poolId) ?? this.pools[0];
  }

  /** Subscribes to the live log and loads the first page; returns the cleanup. */
  start(): () => void {
    this.#poolsKnown = this.loadPools();
    const unsubscribe = followLog(this.#live, { apply: (events) => this.apply(events), reload: () => this.load() });
    void this.loadFacets();
    void this.catalog.load();
    return () => {
      unsubscribe?.();
      clearTimeout(this.#refetchTimer);
    };
  }

  async load(): Promise<void> {
    const request = ++this.#request;
    this.loading = true;
    await this.#poolsKnown;
    if (request !== this.#request) return;
    const f = this.filter;
    try {
      const res = await call(
        api.pool.$get({
          query: {
            poolId: f.poolId || undefined,
            q: f.q.trim() || undefined,
            exhibitionId: f.exhibitionId || undefined,
            province: f.province || undefined,
            industry: f.industry || undefined,
            intent: (f.intent || undefined) as 'A' | undefined,
            ...tagCustomQuery(f),
            limit: String(POOL_PAGE_SIZE),
            offset: String(this.offset),
          },
        }),
      );
      if (request !== this.#request) return; // a newer filter or page won
      this.items = res.items;
      this.total = res.total;
      this.selected = Math.min(this.selected, Math.max(0, res.items.length - 1));
      if (res.items.length === 0 && this.page > 0 && res.total > 0) {
        this.page = this.pages - 1;
        return this.load();
      }
    } catch (err) {
      if (request === this.#request) handleError(err);
    } finally {
      if (request === this.#request) this.loading = false;
    }
  }

  async loadPools(): Promise<void> {
    try {
      this.pools = (await call(api.pools.$get())).items;
      if (!this.pools.some((p) => p.id === this.filter.poolId)) this.filter = { ...this.filter, poolId: this.pools[0]?.id ?? '' };
    } catch (err) {
      handleError(err);
    }
  }

  /** Shows another pool (the filter stays). */
  choosePool(poolId: string) {
    this.setFilter({ poolId });
  }

  async loadFacets(): Promise<void> {
    try {
      this.facets = await call(api.pool.facets.$get());
    } catch (err) {
      handleError(err);
    }
  }

  setFilter(patch: Partial<PoolFilter>) {
    this.filter = { ...this.filter, ...patch };
    this.page = 0;
    this.selected = 0;
    void this.load();
  }

  clearFilter() {
    this.setFilter(emptyFilter(this.filter.poolId));
  }

  goto(page: number) {
    this.page = Math.max(0, Math.min(page, this.pages - 1));
    this.selected = 0;
    void this.load();
  }

  apply(events: LeadEvent[]) {
    const change = applyPoolEvents({ items: this.items, total: this.total }, events, this.filter, this.offset, POOL_PAGE_SIZE);
    this.items = change.items;
    this.total = change.total;
    for (const id of change.arrived) {
      this.fresh.add(id);
      setTimeout(() => this.fresh.delete(id), HIGHLIGHT_MS);
    }
    if (change.refetch) {
      clearTimeout(this.#refetchTimer);
      this.#refetchTimer = setTimeout(() => void this.load(), 400);
    }
  }

  async claim(lead: LeadView): Promise<void> {
    if (this.claiming.has(lead.id)) return;
    this.claiming.add(lead.id);
    try {
      await call(api.leads[':id'].claim.$post({ param: { id: String(lead.id) } }));
      // The claim's event adjusts the total; the row can go now.
      this.items = this.items.filter((l) => l.id !== lead.id);
      toasts.success(m.claimed_toast({ company: lead.company }));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'pool.already_claimed') {
        this.items = this.items.filter((l) => l.id !== lead.id);
      }
      handleError(err);
    } finally {
      this.claiming.delete(lead.id);
    }
  }
}
