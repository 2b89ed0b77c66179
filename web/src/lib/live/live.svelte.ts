import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../realtime/contract.ts';
import { api, call } from '#lib/api/client.js';
import { handleError } from '#lib/utils/handle-error.js';
import { LiveSync, type EventsFetcher } from './live-sync.svelte.js';

const fetcher: EventsFetcher = {
  head: async () => (await call(api.events.head.$get())).last,
  since: (cursor) => call(api.events.$get({ query: { since: String(cursor), limit: '500' } })),
};

let instance: LiveSync | undefined;
let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
let unauthenticated = () => {};

/** What to do when the socket is refused because the session ended (set by the root layout). */
export function onLiveUnauthenticated(handler: () => void): void {
  unauthenticated = handler;
}

/** The app's one live connection, created and started on first use after sign-in. */
export function getLive(): LiveSync {
  if (!instance) {
    socket = io({ withCredentials: true, autoConnect: false });
    instance = new LiveSync({ socket, fetcher, onUnauthenticated: () => unauthenticated(), onError: handleError });
    void instance.start();
  }
  return instance;
}

/** The app's socket, for messages outside the event log (an import's progress). */
export function liveSocket(): Socket<ServerToClientEvents, ClientToServerEvents> | undefined {
  getLive();
  return socket;
}

/** The live connection, if one is open. */
export function currentLive(): LiveSync | undefined {
  return instance;
}

/** Sign-out: close the socket; the next sign-in starts a fresh cursor. */
export function stopLive(): void {
  instance?.stop();
  instance = undefined;
  socket = undefined;
}
