import type { Holding } from '../core/leads/visibility.ts';
import type { Viewer } from '../core/viewer.ts';

export const rooms = {
  all: 'all',
  user: (id: string) => `user:${id}`,
  role: (role: Viewer['role']) => `role:${role}`,
  teamManagers: (teamId: string) => `managers:${teamId}`,
  /** Who sees a pool with its leads' contact data masked. */
  pool: (poolId: string) => `pool:${poolId}`,
  /** Who sees a pool with its leads' contact data whole (its managers; its reps where it does not mask). */
  poolWhole: (poolId: string) => `pool-whole:${poolId}`,
  /** The sockets with a lead's page open. */
  watching: (leadId: number) => `watch:${leadId}`,
  /** The sockets with a lead's shared notes open. */
  notes: (leadId: number) => `notes:${leadId}`,
};

/** The rooms a signed-in socket joins. */
export function roomsOf(viewer: Viewer): string[] {
  return [
    rooms.all,
    rooms.user(viewer.id),
    rooms.role(viewer.role),
    ...(viewer.role === 'manager' && viewer.teamId ? [rooms.teamManagers(viewer.teamId)] : []),
    ...viewer.pools.map((p) => (p.contactsWhole ? rooms.poolWhole(p.id) : rooms.pool(p.id))),
  ];
}

/** Everyone who sees the pool, whichever way. */
export const poolRooms = (poolId: string) => [rooms.pool(poolId), rooms.poolWhole(poolId)];

/** The rooms that may see a lead's contact data whole: the socket form of `canSeeContact`. */
export function contactRooms(lead: Holding): string[] {
  if (lead.ownerId === null) return [rooms.role('admin'), rooms.poolWhole(lead.poolId)];
  return [
    rooms.role('admin'),
    rooms.user(lead.ownerId),
    ...(lead.sharedWith ?? []).map((s) => rooms.user(s.id)),
    ...(lead.teamId ? [rooms.teamManagers(lead.teamId)] : []),
  ];
}
