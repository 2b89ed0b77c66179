import { api, call } from '#lib/api/client.js';
import type { ExhibitionView, TeamView } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { FormState } from './form-state.svelte.js';

export interface ExhibitionDraft {
  name: string;
  city: string;
  startsOn: string;
  endsOn: string;
  cost: string;
  /** '' for none. */
  teamId: string;
}

export const blankExhibition = (): ExhibitionDraft => ({ name: '', city: '', startsOn: '', endsOn: '', cost: '0', teamId: '' });
export const draftOf = (e: ExhibitionView): ExhibitionDraft => ({
  name: e.name,
  city: e.city,
  startsOn: e.startsOn,
  endsOn: e.endsOn,
  cost: String(e.cost),
  teamId: e.teamId ?? '',
});

/** Admin › Exhibitions. */
export class ExhibitionsAdmin extends FormState {
  items = $state.raw<ExhibitionView[]>([]);
  teams = $state.raw<TeamView[]>([]);
  loading = $state(true);

  async load() {
    try {
      [this.items, this.teams] = await Promise.all([call(api.exhibitions.$get()).then((r) => r.items), call(api.teams.$get()).then((r) => r.items)]);
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  /** Creates (no id) or changes an exhibition; returns true when saved. */
  save(id: string | null, draft: ExhibitionDraft): Promise<boolean> {
    const json = { ...draft, name: draft.name.trim(), city: draft.city.trim(), cost: Number(draft.cost || 0), teamId: draft.teamId || null };
    return this.submit(async () => {
      if (id) {
        const { exhibition } = await call(api.exhibitions[':id'].$put({ param: { id }, json }));
        this.items = this.items.map((e) => (e.id === id ? exhibition : e));
      } else {
        const { exhibition } = await call(api.exhibitions.$post({ json }));
        this.items = [exhibition, ...this.items].sort((a, b) => b.startsOn.localeCompare(a.startsOn));
      }
      toasts.success(m.saved_toast());
    });
  }

}
