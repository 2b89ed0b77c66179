import type { LeadEvent } from '../../../../realtime/contract.ts';

/** The slice of a socket.io client the sync needs (injected, so tests need no browser). */
export interface LiveSocket {
  on(event: 'event', listener: (event: LeadEvent) => void): unknown;
  on(event: 'log.advanced', listener: (head: { seq: number }) => void): unknown;
  on(event: 'connect', listener: () => void): unknown;
  on(event: 'disconnect', listener: (reason: string) => void): unknown;
  on(event: 'connect_error', listener: (err: Error) => void): unknown;
  connect(): unknown;
  disconnect(): unknown;
}

export interface EventPage {
  events: LeadEvent[];
  last: number;
  more: boolean;
}

/** The HTTP side of the event log. `since` rejects with `{ status: 410 }` when the cursor expired. */
export interface EventsFetcher {
  head(): Promise<number>;
  since(cursor: number): Promise<EventPage>;
}

/** A screen's data that follows the log: apply batches of events, or reload from scratch. */
export interface LiveListener {
  apply(events: LeadEvent[]): void;
  reload(): void | Promise<void>;
}

/**
 * Keeps a screen's data on the log: its listener gets every batch, and its first load (`reload`)
 * runs once the cursor is known, so no event falls between. Returns the unsubscribe.
 */
export function followLog(live: LiveSync | undefined, listener: LiveListener): () => void {
  const unsubscribe = live?.subscribe(listener);
  void (live?.ready ?? Promise.resolve()).then(() => listener.reload());
  return () => unsubscribe?.();
}

export type ConnectionStatus = 'idle' | 'connecting' | 'online' | 'offline';

export interface LiveSyncOptions {
  socket: LiveSocket;
  fetcher: EventsFetcher;
  /** Events that arrive within this window reach the screens as one batch. */
  batchMs?: number;
  /** A seq gap waits this long (more events may fill it) before an HTTP catch-up. */
  gapDelayMs?: number;
  /** How long "reconnected" stays on the banner. */
  backBannerMs?: number;
  /** The socket was refused because the session ended. */
  onUnauthenticated?: () => void;
  onError?: (err: unknown) => void;
}

const isExpired = (err: unknown) => typeof err === 'object' && err !== null && (err as { status?: unknown }).status === 410;

/**
 * Keeps the screens in step with the event log (DESIGN.md "The event log is the spine").
 * It holds the last applied `seq`; on every (re)connect it buffers live events, catches up
 * over HTTP, then drains the buffer; each event is applied once, in seq order. A gap in
 * live seqs triggers a (debounced) catch-up; an expired cursor (410) reloads every screen.
 */
export class LiveSync {
  status = $state<ConnectionStatus>('idle');
  /** What the connection banner shows, if anything. */
  banner = $state<'lost' | 'back' | null>(null);

  #cursor = 0;
  #started = false;
  #wasOnline = false;
  #catchingUp = false;
  #catchUpAgain = false;
  #buffer: LeadEvent[] = [];
  #pending: LeadEvent[] = [];
  #listeners = new Set<LiveListener>();
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #gapTimer: ReturnType<typeof setTimeout> | undefined;
  #bannerTimer: ReturnType<typeof setTimeout> | undefined;
  #readyResolve!: () => void;
  readonly #opts: Required<Omit<LiveSyncOptions, 'onUnauthenticated' | 'onError'>> & Pick<LiveSyncOptions, 'onUnauthenticated' | 'onError'>;

  /** Resolves once the cursor is known: load snapshots after it, so no event falls between. */
  readonly ready: Promise<void>;

