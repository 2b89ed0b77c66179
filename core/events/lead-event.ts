import type { LeadEventType } from '../../db/schema/index.ts';
import type { LeadView } from '../leads/lead-view.ts';

export type { LeadEventType };

export interface Actor {
  type: 'user' | 'rule' | 'system';
  id: string | null;
  name: string;
}

/** What each event type carries in `data`. */
export interface LeadEventData {
  /**
   * `possibleDuplicateOf`: leads with a similar company the creator saw and overrode, with their reason;
   * without a reason when an unattended door (booth form, intake API) created it and nobody has looked yet.
   * `note`: what the door carried besides the lead's fields (a booth visitor's product interest).
   */
  'lead.created': { lead: LeadView; possibleDuplicateOf?: { leadIds: number[]; reason?: string }; note?: string };
  'lead.claimed': { lead: LeadView };
  'lead.released': { lead: LeadView; reason: string; previousOwnerName: string | null };
}

/**
 * One entry of the event log, as `GET /api/events` returns it and the socket `event`
 * message carries it. Apply once: ignore `seq <= cursor`.
 */
export type LeadEvent = {
  [T in LeadEventType]: { seq: number; type: T; leadId: number; actor: Actor; at: string; data: LeadEventData[T] };
}[LeadEventType];

/** An appended event with who may see its contact data (never sent as is). */
export interface StoredEvent {
  event: LeadEvent;
  ownerId: string | null;
  teamId: string | null;
}

/** Hands committed events to whoever fans them out (the socket hub). */
export interface EventPublisher {
  publish(events: StoredEvent[]): void;
}

export function assertUnreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
