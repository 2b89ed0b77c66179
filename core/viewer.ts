import type { Role } from '../db/schema/index.ts';

/** The signed-in person a use case acts for. */
export interface Viewer {
  id: string;
  name: string;
  role: Role;
  teamId: string | null;
}

export const isManagerOrAdmin = (viewer: Viewer) => viewer.role === 'manager' || viewer.role === 'admin';