  constructor(options: LiveSyncOptions) {
    this.#opts = { batchMs: 80, gapDelayMs: 300, backBannerMs: 2500, ...options };
    this.ready = new Promise((resolve) => (this.#readyResolve = resolve));
    const { socket } = this.#opts;
    socket.on('event', (event) => this.#onLive(event));
    // A bulk write (an import) is announced once instead of event by event: catch up over HTTP.
    socket.on('log.advanced', ({ seq }) => {
      if (seq > this.#cursor && this.#started) this.#scheduleGapCatchUp();
    });
    socket.on('connect', () => this.#onConnect());
    socket.on('disconnect', (reason) => this.#onDisconnect(reason));
    socket.on('connect_error', (err) => this.#onConnectError(err));
  }

  /** The seq of the last event applied. */
  get cursor(): number {
    return this.#cursor;
  }

  subscribe(listener: LiveListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** First load: the cursor from the log's head, then the socket. */
  async start(): Promise<void> {
    if (this.#started) return this.ready;
    this.#started = true;
    this.status = 'connecting';
    try {
      this.#cursor = await this.#opts.fetcher.head();
    } catch (err) {
      this.#opts.onError?.(err);
    }
    this.#readyResolve();
    this.#opts.socket.connect();
  }

  stop(): void {
    this.#started = false;
    clearTimeout(this.#flushTimer);
    clearTimeout(this.#gapTimer);
    clearTimeout(this.#bannerTimer);
    this.#opts.socket.disconnect();
    this.status = 'idle';
    this.banner = null;
  }

  #onConnect() {
    this.status = 'online';
    if (this.#wasOnline || this.banner === 'lost') this.#showBack();
    this.#wasOnline = true;
    // Whatever happened while we were away is in the log; live events wait in the buffer.
    void this.catchUp();
  }

  #onDisconnect(reason: string) {
    if (!this.#started) return;
    this.status = 'offline';
    this.banner = 'lost';
    clearTimeout(this.#bannerTimer);
    // The server dropped us on purpose (e.g. the user changed): socket.io will not retry by itself.
    if (reason === 'io server disconnect') this.#opts.socket.connect();
  }

  #onConnectError(err: Error) {
    if (err.message === 'auth.unauthenticated') {
      this.stop();
      this.#opts.onUnauthenticated?.();
      return;
    }
    this.status = 'offline';
    if (this.#wasOnline) this.banner = 'lost';
  }

  #showBack() {
    this.banner = 'back';
    clearTimeout(this.#bannerTimer);
    this.#bannerTimer = setTimeout(() => {
      if (this.banner === 'back') this.banner = null;
    }, this.#opts.backBannerMs);
  }

  #onLive(event: LeadEvent) {
    if (event.seq <= this.#cursor) return;
    if (this.#catchingUp) {
      this.#buffer.push(event);
      return;
    }
    this.#buffer.push(event);
    this.#drainBuffer();
  }

  /** Applies buffered events that follow the cursor; on a gap, schedules a catch-up. */
  #drainBuffer() {
    this.#buffer.sort((a, b) => a.seq - b.seq);
    while (this.#buffer.length > 0) {
      const next = this.#buffer[0]!;
      if (next.seq <= this.#cursor) {
        this.#buffer.shift();
      } else if (next.seq === this.#cursor + 1) {
        this.#buffer.shift();
        this.#accept(next);
      } else {
        this.#scheduleGapCatchUp();
        return;
      }
    }
    // Late live events filled the gap: no catch-up needed.
    clearTimeout(this.#gapTimer);
  }

  #scheduleGapCatchUp() {
    clearTimeout(this.#gapTimer);
    this.#gapTimer = setTimeout(() => void this.catchUp(), this.#opts.gapDelayMs);
  }

  #accept(event: LeadEvent) {
    this.#cursor = event.seq;
    this.#pending.push(event);
    this.#flushTimer ??= setTimeout(() => this.flush(), this.#opts.batchMs);
  }

  /** Hands the pending batch to the screens now. */
  flush() {
    clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    if (this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    for (const listener of this.#listeners) listener.apply(batch);
  }

  /** Reads the log from the cursor until it is current, then drains the live buffer. */
  async catchUp(): Promise<void> {
    if (this.#catchingUp) {
      this.#catchUpAgain = true;
      return;
    }
    clearTimeout(this.#gapTimer);
    this.#catchingUp = true;
    try {
      do {
        this.#catchUpAgain = false;
        let more = true;
        while (more) {
          const page = await this.#opts.fetcher.since(this.#cursor);
          for (const event of page.events) if (event.seq > this.#cursor) this.#accept(event);
          // `last` counts events this viewer may not see, so the cursor moves past them too.
          this.#cursor = Math.max(this.#cursor, page.last);
          more = page.more;
        }
        this.flush();
      } while (this.#catchUpAgain);
    } catch (err) {
      if (isExpired(err)) {
        await this.#reloadAll().catch((e: unknown) => this.#opts.onError?.(e));
      } else {
        this.#opts.onError?.(err);
      }
    } finally {
      this.#catchingUp = false;
    }
    this.#drainBuffer();
    this.flush();
  }

  /** The cursor is too old to catch up: start over from the head, and every screen reloads. */
  async #reloadAll() {
    this.#pending = [];
    this.#cursor = await this.#opts.fetcher.head();
    await Promise.all([...this.#listeners].map((l) => l.reload()));
  }
}
