import type { Db } from '../../db/client.ts';
import type { LeadEventType } from '../events/lead-event.ts';
import { leaderboardOf, type Leaderboard, type LeaderboardMetric } from './rep-activity.usecases.ts';

/** The events whose transactions move today's counters (rep_daily's triggers, and claims from the log). */
const counted = new Set<LeadEventType>(['lead.claimed', 'lead.called', 'lead.followed_up', 'lead.stage_changed', 'deal.won']);
export const movesLeaderboards = (types: Iterable<LeadEventType>): boolean => [...types].some((t) => counted.has(t));

/**
 * Today's leaderboards as last computed, per team and metric, until the counters move: every board is
 * dropped when counted events are published on this node or another (`changed`), when its day ends, and
 * after `ttlMs` at most (a rep added or moved, the time zone changed). A floor of dashboards asking
 * between two changes shares one statement.
 */
export class LeaderboardCache {
  readonly #entries = new Map<string, { board: Leaderboard; endsAt: number; expires: number }>();
  readonly #db: Db;
  readonly #ttlMs: number;
  #generation = 0;

  constructor(db: Db, ttlMs = 5_000) {
    this.#db = db;
    this.#ttlMs = ttlMs;
  }

  /** The counters moved: every board is computed afresh. */
  changed(): void {
    this.#generation++;
    this.#entries.clear();
  }

  async get(teamId: string | null, now: Date, metric: LeaderboardMetric): Promise<Leaderboard> {
    const key = `${teamId ?? '*'}|${metric}`;
    const hit = this.#entries.get(key);
    if (hit && now.getTime() < hit.endsAt && Date.now() < hit.expires) return hit.board;
    // A change published while this board was computed may be missing from it: it is not kept then.
    const generation = this.#generation;
    const { endsAt, ...board } = await leaderboardOf(this.#db, teamId, now, metric);
    if (generation === this.#generation) this.#entries.set(key, { board, endsAt: endsAt.getTime(), expires: Date.now() + this.#ttlMs });
    return board;
  }
}
