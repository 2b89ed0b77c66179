import { getSessionCookie } from 'better-auth/cookies';
import { LRUCache } from 'lru-cache';
import type { PoolDirectory } from '../pools/pool-directory.ts';
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
  readonly #entries = new LRUCache<string, Omit<Viewer, 'pools'>>({ max: 20_000, ttl: 30_000 });
  /** Set by the hub: tells the other nodes to drop the same entries. */
  broadcast: (drop: ViewerCacheDrop) => void = () => {};
  readonly #auth: Auth;
  readonly #pools: PoolDirectory;
  // Bumped by every drop: a lookup that overlapped a drop does not cache its (maybe stale) answer.
  #drops = 0;

  constructor(auth: Auth, pools: PoolDirectory) {
    this.#auth = auth;
    this.#pools = pools;
  }

  /** The signed-in, active user behind these headers, or null; their pools as of now. */
  async resolve(headers: Headers): Promise<Viewer | null> {
    const session = getSessionCookie(headers);
    if (!session) return null;
    let user = this.#entries.get(session);
    if (!user) {
      const dropsBefore = this.#drops;
      user = (await viewerFromHeaders(this.#auth, headers)) ?? undefined;
      if (!user) return null;
      if (dropsBefore === this.#drops) this.#entries.set(session, user);
    }
    return { ...user, pools: this.#pools.accessFor(user) };
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
