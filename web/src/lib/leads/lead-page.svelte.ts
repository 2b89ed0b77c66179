import { api, ApiError, call } from '#lib/api/client.js';
import type { LeadEvent, LeadView } from '#lib/api/types.js';
import { followLog, type LiveSync } from '#lib/live/live-sync.svelte.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { TagCatalog } from '#lib/tags/catalog.svelte.js';
import { LeadExtras } from './lead-extras.svelte.js';

/** One lead with its timeline, kept live. */
export class LeadPageState {
  lead = $state.raw<LeadView | null>(null);
  timeline = $state.raw<LeadEvent[]>([]);
  loading = $state(true);
  /** Why the lead cannot be shown (`lead.not_found`, `lead.not_visible`, …). */
  failure = $state<ApiError | null>(null);
  busy = $state(false);
  readonly catalog = new TagCatalog();
  /** The tags and values being edited, or null when not editing. */
  editing = $state<LeadExtras | null>(null);
  readonly id: number;
  readonly #live: LiveSync | undefined;

  constructor(id: number, live?: LiveSync) {
    this.id = id;
    this.#live = live;
  }

  start(): () => void {
    void this.catalog.load();
    return followLog(this.#live, { apply: (events) => this.apply(events), reload: () => this.load() });
  }

  async load(): Promise<void> {
    this.loading = true;
    const param = { id: String(this.id) };
    try {
      const [lead, events] = await Promise.all([call(api.leads[':id'].$get({ param })), call(api.leads[':id'].events.$get({ param }))]);
      this.lead = lead.lead;
      this.timeline = events.events;
      this.failure = null;
    } catch (err) {
      if (err instanceof ApiError && err.status >= 400 && err.status < 500) this.failure = err;
      else handleError(err);
    } finally {
      this.loading = false;
    }
  }

  apply(events: LeadEvent[]) {
    const mine = events.filter((e) => e.leadId === this.id);
    if (mine.length === 0) return;
    this.lead = mine.at(-1)!.data.lead;
    const known = new Set(this.timeline.map((e) => e.seq));
    this.timeline = [...this.timeline, ...mine.filter((e) => !known.has(e.seq))].sort((a, b) => a.seq - b.seq);
  }

  async claim(): Promise<void> {
    this.busy = true;
    try {
      const { lead } = await call(api.leads[':id'].claim.$post({ param: { id: String(this.id) } }));
      this.lead = lead;
      toasts.success(m.claimed_toast({ company: lead.company }));
    } catch (err) {
      handleError(err);
    } finally {
      this.busy = false;
    }
  }

  /** Returns true when released. */
  async release(reason: string): Promise<boolean> {
    this.busy = true;
    try {
      const { lead } = await call(api.leads[':id'].release.$post({ param: { id: String(this.id) }, json: { reason } }));
      this.lead = lead;
      toasts.success(m.released_toast());
      return true;
    } catch (err) {
      handleError(err);
      return false;
    } finally {
      this.busy = false;
    }
  }

  /** Starts editing the lead's tags and custom values. */
  edit(): void {
    if (this.lead) this.editing = LeadExtras.of(this.lead);
  }

  /** Saves the edited tags and values; true when saved (422 field errors stay on the form). */
  async saveEdit(): Promise<boolean> {
    const extras = this.editing;
    if (!extras) return false;
    this.busy = true;
    try {
      const { lead } = await call(api.leads[':id'].$patch({ param: { id: String(this.id) }, json: extras.json(this.catalog.liveFields) }));
      this.lead = lead;
      this.editing = null;
      toasts.success(m.lead_extra_saved());
      return true;
    } catch (err) {
      if (!extras.showErrors(err)) handleError(err);
      return false;
    } finally {
      this.busy = false;
    }
  }
}
