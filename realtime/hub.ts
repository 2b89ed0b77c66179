import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { eventParties, eventPools, holdingOf, isPoolEvent, maskEvent } from '../core/events/event-log.ts';
import type { EventPublisher, StoredEvent } from '../core/events/lead-event.ts';
import type { Holding } from '../core/leads/visibility.ts';
import type { Delivered, NotificationPublisher } from '../core/notifications/notification.ts';
import type { PoolDirectory } from '../core/pools/pool-directory.ts';
import type { ViewerCache, ViewerCacheDrop } from '../core/users/viewer-cache.ts';
import type { Viewer } from '../core/viewer.ts';
import { handshakeErrors, type ClientToServerEvents, type ImportJobView, type ServerToClientEvents } from './contract.ts';
import { createNotesRelay, type NotesStore } from './notes.ts';
import { contactRooms, poolRooms, rooms, roomsOf } from './rooms.ts';
import { leadingThrottle } from './leading-throttle.ts';
import { createWallRelay, type WallStore } from './wall.ts';

type SocketData = { viewer: Viewer };
/** What nodes tell each other (through the Redis adapter). */
type InterServerEvents = {
  'viewers.drop': (drop: ViewerCacheDrop) => void;
  'pools.changed': () => void;
  'notes.holding': (change: { leadId: number; holding: Holding }) => void;
  'counters.moved': () => void;
};
export type Io = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type HubSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export interface Hub extends EventPublisher, NotificationPublisher {
  io: Io;
  /** An import's progress, to its importer's sockets. */
  importProgress(userId: string | null, job: ImportJobView): void;
  /** The log grew by a bulk write: every screen catches up once instead of receiving each event. */
  logAdvanced(seq: number): void;
  /** Disconnect a user's sockets on every node, so they re-authenticate (or cannot). */
  userChanged(userId: string): void;
  /** An admin changed a pool (this node's directory is reloaded): every node reloads its own and reconnects its sockets into the new pool rooms. */
  poolsChanged(): void;
  /** A wall screen was reconfigured or its token stopped working: its TVs follow (see realtime/wall.ts). */
  wallChanged(screenId: string, how: 'config' | 'revoked'): void;
  /** Events that move today's counters were committed here: the other nodes drop their kept leaderboards. */
  countersMoved(): void;
  close(): Promise<void>;
}

/**
 * The socket.io hub: authenticates the handshake from the session cookie, puts each socket in
 * the rooms its role allows, and fans committed events out — whole to the rooms allowed to see
 * contact data, masked to everyone else. With `redisUrl`, rooms (and the drops that keep every
 * node's viewer cache in step) span every node.
 */
