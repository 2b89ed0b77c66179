import { api, call } from '#lib/api/client.js';
import type { Role, TeamView, UserView } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { FormState } from './form-state.svelte.js';

export interface NewUser {
  name: string;
  email: string;
  password: string;
  role: Role;
  teamId: string;
}

export const blankUser = (): NewUser => ({ name: '', email: '', password: '', role: 'rep', teamId: '' });

/** Admin › Users: the list and every change an admin makes to it. */
export class UsersAdmin extends FormState {
  users = $state.raw<UserView[]>([]);
  teams = $state.raw<TeamView[]>([]);
  loading = $state(true);

  async load() {
    this.loading = true;
    try {
      const [users, teams] = await Promise.all([call(api.users.$get()), call(api.teams.$get())]);
      this.users = users.items;
      this.teams = teams.items;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  /** Returns true when created. */
  create(input: NewUser): Promise<boolean> {
    return this.submit(async () => {
      const { user } = await call(api.users.$post({ json: { ...input, name: input.name.trim(), email: input.email.trim(), teamId: input.teamId || null } }));
      this.users = [...this.users, user];
      toasts.success(m.user_created_toast({ name: user.name }));
    });
  }


  async update(id: string, patch: { role?: Role; teamId?: string | null; active?: boolean; password?: string }, done = m.saved_toast()): Promise<boolean> {
    try {
      const { user } = await call(api.users[':id'].$patch({ param: { id }, json: patch }));
      this.users = this.users.map((u) => (u.id === id ? user : u));
      toasts.success(done);
      return true;
    } catch (err) {
      handleError(err);
      // The select already shows the new value; put the list back as it is.
      this.users = [...this.users];
      return false;
    }
  }
}
