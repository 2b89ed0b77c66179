import type { InferResponseType } from 'hono/client';
import { api, call } from '#lib/api/client.js';
import type { LeadEvent } from '#lib/api/types.js';
import { followLog, type LiveSync } from '#lib/live/live-sync.svelte.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

export type CollisionView = InferResponseType<typeof api.collisions.$get, 200>['items'][number];
export type CollisionDecision = 'kept' | 'transferred' | 'shared';

/** Puts each collision the events carry in place (newest first); decided ones leave an "open" list. */
export function applyCollisionEvents(items: CollisionView[], events: LeadEvent[], onlyOpen: boolean): CollisionView[] {
  let next = items;
  for (const event of events) {
    if (event.type !== 'lead.collision_filed' && event.type !== 'lead.collision_decided') continue;
    const collision = event.data.collision;
    const rest = next.filter((c) => c.id !== collision.id);
    next = onlyOpen && collision.status !== 'open' ? rest : [collision, ...rest];
  }
  return next === items ? items : [...next].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id);
}

/** The collision requests (撞单) the signed-in user files, owns the lead of, or decides; kept live. */
export class CollisionsState {
  items = $state.raw<CollisionView[]>([]);
  loading = $state(true);
  onlyOpen = $state(true);
  /** The collision being decided. */
  deciding = $state<number | null>(null);
  readonly #live: LiveSync | undefined;

  constructor(live?: LiveSync) {
    this.#live = live;
  }

  start(): () => void {
    return followLog(this.#live, { apply: (events) => (this.items = applyCollisionEvents(this.items, events, this.onlyOpen)), reload: () => this.load() });
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.items = (await call(api.collisions.$get({ query: { status: this.onlyOpen ? 'open' : 'all' } }))).items;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  async show(onlyOpen: boolean): Promise<void> {
    this.onlyOpen = onlyOpen;
    await this.load();
  }

  async decide(id: number, decision: CollisionDecision, note: string): Promise<void> {
    this.deciding = id;
    try {
      const { collision } = await call(api.collisions[':id'].decision.$post({ param: { id: String(id) }, json: { decision, ...(note.trim() ? { note: note.trim() } : {}) } }));
      this.items = this.onlyOpen ? this.items.filter((c) => c.id !== id) : this.items.map((c) => (c.id === id ? collision : c));
      toasts.success(m.collision_decided_toast());
    } catch (err) {
      handleError(err);
    } finally {
      this.deciding = null;
    }
  }
}
