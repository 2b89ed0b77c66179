import type { CallView, LeadEvent } from '#lib/api/types.js';

/** Timeline entries that carry a call as it was after they happened. */
export type CallEvent = Extract<LeadEvent, { type: 'lead.called' | 'lead.call_recorded' }>;

export const isCallEvent = (event: LeadEvent): event is CallEvent => event.type === 'lead.called' || event.type === 'lead.call_recorded';

/** Each ended call as its newest entry (of `events`, oldest first) shows it, by call id. */
export function latestCalls(events: readonly LeadEvent[]): Map<number, { seq: number; call: CallView }> {
  return new Map(events.filter(isCallEvent).map((e) => [e.data.call.id, { seq: e.seq, call: e.data.call }]));
}

/** The call centre ended this call and its caller has not logged it yet. */
export const awaitsLog = (call: CallView): boolean => call.loggedAt === null && call.providerStatus !== null && call.providerStatus !== 'not_placed';
