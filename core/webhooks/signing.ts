import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The header carrying a signed body: `t=<ms since epoch>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>` (Stripe-style). */
export const signatureHeader = 'x-leadpool-signature';

/** A fresh signing secret (24 random bytes, base64url). */
export const newSecret = () => randomBytes(24).toString('base64url');

export const hmacSha256 = (key: string, text: string) => createHmac('sha256', key).update(text).digest();

/** The signature header's value for `body` sent at `now`. */
export function signBody(secret: string, body: string, now: Date): string {
  const t = String(now.getTime());
  return `t=${t},v1=${hmacSha256(secret, `${t}.${body}`).toString('hex')}`;
}

export type SignatureCheck = 'ok' | 'bad_signature' | 'expired';

/**
 * Checks a signature header against the body: the HMAC compared in constant time, and its time
 * within `windowMs` of `now` either way (a captured request replayed later is refused).
 */
export function verifyBody(secret: string, header: string | undefined, body: string, now: Date, windowMs: number): SignatureCheck {
  const match = /^t=(\d{1,15}),v1=([0-9a-f]{64})$/.exec(header?.trim() ?? '');
  if (!match) return 'bad_signature';
  const [, t, v1] = match as unknown as [string, string, string];
  const expected = hmacSha256(secret, `${t}.${body}`);
  if (!timingSafeEqual(expected, Buffer.from(v1, 'hex'))) return 'bad_signature';
  return Math.abs(now.getTime() - Number(t)) <= windowMs ? 'ok' : 'expired';
}
