import type { Viewer } from '../viewer.ts';

/** Who holds a lead: enough to decide who may see it. */
export interface Holding {
  ownerId: string | null;
  teamId: string | null;
  /** Reps the owner shares the lead with (collision decided as "share"). */
  sharedWith?: readonly { id: string }[];
  /** The pool it sits in while unclaimed: who may see it there. */
  poolId: string;
}

/** Whether the viewer may see a pool's leads and claim from it (admins: every pool). */
export const canViewPool = (viewer: Viewer, poolId: string) => viewer.role === 'admin' || viewer.pools.some((p) => p.id === poolId);

/**
 * Contact data (mobile, phone, email) is whole for admins, the owner, reps it is shared with, and managers of
 * the owner's team; while the lead is in a pool, for the pool's managers and, where the pool does not mask
 * contacts, its reps (Viewer.pools says which); masked for everyone else.
 * realtime/rooms.ts mirrors this rule as socket rooms; rooms.spec.ts keeps the two equal.
 */
export function canSeeContact(viewer: Viewer, lead: Holding): boolean {
  if (viewer.role === 'admin') return true;
  if (lead.ownerId === null) return viewer.pools.some((p) => p.id === lead.poolId && p.contactsWhole);
  if (lead.ownerId === viewer.id || lead.sharedWith?.some((s) => s.id === viewer.id)) return true;
  return viewer.role === 'manager' && lead.teamId !== null && lead.teamId === viewer.teamId;
}

/** Whether the viewer may open the lead at all: a pool lead is open to whoever may see its pool. */
export function canViewLead(viewer: Viewer, lead: Holding): boolean {
  return lead.ownerId === null ? canViewPool(viewer, lead.poolId) : canSeeContact(viewer, lead);
}

/** `13800138000` → `138****8000`; keeps enough to recognise a number, not to dial it. */
export function maskPhone(value: string | null): string | null {
  if (!value) return value;
  const digits = value.replace(/^\+86/, '');
  if (digits.length <= 4) return '****';
  const keepHead = digits.length >= 11 ? 3 : Math.min(3, digits.length - 4);
  return `${digits.slice(0, keepHead)}****${digits.slice(-4)}`;
}

/** `zhang.wei@huaxin.cn` → `z***@huaxin.cn`. */
export function maskEmail(value: string | null): string | null {
  if (!value) return value;
  const at = value.indexOf('@');
  return at <= 0 ? '***' : `${value[0]}***${value.slice(at)}`;
}
