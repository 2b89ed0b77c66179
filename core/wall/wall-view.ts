import type { WallMetric, WallScene, WallScreen } from '../../db/schema/index.ts';
import type { ExhibitionQuality } from '../metrics/channels.usecases.ts';
import type { Funnel } from '../metrics/funnel.usecases.ts';

/** A rep's row on the wall's leaderboard: the figure the screen ranks by, and the others it can show. */
export interface WallLeaderRow {
  rank: number;
  userId: string;
  name: string;
  value: number;
}

/** The rep counters a scope's leaderboard is ranked from, once for every metric. */
export interface WallRepCounts {
  userId: string;
  name: string;
  calls: number;
  talkSeconds: number;
  wins: number;
  revenue: number;
}

export interface WallPoolScene {
  /** The pools the scope's reps may claim from, with their unclaimed leads (`name` null: the company pool, named by the web). */
  pools: { id: string; name: string | null; unclaimed: number }[];
  unclaimed: number;
  /** Claims in the last 15 minutes, and per minute over them. */
  claims15m: number;
  perMinute: number;
  /** Claims per minute over the last 15 minutes, oldest first. */
  sparkline: number[];
}

/** A won deal as the ticker shows it: no contact data, the rep's name masked when the screen asks. */
export interface WallWin {
  dealId: number;
  repName: string | null;
  company: string;
  amount: number;
  wonAt: string;
}

/** The funnel of the scope's leads created in the last 30 days (core/metrics/funnel.usecases.ts). */
export type WallFunnel = Funnel;
/** The exhibitions of the last 90 days with the scope's leads from them (core/metrics/channels.usecases.ts). */
export type WallExhibitionRow = ExhibitionQuality;

/** What a screen shows of its configuration. */
export interface WallScreenConfig {
  id: string;
  name: string;
  teamName: string | null;
  scenes: WallScene[];
  metric: WallMetric;
  rotateSeconds: number;
  maskNames: boolean;
  sound: boolean;
  locale: WallScreen['locale'];
}

/**
 * Everything a wall screen shows, as `GET /api/wall/state` answers and `wall.state` pushes it: its
 * configuration, the data of each of its scenes (null for the scenes it does not show) and the log's
 * head the figures are as of.
 */
export interface WallState {
  screen: WallScreenConfig;
  seq: number;
  at: string;
  /** The organisation's day the leaderboard counts. */
  day: string;
  leaderboard: WallLeaderRow[] | null;
  funnel: WallFunnel | null;
  pool: WallPoolScene | null;
  wins: WallWin[] | null;
  exhibitions: WallExhibitionRow[] | null;
}

/** A won deal interrupting the screens of its scope. */
export interface WallCelebration {
  dealId: number;
  repName: string | null;
  company: string;
  amount: number;
}

/** 王芳 → 王*, 欧阳娜娜 → 欧***: the first character stays so the floor still knows who. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length <= 1) return chars.join('');
  return chars[0] + '*'.repeat(Math.min(chars.length - 1, 3));
}

/** The name as the screen shows it. */
export const shownName = <T extends string | null>(name: T, mask: boolean): T => (mask && name !== null ? (maskName(name) as T) : name);

/** Ranks the scope's reps by `metric`, best first; ties share a rank and are ordered by name. */
export function rankBy(rows: WallRepCounts[], metric: WallMetric, mask: boolean): WallLeaderRow[] {
  const sorted = [...rows].sort((a, b) => b[metric] - a[metric] || a.name.localeCompare(b.name, 'zh-CN'));
  let rank = 0;
  return sorted.map((row, i) => {
    if (i === 0 || row[metric] !== sorted[i - 1]![metric]) rank = i + 1;
    return { rank, userId: row.userId, name: shownName(row.name, mask), value: row[metric] };
  });
}
