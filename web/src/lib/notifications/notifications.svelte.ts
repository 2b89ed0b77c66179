import type { Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../realtime/contract.ts';
import { api, call } from '#lib/api/client.js';
import type { NotificationView } from '#lib/api/types.js';
import { session } from '#lib/session/session.svelte.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { clock } from '#lib/utils/clock.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { notificationText } from './notification-text.js';

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

const PAGE = 20;

/** The signed-in person's notification centre: the newest page, the unread count, kept live. */
export class NotificationCentre {
  items = $state.raw<NotificationView[]>([]);
  unread = $state(0);
  more = $state(false);
  loading = $state(false);
  readonly #socket: LiveSocket | undefined;

  constructor(socket: LiveSocket | undefined) {
    this.#socket = socket;
  }

  /** Loads the first page and follows the socket; a reconnect reloads (what arrived meanwhile). Returns the stop. */
  start(): () => void {
    const socket = this.#socket;
    const arrived = (n: NotificationView) => this.arrive(n);
    const read = ({ unread }: { unread: number }) => this.readElsewhere(unread);
    const reconnected = () => void this.load();
    socket?.on('notification', arrived);
    socket?.on('notifications.read', read);
    socket?.on('connect', reconnected);
    void this.load();
    return () => {
      socket?.off('notification', arrived);
      socket?.off('notifications.read', read);
      socket?.off('connect', reconnected);
    };
  }

  /** The newest page afresh. */
  load(): Promise<void> {
    return this.#fetch();
  }

  /** The page older than the last one shown. */
  loadMore(): Promise<void> {
    const last = this.items.at(-1);
    return last && !this.loading ? this.#fetch(last.id) : Promise.resolve();
  }

  async #fetch(before?: number): Promise<void> {
    this.loading = true;
    try {
      const page = await call(api.notifications.$get({ query: { limit: String(PAGE), ...(before ? { before: String(before) } : {}) } }));
      this.items = before ? [...this.items, ...page.items.filter((n) => !this.items.some((i) => i.id === n.id))] : page.items;
      this.more = page.more;
      this.unread = page.unread;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  /** A new one, live: on top, counted, and said in a toast. */
  arrive(n: NotificationView): void {
    if (this.items.some((i) => i.id === n.id)) return;
    this.items = [n, ...this.items];
    if (n.readAt === null) this.unread += 1;
    toasts.show(notificationText(n, clock.now, session.user?.id ?? null), 'info', 6000);
  }

  /** Read in another tab: the count follows; the list catches up on its next load. */
  readElsewhere(unread: number): void {
    this.unread = unread;
    if (unread === 0) this.items = this.items.map((n) => (n.readAt ? n : { ...n, readAt: new Date().toISOString() }));
  }

  /** Marks the given notifications (or all) read. */
  async markRead(ids?: number[]): Promise<void> {
    const wanted = ids?.filter((id) => this.items.some((n) => n.id === id && n.readAt === null));
    if (ids && wanted?.length === 0) return;
    try {
      const { unread } = await call(api.notifications.read.$post({ json: wanted ? { ids: wanted } : {} }));
      const at = new Date().toISOString();
      this.items = this.items.map((n) => (n.readAt === null && (!wanted || wanted.includes(n.id)) ? { ...n, readAt: at } : n));
      this.unread = unread;
    } catch (err) {
      handleError(err);
    }
  }
}