export async function createHub(
  server: HttpServer,
  viewers: ViewerCache,
  pools: PoolDirectory,
  options: {
    redisUrl?: string;
    canView: (viewer: Viewer, leadId: number) => Promise<boolean>;
    notes: NotesStore;
    wall: WallStore;
    /** Another node committed events that move today's counters. */
    countersMovedElsewhere?: () => void;
  },
): Promise<Hub> {
  const { redisUrl } = options;
  const io: Io = new Server(server, { serveClient: false, connectionStateRecovery: undefined });
  const redisClients: { close(): Promise<unknown> }[] = [];
  if (redisUrl) {
    // Loaded only for several nodes: a single node has no use for them in memory.
    const [{ createAdapter }, { createClient }] = await Promise.all([import('@socket.io/redis-adapter'), import('redis')]);
    const pub = createClient({ url: redisUrl, RESP: 2 });
    const sub = pub.duplicate();
    await Promise.all([pub.connect(), sub.connect()]);
    redisClients.push(pub, sub);
    io.adapter(createAdapter(pub, sub));
  }

  // Other nodes exist only behind the Redis adapter; the in-memory one warns on every server-side emit.
  const toOtherNodes = (emit: () => void) => redisUrl && emit();
  viewers.broadcast = (drop) => toOtherNodes(() => io.serverSideEmit('viewers.drop', drop));
  io.on('viewers.drop', (drop) => viewers.apply(drop));
  // Sockets joined their pool rooms when they connected: reconnected, they join the new ones (and catch up).
  const rejoinPools = () => io.local.disconnectSockets(true);
  io.on('pools.changed', () => {
    pools.reload().then(rejoinPools, (err: unknown) => console.error('[hub] reloading pools', err));
  });
  io.on('counters.moved', () => options.countersMovedElsewhere?.());
  // A claim storm tells the other nodes once per 20 ms, the last change always included.
  const countersMoved = leadingThrottle(() => void io.serverSideEmit('counters.moved'), 20, (err) => console.error('[hub] counters.moved', err));
  const notes = createNotesRelay(io, options.notes);
  const wall = createWallRelay(io, options.wall);
  io.on('notes.holding', ({ leadId, holding }) => notes.recheck(leadId, holding));

  io.use(async (socket, next) => {
    const headers = new Headers();
    for (const [key, value] of Object.entries(socket.request.headers)) {
      if (typeof value === 'string') headers.set(key, value);
    }
    try {
      const viewer = await viewers.resolve(headers);
      if (!viewer) return next(new Error(handshakeErrors.unauthenticated));
      socket.data.viewer = viewer;
      next();
    } catch (err) {
      next(err as Error);
    }
  });
  // Presence: who has a lead's page open, across nodes (fetchSockets asks every node), each person once.
  const presence = async (leadId: number) => {
    const sockets = await io.in(rooms.watching(leadId)).fetchSockets();
    const people = new Map(sockets.map((s) => [s.data.viewer.id, s.data.viewer.name]));
    io.to(rooms.watching(leadId)).emit('lead.presence', { leadId, viewers: [...people].map(([id, name]) => ({ id, name })) });
  };
  const tell = (leadId: number) => void presence(leadId).catch((err: unknown) => console.error('[hub] presence', err));
  const watchedBy = (socket: { rooms: Set<string> }) => [...socket.rooms].flatMap((r) => (r.startsWith('watch:') ? [Number(r.slice(6))] : []));

  io.on('connection', (socket) => {
    socket.join(roomsOf(socket.data.viewer));
    notes.attach(socket);
    // Watches still checking the lead's visibility: an unwatch arriving meanwhile cancels the join.
    const checking = new Set<number>();
    socket.on('lead.watch', async (request, ack) => {
      const leadId = Number(request?.leadId);
      const answer = typeof ack === 'function' ? ack : () => {};
      if (!Number.isSafeInteger(leadId) || leadId <= 0) return answer({ ok: false, code: 'request.invalid' });
      checking.add(leadId);
      const visible = await options.canView(socket.data.viewer, leadId).catch(() => false);
      if (!checking.delete(leadId) || !socket.connected) return answer({ ok: true });
      if (!visible) return answer({ ok: false, code: 'lead.not_visible' });
      socket.join(rooms.watching(leadId));
      answer({ ok: true });
      tell(leadId);
    });
    socket.on('lead.unwatch', (request) => {
      const leadId = Number(request?.leadId);
      checking.delete(leadId);
      if (!socket.rooms.has(rooms.watching(leadId))) return;
      socket.leave(rooms.watching(leadId));
      tell(leadId);
    });
    // Gone (tab closed, network lost): the others watching see it leave once its rooms are left.
    socket.on('disconnecting', () => {
      const leads = watchedBy(socket);
      if (leads.length > 0) setImmediate(() => leads.forEach(tell));
    });
  });

  return {
    io,
    publish(events: StoredEvent[]) {
      for (const stored of events) {
        const { event } = stored;
        const holding = holdingOf(stored);
        const whole = contactRooms(holding);
        io.to(whole).emit('event', event);
        const others = [...(isPoolEvent(event) ? eventPools(stored).flatMap(poolRooms) : []), ...eventParties(event).map(rooms.user)];
        if (others.length > 0) io.to(others).except(whole).emit('event', maskEvent(event));
        notes.holdingChanged(event, holding, toOtherNodes);
      }
      wall.published(events);
    },
    notify(delivered: Delivered[]) {
      for (const { userId, notification } of delivered) io.to(rooms.user(userId)).emit('notification', notification);
    },
    readChanged(userId, unread) {
      io.to(rooms.user(userId)).emit('notifications.read', { unread });
    },
    importProgress(userId, job) {
      if (userId) io.to(rooms.user(userId)).emit('import.progress', job);
    },
    logAdvanced(seq) {
      io.to(rooms.all).emit('log.advanced', { seq });
      wall.logAdvanced();
    },
    wallChanged: (screenId, how) => wall.changed(screenId, how),
    poolsChanged() {
      toOtherNodes(() => io.serverSideEmit('pools.changed'));
      rejoinPools();
    },
    countersMoved() {
      toOtherNodes(countersMoved.ask);
    },
    userChanged(userId) {
      viewers.drop({ userId });
      io.in(rooms.user(userId)).disconnectSockets(true);
    },
    async close() {
      countersMoved.close();
      wall.close();
      await io.close();
      await Promise.all(redisClients.map((c) => c.close().catch(() => undefined)));
    },
  };
}
