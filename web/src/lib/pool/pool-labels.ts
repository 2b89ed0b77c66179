import type { PoolView } from '#lib/api/types.js';
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
    pool.masksContacts ? m.pool_policy_masked() : m.pool_policy_unmasked(),
  ].join(' · ');
}
