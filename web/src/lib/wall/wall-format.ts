import type { WallState } from '../../../../realtime/contract.ts';
import { moneyText } from '#lib/i18n/labels.js';
import { m } from '#lib/paraglide/messages.js';

export type WallMetric = WallState['screen']['metric'];

/** A figure of the leaderboard as the floor reads it: 12, 1:05:09, ¥120,000. */
export function metricValue(metric: WallMetric, value: number): string {
  switch (metric) {
    case 'calls':
    case 'wins':
      return String(value);
    case 'talkSeconds': {
      const h = Math.floor(value / 3600);
      const mm = String(Math.floor((value % 3600) / 60)).padStart(2, '0');
      const ss = String(Math.floor(value % 60)).padStart(2, '0');
      return h > 0 ? `${h}:${mm}:${ss}` : `${Math.floor(value / 60)}:${ss}`;
    }
    case 'revenue':
      return moneyText(Math.round(value));
  }
}

export function metricLabel(metric: WallMetric): string {
  switch (metric) {
    case 'calls':
      return m.wall_metric_calls();
    case 'talkSeconds':
      return m.wall_metric_talkSeconds();
    case 'wins':
      return m.wall_metric_wins();
    case 'revenue':
      return m.wall_metric_revenue();
  }
}

export function sceneTitle(scene: WallState['screen']['scenes'][number]): string {
  switch (scene) {
    case 'leaderboard':
      return m.wall_scene_leaderboard();
    case 'funnel':
      return m.wall_scene_funnel();
    case 'pool':
      return m.wall_scene_pool();
    case 'wins':
      return m.wall_scene_wins();
    case 'exhibitions':
      return m.wall_scene_exhibitions();
  }
}

/** ROI (won revenue / cost) as a multiple: 32.5×. */
export const ratioText = (ratio: number) => `${ratio >= 10 ? Math.round(ratio) : ratio.toFixed(1)}×`;
