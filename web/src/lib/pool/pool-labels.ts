import type { PoolView } from '#lib/api/types.js';
import { recycleRuleText } from '#lib/i18n/labels.js';
import { m } from '#lib/paraglide/messages.js';

/** A pool's name; the company pool's, until an admin names it, in the reader's language. */
export const poolName = (pool: Pick<PoolView, 'name'>) => pool.name ?? m.pool_company();

/** A pool's policy in a line, as a rep needs to know it before claiming. */
export function poolPolicy(pool: PoolView): string {
  return [
    m.pool_policy_holding({ limit: String(pool.holdingLimit) }),
    ...(pool.dailyClaimLimit !== null ? [m.pool_policy_daily({ limit: String(pool.dailyClaimLimit) })] : []),
    ...(pool.reclaimCooldownDays > 0 ? [m.pool_policy_cooldown({ days: String(pool.reclaimCooldownDays) })] : []),
    ...(pool.protectNewHours > 0 ? [m.pool_policy_protect({ hours: String(pool.protectNewHours) })] : []),
    ...recycleRules(pool).map((rule) => m.pool_policy_recycle({ rule })),
    pool.masksContacts ? m.pool_policy_masked() : m.pool_policy_unmasked(),
  ].join(' · ');
}

/** The pool's recycling rules that are on, each with its limit. */
function recycleRules(pool: PoolView): string[] {
  const rules = [
    ['no_follow_up', pool.recycleNoFollowUpHours],
    ['idle', pool.recycleIdleDays],
    ['stage_idle', pool.recycleStageIdleDays],
    ['not_won', pool.recycleNotWonDays],
  ] as const;
  return rules.flatMap(([rule, limit]) => (limit === null ? [] : [recycleRuleText(rule, limit)]));
}
