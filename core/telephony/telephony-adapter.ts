import { z } from 'zod';
import { providerStatuses, type TelephonyProvider } from '../../db/schema/index.ts';

/** What we ask a provider to do when a rep presses Call: ring the rep, then the customer. */
export interface PlaceCallRequest {
  /** Our call id: the provider sends it back with the result. */
  callId: number;
  leadId: number;
  /** The customer's number in E.164 (+8613912345678). */
  to: string;
  rep: { id: string; name: string; email: string };
  /** Where the provider posts the call's result. */
  resultUrl: string;
}

/** How a call the provider placed went, as every adapter reports it to the core. */
export const callResultInput = z.strictObject({
  callId: z.number().int().positive(),
  providerCallId: z.string().trim().min(1).max(200),
  status: z.enum(providerStatuses),
  durationSeconds: z.number().int().min(0).max(24 * 3600),
  startedAt: z.iso.datetime({ offset: true }).optional(),
  endedAt: z.iso.datetime({ offset: true }).optional(),
  /** Where the recording can be fetched (http or https; a signed or short-lived URL is fine). */
  recordingUrl: z.url({ protocol: /^https?$/ }).max(4000).optional(),
});
export type CallResult = z.infer<typeof callResultInput>;

/** The raw request a provider posted: an adapter authenticates and reads it. */
export interface PostedResult {
  headers: Headers;
  body: string;
}

/**
 * A call-centre provider. An adapter translates between the provider's wire format and ours; the
 * core (telephony.usecases.ts) does the rest: the call record, outcomes, events and recordings.
 */
export interface TelephonyAdapter {
  readonly provider: TelephonyProvider;
  /**
   * Asks the provider to place the call; answers the provider's call id when it gives one at once.
   * Throws `telephony.not_placed` (with `reason`: refused, timeout or unreachable) when it does not take it.
   */
  placeCall(request: PlaceCallRequest, now: Date): Promise<{ providerCallId: string | null }>;
  /**
   * Authenticates a result the provider posted (`telephony.bad_signature`, `telephony.signature_expired`)
   * and reads it (`request.malformed_json`, `request.invalid`).
   */
  readResult(posted: PostedResult, now: Date): CallResult;
}
