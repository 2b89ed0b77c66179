import { z } from 'zod';
import type { TelephonyAdapterRow } from '../../db/schema/index.ts';
import { AppError } from '../errors.ts';
import { fieldErrors } from '../field-errors.ts';
import { signatureHeader, signBody, verifyBody } from '../webhooks/signing.ts';
import { callResultInput, type CallResult, type PlaceCallRequest, type PostedResult, type TelephonyAdapter } from './telephony-adapter.ts';

/** How long the provider has to accept a click-to-call request. */
export const PLACE_TIMEOUT_MS = 10_000;
/** How far a result's signature time may be from ours, either way: older ones are replays. */
export const SIGNATURE_WINDOW_MS = 5 * 60_000;

const placedAnswer = z.object({ providerCallId: z.string().trim().min(1).max(200).optional() }).loose();

/**
 * The generic adapter (docs/telephony.md): click-to-call as a signed JSON POST to the provider's
 * URL, the result as a signed JSON POST back, both signed like our outbound webhooks.
 */
export class GenericHttpAdapter implements TelephonyAdapter {
  readonly provider = 'generic' as const;
  readonly #url: string | null;
  readonly #secret: string;

  constructor(settings: Pick<TelephonyAdapterRow, 'url' | 'secret'>) {
    this.#url = settings.url;
    this.#secret = settings.secret;
  }

  async placeCall(request: PlaceCallRequest, now: Date): Promise<{ providerCallId: string | null }> {
    if (!this.#url) throw new AppError('telephony.not_placed', { reason: 'unreachable' });
    const body = JSON.stringify({ type: 'call.place', ...request, requestedAt: now.toISOString() });
    let res: Response;
    try {
      res = await fetch(this.#url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Leadpool-Telephony/1', [signatureHeader]: signBody(this.#secret, body, now) },
        body,
        signal: AbortSignal.timeout(PLACE_TIMEOUT_MS),
      });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable';
      throw new AppError('telephony.not_placed', { reason });
    }
    const text = await res.text().catch(() => '');
    if (!res.ok) throw new AppError('telephony.not_placed', { reason: 'refused', status: res.status, response: text.slice(0, 500) });
    let answer: unknown = {};
    try {
      answer = text ? JSON.parse(text) : {};
    } catch {
      // A 2xx without JSON still took the call; its id comes with the result.
    }
    const parsed = placedAnswer.safeParse(answer);
    return { providerCallId: parsed.success ? (parsed.data.providerCallId ?? null) : null };
  }

  readResult(posted: PostedResult, now: Date): CallResult {
    const check = verifyBody(this.#secret, posted.headers.get(signatureHeader) ?? undefined, posted.body, now, SIGNATURE_WINDOW_MS);
    if (check === 'bad_signature') throw new AppError('telephony.bad_signature');
    if (check === 'expired') throw new AppError('telephony.signature_expired', { windowSeconds: SIGNATURE_WINDOW_MS / 1000 });
    let json: unknown;
    try {
      json = JSON.parse(posted.body);
    } catch {
      throw new AppError('request.malformed_json');
    }
    const parsed = callResultInput.safeParse(json);
    if (!parsed.success) throw new AppError('request.invalid', { fields: fieldErrors(parsed.error.issues) });
    return parsed.data;
  }
}
