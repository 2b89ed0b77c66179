import { describe, expect, it } from 'vitest';
import { canSeeContact, type Holding } from '../core/leads/visibility.ts';
import type { Viewer } from '../core/viewer.ts';
import { contactRooms, roomsOf } from './rooms.ts';

const viewers: Viewer[] = [
  { id: 'admin', name: 'A', role: 'admin', teamId: null },
  { id: 'm1', name: 'M1', role: 'manager', teamId: 't1' },
  { id: 'm2', name: 'M2', role: 'manager', teamId: 't2' },
  { id: 'm0', name: 'M0', role: 'manager', teamId: null },
  { id: 'r1', name: 'R1', role: 'rep', teamId: 't1' },
  { id: 'r2', name: 'R2', role: 'rep', teamId: 't1' },
  { id: 'r3', name: 'R3', role: 'rep', teamId: null },
  { id: 'tv', name: 'TV', role: 'display', teamId: null },
];

const holdings: Holding[] = [
  { ownerId: null, teamId: null },
  { ownerId: 'r1', teamId: 't1' },
  { ownerId: 'r3', teamId: null },
  { ownerId: 'm1', teamId: 't1' },
  { ownerId: 'r1', teamId: 't2' },
];

describe('socket rooms mirror the contact-visibility rule', () => {
  for (const lead of holdings) {
    for (const viewer of viewers) {
      it(`${viewer.id} on a lead held by ${lead.ownerId ?? 'the pool'} (${lead.teamId ?? 'no team'})`, () => {
        const joined = new Set(roomsOf(viewer));
        const seesWholeBySocket = contactRooms(lead).some((room) => joined.has(room));
        expect(seesWholeBySocket).toBe(canSeeContact(viewer, lead));
      });
    }
  }
});
