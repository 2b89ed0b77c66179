import { api, ApiError, call } from '#lib/api/client.js';
import type { LeadEvent, LeadView } from '#lib/api/types.js';
import type { DuplicateMatch } from '#lib/leads/duplicate-check.svelte.js';
import { followLog, type LiveSync } from '#lib/live/live-sync.svelte.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { TagCatalog } from '#lib/tags/catalog.svelte.js';
import { LeadTasks } from '#lib/tasks/lead-tasks.svelte.js';
import { CallState } from '#lib/calls/call.svelte.js';
import { FollowUpForm } from './follow-up-form.svelte.js';
import { StageForm } from './stage-form.svelte.js';
import { LeadExtras } from './lead-extras.svelte.js';
import { LeadDealState } from './lead-deal.svelte.js';

/** One lead with its timeline, kept live. */
export class LeadPageState {
  lead = $state.raw<LeadView | null>(null);
  timeline = $state.raw<LeadEvent[]>([]);
  loading = $state(true);
  /** Why the lead cannot be shown (`lead.not_found`, `lead.not_visible`, …). */
  failure = $state<ApiError | null>(null);
  busy = $state(false);
  /** The lead this one was merged into (live, or found on load): the page moves there. */
  mergedInto = $state<number | null>(null);
  readonly catalog = new TagCatalog();
  /** The tags and values being edited, or null when not editing. */
  editing = $state<LeadExtras | null>(null);
  readonly id: number;
  /** The follow-up being written (it restarts the recycling clock). */
  readonly followUp: FollowUpForm;
  /** The stage being chosen. */
  readonly stage: StageForm;
  /** The lead's tasks and the form adding one. */
  readonly tasks: LeadTasks;
  /** The call panel. */
  readonly call: CallState;
  /** The order, approval requests and related leads. */
  readonly deal: LeadDealState;
  readonly #live: LiveSync | undefined;

  constructor(id: number, live?: LiveSync) {
    this.id = id;
    this.#live = live;
    this.followUp = new FollowUpForm(id, (lead) => (this.lead = lead));
    this.stage = new StageForm(id, (lead) => (this.lead = lead));
    this.tasks = new LeadTasks(id);
    this.call = new CallState(id, (lead) => (this.lead = lead));
    this.deal = new LeadDealState(id);
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
      this.stage.reset(lead.lead);
      void this.tasks.load();
      void this.deal.load();
      this.timeline = events.events;
      this.failure = null;
    } catch (err) {
      const survivor = err instanceof ApiError ? err.details?.mergedInto : undefined;
      if (typeof survivor === 'number') this.mergedInto = survivor;
      else if (err instanceof ApiError && err.status >= 400 && err.status < 500) this.failure = err;
      else handleError(err);
    } finally {
      this.loading = false;
    }
  }

  apply(events: LeadEvent[]) {
    const away = events.find((e) => e.type === 'lead.merged' && e.data.merged.id === this.id);
    if (away) this.mergedInto = away.leadId;
    const mine = events.filter((e) => e.leadId === this.id);
    if (mine.length === 0) return;
    this.tasks.apply(mine);
    this.deal.apply(mine);
    this.call.apply(mine);
    const before = this.lead;
    this.lead = mine.at(-1)!.data.lead;
    // Someone moved the stage: the stage form follows unless another stage is being chosen.
    if (before && this.stage.stage === before.stage) this.stage.stage = this.lead.stage;
    const known = new Set(this.timeline.map((e) => e.seq));
    this.timeline = [...this.timeline, ...mine.filter((e) => !known.has(e.seq))].sort((a, b) => a.seq - b.seq);
  }

  /** Runs one change of the lead: busy meanwhile, the answer becomes the lead, a toast says what happened; true when done. */
  async #change(request: () => Promise<{ lead: LeadView }>, done: (lead: LeadView) => string): Promise<boolean> {
    this.busy = true;
    try {
      const { lead } = await request();
      this.lead = lead;
      toasts.success(done(lead));
      return true;
    } catch (err) {
      handleError(err);
      return false;
    } finally {
      this.busy = false;
    }
  }

  claim(): Promise<boolean> {
    return this.#change(
      () => call(api.leads[':id'].claim.$post({ param: { id: String(this.id) } })),
      (lead) => m.claimed_toast({ company: lead.company }),
    );
  }

  /** Leads that look like this one (same phone, email or company): what a manager may merge into it. */
  async mergeCandidates(): Promise<DuplicateMatch[]> {
    const lead = this.lead;
    if (!lead) return [];
    const probe = { company: lead.company, mobile: lead.mobile ?? undefined, phone: lead.phone ?? undefined, email: lead.email ?? undefined };
    const { matches } = await call(api.leads.duplicates.$post({ json: probe }));
    return matches.filter((match) => match.leadId !== this.id);
  }

  /** Merges another lead into this one. */
  merge(mergedId: number): Promise<boolean> {
    return this.#change(
      () => call(api.leads[':id'].merge.$post({ param: { id: String(this.id) }, json: { mergedId } })),
      () => m.merged_toast({ id: String(mergedId) }),
    );
  }

  release(reason: string): Promise<boolean> {
    return this.#change(() => call(api.leads[':id'].release.$post({ param: { id: String(this.id) }, json: { reason } })), () => m.released_toast());
  }

  /** Locks the lead against recycling, or unlocks it (managers and admins). */
  setRecycleLock(locked: boolean): Promise<boolean> {
    return this.#change(
      () => call(api.leads[':id'].$patch({ param: { id: String(this.id) }, json: { recycleLocked: locked } })),
      () => (locked ? m.recycle_locked_toast() : m.recycle_unlocked_toast()),
    );
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
