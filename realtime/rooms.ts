import type { Holding } from '../core/leads/visibility.ts';
import type { Viewer } from '../core/viewer.ts';

export const rooms = {
  all: 'all',
  user: (id: string) => `user:${id}`,
  role: (role: Viewer['role']) => `role:${role}`,
  teamManagers: (teamId: string) => `managers:${teamId}`,
};

/** The rooms a signed-in socket joins. */
export function roomsOf(viewer: Viewer): string[] {
  return [
    rooms.all,
    rooms.user(viewer.id),
    rooms.role(viewer.role),
    ...(viewer.role === 'manager' && viewer.teamId ? [rooms.teamManagers(viewer.teamId)] : []),
  ];
}

/** The rooms that may see a lead's contact data whole: the socket form of `canSeeContact`. */
export function contactRooms(lead: Holding): string[] {
  if (lead.ownerId === null) return [rooms.role('admin'), rooms.role('manager')];
  return [
    rooms.role('admin'),
    rooms.user(lead.ownerId),
    ...(lead.sharedWith ?? []).map((s) => rooms.user(s.id)),
    ...(lead.teamId ? [rooms.teamManagers(lead.teamId)] : []),
  ];
}
