import { api, call } from '#lib/api/client.js';
import type { ExhibitionView, TeamView } from '#lib/api/types.js';
import type { LiveSync } from '#lib/live/live-sync.svelte.js';
import { isoDay } from '#lib/utils/clock.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import type { InferResponseType } from 'hono/client';
import { pipelineEvents } from './dashboard-events.js';
import { refreshOn } from './live-refresh.js';

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
 * fetched again (throttled, see refresh-throttle.ts) while events that move them arrive.
 */
export class InsightsState {
  from = $state(isoDay(-29));
  to = $state(isoDay());
  filters = $state<InsightFilters>({ teamId: '', userId: '', exhibitionId: '', source: '' });
  funnel = $state.raw<Funnel | null>(null);
  sources = $state.raw<SourceRow[]>([]);
  exhibitions = $state.raw<ExhibitionRow[]>([]);
  health = $state.raw<Health | null>(null);
  loading = $state(true);
  /** What the filters offer: the teams (an admin's), the exhibitions. */
  teams = $state.raw<TeamView[]>([]);
  exhibitionChoices = $state.raw<ExhibitionView[]>([]);
  readonly #live: LiveSync | undefined;
  readonly #channels: boolean;

  /** `channels`: also the source and exhibition tables (managers and admins). */
  constructor(live: LiveSync | undefined, options: { channels: boolean }) {
    this.#live = live;
    this.#channels = options.channels;
  }

  start(): () => void {
    void this.#loadChoices();
    return refreshOn(this.#live, pipelineEvents, () => this.load());
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

  async load(): Promise<void> {
    this.loading = true;
    const period = { from: this.from, to: this.to };
    const scope = { ...(this.filters.teamId && { teamId: this.filters.teamId }), ...(this.filters.userId && { userId: this.filters.userId }) };
    const funnelQuery = {
      ...period,
      ...scope,
      ...(this.filters.exhibitionId && { exhibitionId: this.filters.exhibitionId }),
      ...(this.filters.source && { source: this.filters.source }),
    };
    try {
      const [funnel, health, sources, exhibitions] = await Promise.all([
        call(api.dashboard.funnel.$get({ query: funnelQuery })),
        call(api.dashboard.health.$get({ query: { ...period, ...scope } })),
        this.#channels ? call(api.dashboard.sources.$get({ query: { ...period, ...scope } })) : null,
        this.#channels ? call(api.dashboard.exhibitions.$get({ query: { ...period, ...scope } })) : null,
      ]);
      this.funnel = funnel.funnel;
      this.health = health.health;
      this.sources = sources?.items ?? [];
      this.exhibitions = exhibitions?.items ?? [];
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  setFilter<K extends keyof InsightFilters>(key: K, value: InsightFilters[K]): void {
    this.filters = { ...this.filters, [key]: value, ...(key === 'teamId' && { userId: '' }) };
    void this.load();
  }
}
