import { api, call } from '#lib/api/client.js';
import type { ExhibitionView, TeamView } from '#lib/api/types.js';
import type { LiveSync } from '#lib/live/live-sync.svelte.js';
import { isoDay } from '#lib/utils/clock.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import type { InferResponseType } from 'hono/client';
import { pipelineEvents } from './dashboard-events.js';
import { refreshOn } from './live-refresh.js';
import { HEALTH_REFRESH_MS } from './refresh-throttle.js';

export type Funnel = InferResponseType<typeof api.dashboard.funnel.$get, 200>['funnel'];
export type SourceRow = InferResponseType<typeof api.dashboard.sources.$get, 200>['items'][number];
export type ExhibitionRow = InferResponseType<typeof api.dashboard.exhibitions.$get, 200>['items'][number];
export type Health = InferResponseType<typeof api.dashboard.health.$get, 200>['health'];
export type RiskReason = Health['atRisk']['leads'][number]['reason'];
export type Source = SourceRow['source'];

/** The funnel's filters beyond the period; '' is "all". */
export interface InsightFilters {
  teamId: string;
  userId: string;
  exhibitionId: string;
  source: Source | '';
}

/**
 * The pipeline side of the dashboard for a period: the funnel (filtered by team, rep, exhibition and
 * source), quality per source and per exhibition with ROI, the sales cycle and the leads at risk. Live:
 * fetched again (throttled, see refresh-throttle.ts) while events that move them arrive; the health, which
 * reads every held lead of the scope and moves with the clock too, at most every 5 s and at least every minute.
 */
export class InsightsState {
  from = $state(isoDay(-29));
  to = $state(isoDay());
  filters = $state<InsightFilters>({ teamId: '', userId: '', exhibitionId: '', source: '' });
  funnel = $state.raw<Funnel | null>(null);
  sources = $state.raw<SourceRow[]>([]);
  exhibitions = $state.raw<ExhibitionRow[]>([]);
  health = $state.raw<Health | null>(null);
  #reloading = $state(false);
  /** What the filters offer: the teams (an admin's), the exhibitions. */
  teams = $state.raw<TeamView[]>([]);
  exhibitionChoices = $state.raw<ExhibitionView[]>([]);
  readonly #live: LiveSync | undefined;
  readonly #channels: boolean;
  // Bumped when the period or a filter changes: a refresh asked for before drops its answer.
  #generation = 0;

  /** `channels`: also the source and exhibition tables (managers and admins). */
  constructor(live: LiveSync | undefined, options: { channels: boolean }) {
    this.#live = live;
    this.#channels = options.channels;
  }

  start(): () => void {
    void this.#loadChoices();
    const stops = [
      refreshOn(this.#live, pipelineEvents, () => this.#guarded(() => this.#fetchFlow())),
      refreshOn(this.#live, pipelineEvents, () => this.#guarded(() => this.#fetchHealth()), { ms: HEALTH_REFRESH_MS, every: 60_000 }),
    ];
    return () => stops.forEach((stop) => stop());
  }

  async #loadChoices(): Promise<void> {
    try {
      const [exhibitions, teams] = await Promise.all([call(api.exhibitions.$get()), this.#channels ? call(api.teams.$get()) : null]);
      this.exhibitionChoices = exhibitions.items;
      this.teams = teams?.items ?? [];
    } catch (err) {
      handleError(err);
    }
  }

  /** Before the first figures, and while a new period or filter loads. */
  get loading(): boolean {
    return this.#reloading || this.funnel === null || this.health === null;
  }

  /** Everything again, for a new period or filter. */
  async load(): Promise<void> {
    this.#reloading = true;
    const generation = ++this.#generation;
    try {
      await this.#guarded(async () => {
        const shows = await Promise.all([this.#fetchFlow(), this.#fetchHealth()]);
        return () => shows.forEach((show) => show());
      }, generation);
    } finally {
      if (generation === this.#generation) this.#reloading = false;
    }
  }

  /** Fetches a part and shows it unless the period or a filter changed meanwhile; failures are toasted. */
  async #guarded(fetch: () => Promise<() => void>, generation = this.#generation): Promise<void> {
    try {
      const show = await fetch();
      if (generation === this.#generation) show();
    } catch (err) {
      handleError(err);
    }
  }

  #scope() {
    return { from: this.from, to: this.to, ...(this.filters.teamId && { teamId: this.filters.teamId }), ...(this.filters.userId && { userId: this.filters.userId }) };
  }

  /** The parts that stage moves change: the funnel and the channel tables. */
  async #fetchFlow(): Promise<() => void> {
    const scope = this.#scope();
    const funnelQuery = {
      ...scope,
      ...(this.filters.exhibitionId && { exhibitionId: this.filters.exhibitionId }),
      ...(this.filters.source && { source: this.filters.source }),
    };
    const [funnel, sources, exhibitions] = await Promise.all([
      call(api.dashboard.funnel.$get({ query: funnelQuery })),
      this.#channels ? call(api.dashboard.sources.$get({ query: scope })) : null,
      this.#channels ? call(api.dashboard.exhibitions.$get({ query: scope })) : null,
    ]);
    return () => {
      this.funnel = funnel.funnel;
      this.sources = sources?.items ?? [];
      this.exhibitions = exhibitions?.items ?? [];
    };
  }

  async #fetchHealth(): Promise<() => void> {
    const { health } = await call(api.dashboard.health.$get({ query: this.#scope() }));
    return () => (this.health = health);
  }

  setFilter<K extends keyof InsightFilters>(key: K, value: InsightFilters[K]): void {
    this.filters = { ...this.filters, [key]: value, ...(key === 'teamId' && { userId: '' }) };
    void this.load();
  }
}
