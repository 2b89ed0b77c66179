import type { CollisionStatus, LeadEventType } from '../../db/schema/index.ts';

/** How and when a rep first touched the customer, from the event log: the evidence a manager weighs. */
export interface FirstTouch {
  userId: string | null;
  name: string | null;
  /** The first event this rep caused on the lead (created, claimed, …), or null if none. */
  firstAt: string | null;
  firstType: LeadEventType | null;
  /** How many events on the lead this rep caused. */
  activities: number;
}

/** A collision request (撞单申诉) as the API and the event log carry it. */
export interface CollisionView {
  id: number;
  leadId: number;
  company: string;
  requesterId: string;
  requesterName: string;
  ownerId: string | null;
  ownerName: string | null;
  teamId: string | null;
  note: string;
  status: CollisionStatus;
  decidedBy: string | null;
  decidedByName: string | null;
  decisionNote: string | null;
  createdAt: string;
  decidedAt: string | null;
  evidence: { owner: FirstTouch; requester: FirstTouch };
}

/** The people a collision concerns beyond those who see the lead: told live of its events. */
export const collisionParties = (collision: CollisionView, previousOwnerId: string | null = null): string[] =>
  [collision.requesterId, collision.ownerId, previousOwnerId].filter((id): id is string => id !== null);
