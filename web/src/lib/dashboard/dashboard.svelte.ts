import { api, call } from '#lib/api/client.js';
import { getLocale } from '#lib/paraglide/runtime.js';
import type { LiveSync } from '#lib/live/live-sync.svelte.js';
import { isoDay } from '#lib/utils/clock.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import type { InferResponseType } from 'hono/client';
import { countedEvents } from './dashboard-events.js';
import { refreshOn } from './live-refresh.js';

export type Leaderboard = InferResponseType<typeof api.dashboard.leaderboard.$get, 200>['leaderboard'];
export type ActivityRow = InferResponseType<typeof api.dashboard.activity.$get, 200>['items'][number];
export type LeaderboardMetric = Leaderboard['metric'];
export type ActivityGrain = 'day' | 'week' | 'month';
export type ActivityColumn = Exclude<keyof ActivityRow, 'userId' | 'teamId'>;

/** The dashboard: today's leaderboard and the activity table, fetched again (at most every 0.3 s, never two fetches at once) when counted events arrive. */
export class DashboardState {
  metric = $state<LeaderboardMetric>('calls');
  leaderboard = $state.raw<Leaderboard | null>(null);
  from = $state(isoDay(-6));
  to = $state(isoDay());
  grain = $state<ActivityGrain>('day');
  activity = $state.raw<ActivityRow[]>([]);
  sortBy = $state<ActivityColumn>('calls');
  descending = $state(true);
  loading = $state(true);
  readonly #live: LiveSync | undefined;
  #asked = 0;

  constructor(live?: LiveSync) {
    this.#live = live;
  }

  start(): () => void {
    return refreshOn(this.#live, countedEvents, () => this.load());
  }

  async load(): Promise<void> {
    this.loading = true;
    // A metric, period or grain chosen while a refresh runs: the later answer wins, whichever arrives first.
    const asked = ++this.#asked;
    try {
      const [board, activity] = await Promise.all([
        call(api.dashboard.leaderboard.$get({ query: { metric: this.metric } })),
        call(api.dashboard.activity.$get({ query: { from: this.from, to: this.to, grain: this.grain } })),
      ]);
      if (asked !== this.#asked) return;
      this.leaderboard = board.leaderboard;
      this.activity = activity.items;
    } catch (err) {
      handleError(err);
    } finally {
      if (asked === this.#asked) this.loading = false;
    }
  }

  setMetric(metric: LeaderboardMetric): void {
    this.metric = metric;
    void this.load();
  }

  setGrain(grain: ActivityGrain): void {
    this.grain = grain;
    void this.load();
  }

  /** Sorts by a column; the same column again turns the order round. */
  sort(column: ActivityColumn): void {
    if (this.sortBy === column) this.descending = !this.descending;
    else [this.sortBy, this.descending] = [column, column !== 'name' && column !== 'period'];
  }

  get rows(): ActivityRow[] {
    const key = this.sortBy;
    const sign = this.descending ? -1 : 1;
    return [...this.activity].sort((a, b) => sign * (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : 0));
  }

  /** The table as CSV, in the reader's language. */
  get csvHref(): string {
    const query = new URLSearchParams({ from: this.from, to: this.to, grain: this.grain, lang: getLocale() });
    return `/api/dashboard/activity.csv?${query}`;
  }
}
