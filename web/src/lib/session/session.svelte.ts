import { api, ApiError, call, postJson } from '#lib/api/client.js';
import type { UserView } from '#lib/api/types.js';
import { stopLive } from '#lib/live/live.svelte.js';
import { setOrganisationTimeZone } from '#lib/utils/clock.svelte.js';

export type SessionStatus = 'loading' | 'setup' | 'signed-out' | 'signed-in';

/** Who is signed in, and the calls that change it. */
class Session {
  status = $state<SessionStatus>('loading');
  user = $state<UserView | null>(null);

  get isAdmin() {
    return this.user?.role === 'admin';
  }

  /** Whether this user may claim, release and create leads. */
  get canWork() {
    return this.user !== null && this.user.role !== 'display';
  }

  /** Managers and admins: they import spreadsheets, decide approvals, see their team. */
  get isManagerOrAdmin() {
    return this.user?.role === 'admin' || this.user?.role === 'manager';
  }

  /** Whether this user may import spreadsheets of leads. */
  get canImport() {
    return this.isManagerOrAdmin;
  }

  async load(): Promise<void> {
    try {
      const { user, timeZone } = await call(api.users.me.$get());
      setOrganisationTimeZone(timeZone);
      this.user = user;
      this.status = 'signed-in';
    } catch (err) {
      if (!(err instanceof ApiError) || err.status !== 401) throw err;
      this.user = null;
      const { needed } = await call(api.setup.$get());
      this.status = needed ? 'setup' : 'signed-out';
    }
  }

  async signIn(email: string, password: string): Promise<void> {
    await postJson('/api/auth/sign-in/email', { email, password });
    await this.load();
  }

  async setup(input: { name: string; email: string; password: string }): Promise<void> {
    await call(api.setup.$post({ json: input }));
    await this.signIn(input.email, input.password);
  }

  /** Marks the signed-in person away (assignment rules pass them over) or back. */
  async setAway(away: boolean): Promise<void> {
    this.user = (await call(api.users.me.away.$put({ json: { away } }))).user;
  }

  async signOut(): Promise<void> {
    stopLive();
    await postJson('/api/auth/sign-out', {}).catch(() => undefined);
    this.user = null;
    this.status = 'signed-out';
  }

  /** The session ended elsewhere (deactivated, password reset, expired). */
  expired(): void {
    stopLive();
    this.user = null;
    this.status = 'signed-out';
  }
}

export const session = new Session();
