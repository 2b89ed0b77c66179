import { api, call } from '#lib/api/client.js';
import type { PoolView, TeamView } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { FormState } from './form-state.svelte.js';
import { numberDraft, numberOrNull } from './number-draft.js';

/** The recycling rules' limits, each off when left empty. */
export const recycleLimitFields = ['recycleNoFollowUpHours', 'recycleIdleDays', 'recycleStageIdleDays', 'recycleNotWonDays'] as const;
type RecycleLimitField = (typeof recycleLimitFields)[number];

/** A pool as its editor holds it (numbers as typed; '' daily limit, rule limit or keep amount: none). */
export type PoolDraft = {
  name: string;
  holdingLimit: string;
  dailyClaimLimit: string;
  reclaimCooldownDays: string;
  protectNewHours: string;
  masksContacts: boolean;
  recycleWarnHours: string;
  recycleKeepAmount: string;
  teamIds: string[];
} & Record<RecycleLimitField, string>;


export const blankPool = (): PoolDraft => ({
  name: '',
  holdingLimit: '50',
  dailyClaimLimit: '',
  reclaimCooldownDays: '0',
  protectNewHours: '0',
  masksContacts: true,
  recycleNoFollowUpHours: '',
  recycleIdleDays: '',
  recycleStageIdleDays: '',
  recycleNotWonDays: '',
  recycleWarnHours: '0',
  recycleKeepAmount: '',
  teamIds: [],
});

export const poolDraftOf = (p: PoolView): PoolDraft => ({
  name: p.name ?? '',
  holdingLimit: String(p.holdingLimit),
  dailyClaimLimit: numberDraft(p.dailyClaimLimit),
  reclaimCooldownDays: String(p.reclaimCooldownDays),
  protectNewHours: String(p.protectNewHours),
  masksContacts: p.masksContacts,
  recycleNoFollowUpHours: numberDraft(p.recycleNoFollowUpHours),
  recycleIdleDays: numberDraft(p.recycleIdleDays),
  recycleStageIdleDays: numberDraft(p.recycleStageIdleDays),
  recycleNotWonDays: numberDraft(p.recycleNotWonDays),
  recycleWarnHours: String(p.recycleWarnHours),
  recycleKeepAmount: numberDraft(p.recycleKeepAmount),
  teamIds: [...p.teamIds],
});

/** Admin › Pools. */
export class PoolsAdmin extends FormState {
  items = $state.raw<PoolView[]>([]);
  teams = $state.raw<TeamView[]>([]);
  loading = $state(true);

  async load() {
    try {
      [this.items, this.teams] = await Promise.all([call(api.pools.$get()).then((r) => r.items), call(api.teams.$get()).then((r) => r.items)]);
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  /** Creates (no id) or changes a pool; returns true when saved. An unnamed company pool stays unnamed. */
  save(id: string | null, draft: PoolDraft): Promise<boolean> {
    const json = {
      name: draft.name.trim() || (this.items.find((p) => p.id === id)?.isCompanyPool ? null : ''),
      holdingLimit: Number(draft.holdingLimit),
      dailyClaimLimit: numberOrNull(draft.dailyClaimLimit),
      reclaimCooldownDays: Number(draft.reclaimCooldownDays || 0),
      protectNewHours: Number(draft.protectNewHours || 0),
      masksContacts: draft.masksContacts,
      recycleNoFollowUpHours: numberOrNull(draft.recycleNoFollowUpHours),
      recycleIdleDays: numberOrNull(draft.recycleIdleDays),
      recycleStageIdleDays: numberOrNull(draft.recycleStageIdleDays),
      recycleNotWonDays: numberOrNull(draft.recycleNotWonDays),
      recycleWarnHours: Number(draft.recycleWarnHours || 0),
      recycleKeepAmount: numberOrNull(draft.recycleKeepAmount),
      teamIds: draft.teamIds,
    };
    return this.submit(async () => {
      if (id) {
        const { pool } = await call(api.pools[':id'].$put({ param: { id }, json }));
        this.items = this.items.map((p) => (p.id === id ? pool : p));
      } else {
        const { pool } = await call(api.pools.$post({ json }));
        this.items = [...this.items, pool];
      }
      toasts.success(m.saved_toast());
    });
  }

  async remove(pool: PoolView): Promise<void> {
    try {
      await call(api.pools[':id'].$delete({ param: { id: pool.id } }));
      this.items = this.items.filter((p) => p.id !== pool.id);
      toasts.success(m.saved_toast());
    } catch (err) {
      handleError(err);
    }
  }
}
