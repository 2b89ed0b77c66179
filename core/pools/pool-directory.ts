import type { Db } from '../../db/client.ts';
import type { PoolAccess, Viewer } from '../viewer.ts';
import { listPools, type PoolView } from './pools.usecases.ts';

/**
 * Every pool and its member teams, in memory: each request and socket asks which pools its viewer
 * may see. An admin's change reloads it here and, through the hub, on every other node.
 */
export class PoolDirectory {
  #pools: PoolView[] = [];
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async reload(): Promise<void> {
    this.#pools = await listPools(this.#db);
  }

  accessFor(viewer: Omit<Viewer, 'pools'>): PoolAccess[] {
    return poolAccessFor(this.#pools, viewer);
  }
}

/**
 * Admins see every pool whole. Others see the pools open to everyone and those of their team;
 * managers see their contacts whole, reps only where the pool does not mask them. The wall
 * screen's account sees none.
 */
export function poolAccessFor(pools: Pick<PoolView, 'id' | 'teamIds' | 'masksContacts'>[], viewer: Omit<Viewer, 'pools'>): PoolAccess[] {
  if (viewer.role === 'display') return [];
  if (viewer.role === 'admin') return pools.map((p) => ({ id: p.id, contactsWhole: true }));
  return pools
    .filter((p) => p.teamIds.length === 0 || (viewer.teamId !== null && p.teamIds.includes(viewer.teamId)))
    .map((p) => ({ id: p.id, contactsWhole: viewer.role === 'manager' || !p.masksContacts }));
}
