import { getSessionCookie } from 'better-auth/cookies';
import { LRUCache } from 'lru-cache';
import type { Viewer } from '../viewer.ts';
import { viewerFromHeaders, type Auth } from './auth.ts';

/** A cache entry is dropped on every node at once; this carries the drop between nodes. */
export type ViewerCacheDrop = { userId: string } | { session: string };

/**
 * Who is behind a session cookie, remembered for a short while: resolving a session costs two
 * queries and about 1.5 ms of CPU, and every request and socket pays it. A user's change or
 * sign-out drops their entries here and, through `broadcast`, on every other node.
 */
export class ViewerCache {
  readonly #entries = new LRUCache<string, Viewer>({ max: 20_000, ttl: 30_000 });
  /** Set by the hub: tells the other nodes to drop the same entries. */
  broadcast: (drop: ViewerCacheDrop) => void = () => {};
  readonly #auth: Auth;
  // Bumped by every drop: a lookup that overlapped a drop does not cache its (maybe stale) answer.
  #drops = 0;

  constructor(auth: Auth) {
    this.#auth = auth;
  }

  /** The signed-in, active user behind these headers, or null. */
  async resolve(headers: Headers): Promise<Viewer | null> {
    const session = getSessionCookie(headers);
    if (!session) return null;
    const known = this.#entries.get(session);
    if (known) return known;
    const dropsBefore = this.#drops;
    const viewer = await viewerFromHeaders(this.#auth, headers);
    if (viewer && dropsBefore === this.#drops) this.#entries.set(session, viewer);
    return viewer;
  }

  /** Drop entries here only (a drop received from another node). */
  apply(drop: ViewerCacheDrop): void {
    this.#drops++;
    if ('session' in drop) {
      this.#entries.delete(drop.session);
      return;
    }
    for (const [session, viewer] of this.#entries.entries()) {
      if (viewer.id === drop.userId) this.#entries.delete(session);
    }
  }

  /** Drop entries on every node. */
  drop(drop: ViewerCacheDrop): void {
    this.apply(drop);
    this.broadcast(drop);
  }

  /** The session behind these headers ended (sign-out). */
  signedOut(headers: Headers): void {
    const session = getSessionCookie(headers);
    if (session) this.drop({ session });
  }
}
