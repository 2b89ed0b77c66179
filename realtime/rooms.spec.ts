import { describe, expect, it } from 'vitest';
import { canSeeContact, canViewPool, type Holding } from '../core/leads/visibility.ts';
import { poolAccessFor } from '../core/pools/pool-directory.ts';
import type { Viewer } from '../core/viewer.ts';
import { contactRooms, poolRooms, roomsOf } from './rooms.ts';

// The company pool (open to all, masked), team t2's pool (contacts shown) and team t1's (masked).
const pools = [
  { id: 'company', teamIds: [], masksContacts: true },
  { id: 'south', teamIds: ['t2'], masksContacts: false },
  { id: 'north', teamIds: ['t1'], masksContacts: true },
];
const viewers: Viewer[] = (
  [
    { id: 'admin', name: 'A', role: 'admin', teamId: null },
    { id: 'm1', name: 'M1', role: 'manager', teamId: 't1' },
    { id: 'm2', name: 'M2', role: 'manager', teamId: 't2' },
    { id: 'm0', name: 'M0', role: 'manager', teamId: null },
    { id: 'r1', name: 'R1', role: 'rep', teamId: 't1' },
    { id: 'r2', name: 'R2', role: 'rep', teamId: 't1' },
    { id: 'r3', name: 'R3', role: 'rep', teamId: null },
    { id: 'r4', name: 'R4', role: 'rep', teamId: 't2' },
    { id: 'tv', name: 'TV', role: 'display', teamId: null },
  ] as const
).map((v) => ({ ...v, pools: poolAccessFor(pools, v) }));

const holdings: Holding[] = [
  ...pools.map((p) => ({ ownerId: null, teamId: null, poolId: p.id })),
  { ownerId: 'r1', teamId: 't1', poolId: 'north' },
  { ownerId: 'r3', teamId: null, poolId: 'company' },
  { ownerId: 'm1', teamId: 't1', poolId: 'company' },
  { ownerId: 'r1', teamId: 't2', poolId: 'south' },
];

describe('socket rooms mirror the contact-visibility rule', () => {
  for (const lead of holdings) {
    for (const viewer of viewers) {
      it(`${viewer.id} on a lead held by ${lead.ownerId ?? `pool ${lead.poolId}`} (${lead.teamId ?? 'no team'})`, () => {
        const joined = new Set(roomsOf(viewer));
        const seesWholeBySocket = contactRooms(lead).some((room) => joined.has(room));
        expect(seesWholeBySocket).toBe(canSeeContact(viewer, lead));
      });
    }
  }
});

describe('socket rooms mirror who sees a pool', () => {
  for (const pool of pools) {
    for (const viewer of viewers) {
      it(`${viewer.id} in pool ${pool.id}`, () => {
        const joined = new Set(roomsOf(viewer));
        expect(poolRooms(pool.id).some((room) => joined.has(room)) || viewer.role === 'admin').toBe(canViewPool(viewer, pool.id));
      });
    }
  }
  it('a rep sees a pool of another team not at all, and an unmasked pool of their own whole', () => {
    const r4 = viewers.find((v) => v.id === 'r4')!;
    expect(canViewPool(r4, 'north')).toBe(false);
    expect(canSeeContact(r4, { ownerId: null, teamId: null, poolId: 'south' })).toBe(true);
    expect(canSeeContact(r4, { ownerId: null, teamId: null, poolId: 'company' })).toBe(false);
  });
});
