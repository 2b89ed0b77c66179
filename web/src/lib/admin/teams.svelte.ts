import { api, call } from '#lib/api/client.js';
import type { TeamView } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

/** Admin › Teams. */
export class TeamsAdmin {
  teams = $state.raw<TeamView[]>([]);
  loading = $state(true);

  async load() {
    try {
      this.teams = (await call(api.teams.$get())).items;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  async create(name: string): Promise<boolean> {
    try {
      const { team } = await call(api.teams.$post({ json: { name: name.trim() } }));
      this.teams = [...this.teams, team].sort((a, b) => a.name.localeCompare(b.name));
      toasts.success(m.saved_toast());
      return true;
    } catch (err) {
      handleError(err);
      return false;
    }
  }

  async rename(id: string, name: string): Promise<boolean> {
    try {
      const { team } = await call(api.teams[':id'].$patch({ param: { id }, json: { name: name.trim() } }));
      this.teams = this.teams.map((t) => (t.id === id ? team : t));
      toasts.success(m.saved_toast());
      return true;
    } catch (err) {
      handleError(err);
      return false;
    }
  }
}
