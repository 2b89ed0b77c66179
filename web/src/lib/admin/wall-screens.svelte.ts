import { api, call } from '#lib/api/client.js';
import type { TeamView, WallScreenView } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { FormState } from './form-state.svelte.js';

export const wallScenes = ['leaderboard', 'funnel', 'pool', 'wins', 'exhibitions'] as const;
export const wallMetrics = ['calls', 'talkSeconds', 'wins', 'revenue'] as const;
export type WallScene = (typeof wallScenes)[number];

export interface WallScreenDraft {
  name: string;
  /** '' for the whole organisation. */
  teamId: string;
  /** The chosen scenes in rotation order. */
  scenes: WallScene[];
  metric: (typeof wallMetrics)[number];
  rotateSeconds: string;
  maskNames: boolean;
  sound: boolean;
  locale: 'zh-CN' | 'en';
}

export const blankWallScreen = (): WallScreenDraft => ({ name: '', teamId: '', scenes: [...wallScenes], metric: 'calls', rotateSeconds: '20', maskNames: false, sound: false, locale: 'zh-CN' });
export const draftOf = (s: WallScreenView): WallScreenDraft => ({
  name: s.name,
  teamId: s.teamId ?? '',
  scenes: [...s.scenes],
  metric: s.metric,
  rotateSeconds: String(s.rotateSeconds),
  maskNames: s.maskNames,
  sound: s.sound,
  locale: s.locale,
});

/** What the admin was just shown once: a screen's URL, or its pairing code until it expires. */
export type WallSecret = { kind: 'url'; screenId: string; url: string } | { kind: 'pairing'; screenId: string; code: string; expiresAt: string };

/** Admin › Wall screens. */
export class WallScreensAdmin extends FormState {
  items = $state.raw<WallScreenView[]>([]);
  teams = $state.raw<TeamView[]>([]);
  loading = $state(true);
  secret = $state.raw<WallSecret | null>(null);

  async load() {
    try {
      [this.items, this.teams] = await Promise.all([call(api['wall-screens'].$get()).then((r) => r.items), call(api.teams.$get()).then((r) => r.items)]);
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  #replace(screen: WallScreenView) {
    this.items = this.items.map((s) => (s.id === screen.id ? screen : s));
  }

  /** Creates (no id) or changes a screen; returns true when saved. */
  save(id: string | null, draft: WallScreenDraft): Promise<boolean> {
    const json = { ...draft, name: draft.name.trim(), teamId: draft.teamId || null, rotateSeconds: Number(draft.rotateSeconds) };
    return this.submit(async () => {
      if (id) this.#replace((await call(api['wall-screens'][':id'].$put({ param: { id }, json }))).screen);
      else this.items = [(await call(api['wall-screens'].$post({ json }))).screen, ...this.items];
      toasts.success(m.saved_toast());
    });
  }

  async issueUrl(id: string) {
    try {
      const { screen, url } = await call(api['wall-screens'][':id'].token.$post({ param: { id } }));
      this.#replace(screen);
      this.secret = { kind: 'url', screenId: id, url };
    } catch (err) {
      handleError(err);
    }
  }

  async issuePairing(id: string) {
    try {
      const { screen, code, expiresAt } = await call(api['wall-screens'][':id'].pairing.$post({ param: { id } }));
      this.#replace(screen);
      this.secret = { kind: 'pairing', screenId: id, code, expiresAt };
    } catch (err) {
      handleError(err);
    }
  }

  async revoke(id: string) {
    try {
      this.#replace((await call(api['wall-screens'][':id'].revoke.$post({ param: { id } }))).screen);
    } catch (err) {
      handleError(err);
    }
  }

  async remove(id: string) {
    try {
      await call(api['wall-screens'][':id'].$delete({ param: { id } }));
      this.items = this.items.filter((s) => s.id !== id);
    } catch (err) {
      handleError(err);
    }
  }

  async copy(text: string) {
    try {
      await navigator.clipboard.writeText(text);
      toasts.success(m.wall_copied());
    } catch (err) {
      handleError(err);
    }
  }
}
