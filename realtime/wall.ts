import type { Namespace } from 'socket.io';
import type { WallScreen } from '../db/schema/index.ts';
import { AppError } from '../core/errors.ts';
import type { LeadEventType, StoredEvent } from '../core/events/lead-event.ts';
import { shownName, type WallState } from '../core/wall/wall-view.ts';
import { wallNamespace, type WallClientToServerEvents, type WallServerToClientEvents } from './contract.ts';
import type { Io } from './hub.ts';
import { leadingThrottle } from './leading-throttle.ts';

/** What the wall relay needs from core: the screen a token opens, screens as configured now, and their states. */
export interface WallStore {
  authenticate(token: string | undefined): Promise<WallScreen>;
  live(ids: string[]): Promise<WallScreen[]>;
  states(screens: WallScreen[]): Promise<Map<string, WallState>>;
}

type WallSocketData = { screenId: string };
type WallNamespace = Namespace<WallClientToServerEvents, WallServerToClientEvents, Record<never, never>, WallSocketData>;

export const wallRoom = (screenId: string) => `wall:${screenId}`;

/** The events that move a wall's figures: claims and the pool, calls, stages, wins, new leads. */
const moving = new Set<LeadEventType>([
  'lead.created',
  'lead.claimed',
  'lead.released',
  'lead.recycled',
  'lead.assigned',
  'lead.moved',
  'lead.merged',
  'lead.called',
  'lead.stage_changed',
  'deal.won',
]);

export interface WallRelay {
  /** Committed events (on this node): the screens are recomputed soon, and a won deal is celebrated now. */
  published(events: StoredEvent[]): void;
  /** The log grew by a bulk write: recompute soon. */
  logAdvanced(): void;
  /** A screen was reconfigured (its TVs get the new state soon) or its token stopped working (its TVs are disconnected, on every node). */
  changed(screenId: string, how: 'config' | 'revoked'): void;
  close(): void;
}

/**
 * The wall screens' namespace: a TV's socket authenticates with its display token alone and joins only
 * its screen's room (it is not in the app's namespace, so it hears nothing of the app's rooms). Events
 * mark the walls dirty; at most once per `intervalMs` the node that published them computes every
 * connected screen's state, once per distinct scope, and pushes it to the screens' rooms on every node.
 */
export function createWallRelay(io: Io, store: WallStore, options: { intervalMs?: number } = {}): WallRelay {
  const intervalMs = options.intervalMs ?? 500;
  // io.of() is typed with the app namespace's events; the wall's namespace speaks its own contract.
  const ns = io.of(wallNamespace) as unknown as WallNamespace;
  const fail = (err: unknown) => console.error('[wall]', err);

  ns.use((socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    store.authenticate(typeof token === 'string' ? token : undefined).then(
      (screen) => {
        socket.data.screenId = screen.id;
        next();
      },
      (err: unknown) => next(new Error(err instanceof AppError ? err.code : 'wall.unauthenticated')),
    );
  });
  ns.on('connection', (socket) => void socket.join(wallRoom(socket.data.screenId)));

  // The screens connected to any node, as configured now.
  const connectedScreens = async () => {
    const sockets = await ns.fetchSockets();
    return store.live([...new Set(sockets.map((s) => s.data.screenId))]);
  };

  // Throttled, not debounced: the first change after a quiet spell goes out at once, a busy floor every intervalMs.
  const recompute = leadingThrottle(
    async () => {
      const screens = await connectedScreens();
      const states = await store.states(screens);
      for (const [screenId, state] of states) ns.to(wallRoom(screenId)).emit('wall.state', state);
    },
    intervalMs,
    fail,
  );
  const markDirty = () => recompute.ask();

  async function celebrate(won: StoredEvent[]) {
    const screens = await connectedScreens();
    for (const { event, teamId } of won) {
      if (event.type !== 'deal.won') continue;
      const { deal, lead } = event.data;
      for (const screen of screens) {
        if (screen.teamId !== null && screen.teamId !== teamId) continue;
        ns.to(wallRoom(screen.id)).emit('wall.celebrate', { dealId: deal.id, repName: shownName(deal.ownerName, screen.maskNames), company: lead.company, amount: deal.amount });
      }
    }
  }

  return {
    published(events) {
      if (!events.some((e) => moving.has(e.event.type))) return;
      const won = events.filter((e) => e.event.type === 'deal.won');
      if (won.length > 0) celebrate(won).catch(fail);
      markDirty();
    },
    logAdvanced: markDirty,
    changed(screenId, how) {
      if (how === 'revoked') ns.in(wallRoom(screenId)).disconnectSockets(true);
      else markDirty();
    },
    close() {
      recompute.close();
    },
  };
}
