import { io, type Socket } from 'socket.io-client';
import { ApiError } from '#lib/api/client.js';
import { wallNamespace, type WallCelebration, type WallClientToServerEvents, type WallServerToClientEvents, type WallState } from '../../../../realtime/contract.ts';
import { fetchWallState } from './wall-api.js';

type WallSocket = Socket<WallServerToClientEvents, WallClientToServerEvents>;
export type WallScene = WallState['screen']['scenes'][number];

/** How long a celebration interrupts the scenes. */
export const CELEBRATION_MS = 6_000;
/** Celebrations waiting their turn at most (a burst of wins shows the newest few). */
const QUEUE_MAX = 5;
/** Deals already celebrated, remembered so a catch-up does not celebrate them twice. */
const CELEBRATED_MAX = 50;

/**
 * One wall screen's live state: the scenes' data from `GET /api/wall/state` and then `wall.state`
 * pushes, the scene on show (rotating every `rotateSeconds`), the celebration on show, and the
 * connection. On every (re)connect it reads the state again over HTTP (the catch-up), and celebrates
 * the wins it missed while away. A revoked or replaced token ends it (`signedOut`).
 */
export class WallScreen {
  state = $state.raw<WallState | null>(null);
  connection = $state<'connecting' | 'live' | 'lost'>('connecting');
  /** Why the screen cannot show: its token was refused. */
  signedOut = $state<string | null>(null);
  celebration = $state.raw<WallCelebration | null>(null);
  /** Index of the scene on show, and a counter that changes at each rotation (restarts the progress bar). */
  sceneIndex = $state(0);
  turn = $state(0);

  readonly #token: string;
  #socket: WallSocket | undefined;
  #rotation: ReturnType<typeof setTimeout> | undefined;
  #celebrationTimer: ReturnType<typeof setTimeout> | undefined;
  #queue: WallCelebration[] = [];
  #celebrated: number[] = [];
  #everConnected = false;
  #stopped = false;
  readonly #onCelebrate: (c: WallCelebration) => void;

  constructor(token: string, options: { onCelebrate?: (c: WallCelebration) => void } = {}) {
    this.#token = token;
    this.#onCelebrate = options.onCelebrate ?? (() => {});
  }

  get scenes(): WallScene[] {
    return this.state?.screen.scenes ?? [];
  }

  get scene(): WallScene | undefined {
    const scenes = this.scenes;
    return scenes[this.sceneIndex % Math.max(1, scenes.length)];
  }

  start(): void {
    const socket: WallSocket = io(wallNamespace, { auth: { token: this.#token }, reconnectionDelayMax: 10_000 });
    this.#socket = socket;
    socket.on('connect', () => {
      this.connection = 'live';
      const catchingUp = this.#everConnected;
      this.#everConnected = true;
      void this.#refresh(catchingUp);
    });
    socket.on('disconnect', (reason) => {
      if (this.#stopped) return;
      this.connection = 'lost';
      // The server let go (token revoked or replaced): ask why; a live token reconnects by hand.
      if (reason === 'io server disconnect') void this.#refresh(false).then(() => this.signedOut === null && socket.connect());
    });
    socket.on('connect_error', (err) => {
      this.connection = 'lost';
      // Refused by the server (not a network failure): the token no longer opens the wall.
      if (!socket.active) this.signedOut = err.message;
    });
    socket.on('wall.state', (state) => this.#apply(state));
    socket.on('wall.celebrate', (c) => this.#celebrate(c));
    this.#scheduleRotation();
  }

  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#rotation);
    clearTimeout(this.#celebrationTimer);
    this.#socket?.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = undefined;
  }

  async #refresh(catchingUp: boolean): Promise<void> {
    try {
      const state = await fetchWallState(this.#token);
      if (catchingUp) this.#celebrateMissed(state);
      this.#apply(state, true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) this.signedOut = err.code;
      // Otherwise the network again: the socket's reconnect brings another refresh.
    }
  }

  /** A newer state replaces the shown one (an HTTP answer may arrive after a fresher push). */
  #apply(state: WallState, fromFetch = false): void {
    const current = this.state;
    if (current && fromFetch && state.seq < current.seq) return;
    const wasEmpty = current === null;
    this.state = state;
    for (const win of state.wins ?? []) this.#remember(win.dealId);
    if (wasEmpty) this.#scheduleRotation();
  }

  #celebrateMissed(state: WallState): void {
    const missed = (state.wins ?? []).filter((w) => !this.#celebrated.includes(w.dealId));
    // The wins list is newest first: celebrate the missed ones oldest first, the newest few only.
    for (const win of missed.slice(0, QUEUE_MAX).reverse()) this.#celebrate({ dealId: win.dealId, repName: win.repName, company: win.company, amount: win.amount });
  }

  #remember(dealId: number): void {
    if (this.#celebrated.includes(dealId)) return;
    this.#celebrated.push(dealId);
    if (this.#celebrated.length > CELEBRATED_MAX) this.#celebrated.splice(0, this.#celebrated.length - CELEBRATED_MAX);
  }

  #celebrate(c: WallCelebration): void {
    if (this.celebration?.dealId === c.dealId || this.#queue.some((q) => q.dealId === c.dealId)) return;
    this.#remember(c.dealId);
    this.#queue.push(c);
    if (this.#queue.length > QUEUE_MAX) this.#queue.shift();
    if (!this.celebration) this.#nextCelebration();
  }

  #nextCelebration(): void {
    const next = this.#queue.shift() ?? null;
    this.celebration = next;
    if (!next) return;
    this.#onCelebrate(next);
    this.#celebrationTimer = setTimeout(() => this.#nextCelebration(), CELEBRATION_MS);
  }

  #scheduleRotation(): void {
    clearTimeout(this.#rotation);
    if (this.#stopped || !this.state) return;
    this.#rotation = setTimeout(() => {
      // A celebration pauses the rotation: the scene it interrupted comes back whole.
      if (!this.celebration) {
        this.sceneIndex = (this.sceneIndex + 1) % Math.max(1, this.scenes.length);
        this.turn++;
      }
      this.#scheduleRotation();
    }, this.state.screen.rotateSeconds * 1000);
  }
}
