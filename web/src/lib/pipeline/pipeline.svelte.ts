import { api, call } from '#lib/api/client.js';
import type { LeadEvent, LeadView, Stage, UserView } from '#lib/api/types.js';
import { worksLead } from '#lib/leads/my-leads.svelte.js';
import { StageForm } from '#lib/leads/stage-form.svelte.js';
import { followLog, type LiveSync } from '#lib/live/live-sync.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

export type PipelineScope = 'mine' | 'team';

/** Whether a lead (as an event last showed it) belongs on `user`'s board of `scope`. */
export function onBoard(lead: LeadView, user: Pick<UserView, 'id' | 'role' | 'teamId'>, scope: PipelineScope): boolean {
  if (lead.ownerId === null) return false;
  if (scope === 'mine') return worksLead(lead, user.id);
  return user.role === 'admin' || (lead.teamId !== null && lead.teamId === user.teamId);
}

/** Applies events to a board: each event's lead snapshot goes to its stage's column, or leaves the board. */
export function applyBoardEvents(items: LeadView[], events: LeadEvent[], keep: (lead: LeadView) => boolean): LeadView[] {
  let next = items;
  for (const event of events) {
    if (event.type === 'lead.merged') next = next.filter((l) => l.id !== event.data.merged.id);
    const lead = event.data.lead;
    const rest = next.filter((l) => l.id !== lead.id);
    next = keep(lead) ? [lead, ...rest] : rest;
  }
  return next;
}

/** A pipeline board (kanban): held leads by stage, kept live; dropping a card on a column moves its stage. */
export class PipelineBoard {
  items = $state.raw<LeadView[]>([]);
  loading = $state(true);
  scope = $state<PipelineScope>('mine');
  /** A move that needs more (a lost reason, an amount): the dialog's form, or null. */
  pending = $state<{ lead: LeadView; form: StageForm } | null>(null);
  readonly #live: LiveSync | undefined;
  readonly #user: Pick<UserView, 'id' | 'role' | 'teamId'>;

  constructor(user: Pick<UserView, 'id' | 'role' | 'teamId'>, live?: LiveSync) {
    this.#user = user;
    this.#live = live;
  }

  start(): () => void {
    return followLog(this.#live, { apply: (events) => this.apply(events), reload: () => this.load() });
  }

  column(stage: Stage): LeadView[] {
    return this.items.filter((l) => l.stage === stage);
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.items = (await call(api.leads.pipeline.$get({ query: { scope: this.scope } }))).items;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  setScope(scope: PipelineScope): void {
    this.scope = scope;
    void this.load();
  }

  apply(events: LeadEvent[]): void {
    this.items = applyBoardEvents(this.items, events, (lead) => onBoard(lead, this.#user, this.scope));
  }

  /** Moves a card to `stage`: at once when nothing more is needed, else through the dialog. */
  async move(lead: LeadView, stage: Stage): Promise<void> {
    if (stage === lead.stage) return;
    const form = new StageForm(lead.id, (moved) => this.#placed(moved));
    form.reset(lead);
    form.stage = stage;
    if (form.needsMore(lead)) {
      this.pending = { lead, form };
      return;
    }
    // Refused for want of something (say an amount another tab just cleared): ask for it.
    if (!(await form.save(lead)) && Object.keys(form.fieldErrors).length > 0) this.pending = { lead, form };
  }

  /** The dialog's move went through (or was abandoned). */
  async confirm(): Promise<void> {
    if (!this.pending) return;
    if (await this.pending.form.save(this.pending.lead)) this.pending = null;
  }

  #placed(moved: LeadView): void {
    this.items = this.items.map((l) => (l.id === moved.id ? moved : l));
  }
}
