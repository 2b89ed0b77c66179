import type { Context } from 'hono';
import { getConnInfo } from '@hono/node-server/conninfo';

/** Settings of the doors strangers use: the booth QR form and the intake API. */
export interface DoorSettings {
  /** Booth form submissions per minute per client address (0: no limit). */
  boothPerMinute: number;
  /** Behind a reverse proxy: take the client's address from X-Forwarded-For and the origin from X-Forwarded-Proto/Host. */
  trustProxy: boolean;
  /** The app's public address for the booth QR code; without it, the address the admin's request came to. */
  publicUrl?: string;
}

/** The client's address: the socket's, or the one the trusted proxy saw (the last X-Forwarded-For entry). */
export function clientAddress(c: Context, settings: DoorSettings): string {
  const forwarded = settings.trustProxy ? c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim() : undefined;
  if (forwarded) return forwarded;
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/** Where people reach the app: PUBLIC_URL, or the origin of this request (as the proxy forwarded it, when trusted). */
export function publicOrigin(c: Context, settings: DoorSettings): string {
  if (settings.publicUrl) return settings.publicUrl.replace(/\/+$/, '');
  const url = new URL(c.req.url);
  const proto = settings.trustProxy ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() : undefined;
  const host = settings.trustProxy ? c.req.header('x-forwarded-host')?.split(',')[0]?.trim() : undefined;
  return `${proto ?? url.protocol.replace(/:$/, '')}://${host ?? url.host}`;
}
