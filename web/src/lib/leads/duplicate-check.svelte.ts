import type { InferResponseType } from 'hono/client';
import { goto } from '$app/navigation';
import { api, call } from '#lib/api/client.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

export type DuplicateMatch = InferResponseType<typeof api.leads.duplicates.$post, 200>['matches'][number];

/** What the check matches on, as typed in the form. */
export interface DuplicateProbe {
  company: string;
  mobile: string;
  phone: string;
  email: string;
}

const DEBOUNCE_MS = 350;

/**
 * The new-lead form's duplicate check: asks the server as the rep types (debounced, stale answers
 * dropped) which existing leads the entry would duplicate, and holds the reason a rep gives to
 * save despite a company-only match.
 */
export class DuplicateCheck {
  matches = $state.raw<DuplicateMatch[]>([]);
  checking = $state(false);
  /** Why this is another customer than the similar-company leads (sent as `duplicateReason`). */
  overrideReason = $state('');
  /** Leads the rep filed a collision request on from here. */
  filed = $state.raw<number[]>([]);
  readonly blocking = $derived(this.matches.filter((match) => match.blocking));
  readonly possible = $derived(this.matches.filter((match) => !match.blocking));
  #timer: ReturnType<typeof setTimeout> | undefined;
  #asked = 0;
  #lastProbe = '';

  /** Checks the probe once typing pauses; an unchanged probe asks nothing. */
  update(probe: DuplicateProbe): void {
    const given = Object.fromEntries(Object.entries(probe).filter(([key, value]) => value.trim().length >= (key === 'company' ? 2 : 1)));
    const key = JSON.stringify(given);
    if (key === this.#lastProbe) return;
    this.#lastProbe = key;
    clearTimeout(this.#timer);
    if (Object.keys(given).length === 0) {
      this.#asked++;
      this.matches = [];
      this.checking = false;
      return;
    }
    this.#timer = setTimeout(() => void this.#check(given), DEBOUNCE_MS);
  }

  /** Shows what the server found when a save was refused (409 lead.duplicate / possible_duplicate). */
  show(matches: DuplicateMatch[]): void {
    this.#asked++;
    this.matches = matches;
  }

  async #check(probe: Partial<DuplicateProbe>): Promise<void> {
    const asked = ++this.#asked;
    this.checking = true;
    try {
      const { matches } = await call(api.leads.duplicates.$post({ json: probe }));
      if (asked === this.#asked) this.matches = matches;
    } catch {
      // The check is advice while typing; saving checks again on the server and says why it refuses.
    } finally {
      if (asked === this.#asked) this.checking = false;
    }
  }

  /** Claims a pool lead the entry duplicates, and opens it. */
  async claim(match: DuplicateMatch): Promise<void> {
    try {
      const { lead } = await call(api.leads[':id'].claim.$post({ param: { id: String(match.leadId) } }));
      toasts.success(m.claimed_toast({ company: lead.company }));
      await goto(`/leads/${lead.id}`);
    } catch (err) {
      handleError(err);
    }
  }

  /** Files a collision request on another rep's lead; true when filed. */
  async fileCollision(match: DuplicateMatch, note: string): Promise<boolean> {
    try {
      await call(api.leads[':id'].collisions.$post({ param: { id: String(match.leadId) }, json: { note } }));
      this.filed = [...this.filed, match.leadId];
      toasts.success(m.collision_filed_toast());
      return true;
    } catch (err) {
      handleError(err);
      return false;
    }
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}
