import type { Role } from '../db/schema/index.ts';

/** The signed-in person a use case acts for. */
export interface Viewer {
  id: string;
  name: string;
  role: Role;
  teamId: string | null;
  /** The pools the viewer may see and claim from (core/pools/pool-directory.ts decides). */
  pools: PoolAccess[];
}

/** A pool the viewer may see and claim from, and whether they see its leads' contact data whole. */
export interface PoolAccess {
  id: string;
  contactsWhole: boolean;
}

export const isManagerOrAdmin = (viewer: Viewer) => viewer.role === 'manager' || viewer.role === 'admin';
