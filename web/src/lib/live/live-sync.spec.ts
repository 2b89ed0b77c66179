import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { LeadEvent } from '#lib/api/types.js';
import { leadView } from '#lib/testing/lead-view.fixture.js';
import { LiveSync, type EventPage, type EventsFetcher, type LiveSocket } from './live-sync.svelte.js';

const lead = (id: number) => leadView(id, { company: `Co ${id}`, contactMasked: true });
const ev = (seq: number, leadId = seq): LeadEvent => ({
  seq, type: 'lead.created', leadId, actor: { type: 'user', id: 'u', name: 'U' }, at: '2026-01-01T00:00:00.000Z', data: { lead: lead(leadId) },
});

/** A socket whose server side the test drives. */
class FakeSocket implements LiveSocket {
  handlers: Record<string, ((arg: never) => void)[]> = {};
  connects = 0;
  on(name: string, fn: (arg: never) => void) {
    (this.handlers[name] ??= []).push(fn);
    return this;
  }
  emit(name: string, arg?: unknown) {
    for (const fn of this.handlers[name] ?? []) (fn as (a: unknown) => void)(arg);
  }
  connect() {
    this.connects += 1;
  }
  disconnect() {}
}

/** The log on the server: `since` serves pages from it. */
function fakeLog(events: LeadEvent[], pageSize = 100) {
  const calls: number[] = [];
  let expired = false;
  const fetcher: EventsFetcher = {
    head: async () => events.at(-1)?.seq ?? 0,
    since: async (cursor): Promise<EventPage> => {
      calls.push(cursor);
      if (expired) throw Object.assign(new Error('expired'), { status: 410 });
      const after = events.filter((e) => e.seq > cursor);
      const page = after.slice(0, pageSize);
      return { events: page, last: page.at(-1)?.seq ?? cursor, more: after.length > pageSize };
    },
  };
  return { fetcher, calls, events, expire: () => (expired = true) };
}

async function setup(log: ReturnType<typeof fakeLog>) {
  const socket = new FakeSocket();
  const sync = new LiveSync({ socket, fetcher: log.fetcher, batchMs: 10, gapDelayMs: 50 });
  const applied: number[][] = [];
  const reload = vi.fn();
  sync.subscribe({ apply: (events) => applied.push(events.map((e) => e.seq)), reload });
  await sync.start();
  socket.emit('connect');
  await vi.runAllTimersAsync();
  return { socket, sync, applied, reload, seqs: () => applied.flat() };
}

describe('LiveSync', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('starts its cursor at the head of the log and applies nothing old', async () => {
    const log = fakeLog([ev(1), ev(2), ev(3)]);
    const { sync, seqs } = await setup(log);
    expect(sync.cursor).toBe(3);
    expect(seqs()).toEqual([]);
  });

  it('catches up once over HTTP when a bulk write (an import) announces the log advanced', async () => {
    const log = fakeLog([ev(1)]);
    const { socket, sync, seqs, reload } = await setup(log);
    log.events.push(...Array.from({ length: 250 }, (_, i) => ev(i + 2)));
    socket.emit('log.advanced', { seq: 251 });
    await vi.runAllTimersAsync();
    expect(sync.cursor).toBe(251);
    expect(seqs()).toHaveLength(250);
    // Announced again after it caught up: nothing to do.
    const calls = log.calls.length;
    socket.emit('log.advanced', { seq: 251 });
    await vi.runAllTimersAsync();
    expect(log.calls.length).toBe(calls);
    // Within the catch-up window: paged, not a full reload.
    expect(reload).not.toHaveBeenCalled();
  });

  it('applies each event once, in batches, ignoring duplicates', async () => {
    const log = fakeLog([ev(1)]);
    const { socket, sync, applied, seqs } = await setup(log);
    log.events.push(ev(2), ev(3));
    socket.emit('event', ev(2));
    socket.emit('event', ev(3));
    socket.emit('event', ev(2));
    await vi.advanceTimersByTimeAsync(20);
    expect(applied).toEqual([[2, 3]]);
    socket.emit('event', ev(3));
    socket.emit('event', ev(1));
    await vi.advanceTimersByTimeAsync(20);
    expect(seqs()).toEqual([2, 3]);
    expect(sync.cursor).toBe(3);
  });

  it('on a gap, catches up over HTTP and applies in seq order', async () => {
    const log = fakeLog([ev(1)]);
    const { socket, sync, seqs, } = await setup(log);
    log.events.push(ev(2), ev(3), ev(4));
    socket.emit('event', ev(4)); // 2 and 3 never arrive live
    await vi.advanceTimersByTimeAsync(20);
    expect(seqs()).toEqual([]); // held back until the gap is filled
    await vi.advanceTimersByTimeAsync(100);
    expect(seqs()).toEqual([2, 3, 4]);
    expect(sync.cursor).toBe(4);
  });

  it('fills a gap from live events that arrive out of order without asking HTTP', async () => {
    const log = fakeLog([ev(1)]);
    const { socket, seqs } = await setup(log);
    const before = log.calls.length;
    log.events.push(ev(2), ev(3));
    socket.emit('event', ev(3));
    socket.emit('event', ev(2));
    await vi.advanceTimersByTimeAsync(200);
    expect(seqs()).toEqual([2, 3]);
    expect(log.calls.length).toBe(before);
  });

  it('on reconnect, shows the banner, catches up (paging while more) and then drains the buffered live events', async () => {
    const log = fakeLog([ev(1)], 2);
    const { socket, sync, seqs } = await setup(log);
    socket.emit('disconnect', 'transport close');
    expect(sync.status).toBe('offline');
    expect(sync.banner).toBe('lost');
    log.events.push(ev(2), ev(3), ev(4), ev(5), ev(6));
    socket.emit('connect');
    // Live events that arrive during the catch-up wait in the buffer.
    log.events.push(ev(7));
    socket.emit('event', ev(7));
    socket.emit('event', ev(5));
    await vi.advanceTimersByTimeAsync(20);
    expect(seqs()).toEqual([2, 3, 4, 5, 6, 7]);
    expect(sync.banner).toBe('back');
    await vi.advanceTimersByTimeAsync(5000);
    expect(sync.banner).toBe(null);
  });

  it('moves the cursor past events the viewer may not see', async () => {
    const log = fakeLog([ev(1)]);
    const { socket, sync } = await setup(log);
    log.events.push(ev(2), ev(3));
    // Seq 2 is someone's private event: the log's page skips it but `last` covers it.
    const since = log.fetcher.since;
    log.fetcher.since = async (cursor) => {
      const page = await since(cursor);
      return { ...page, events: page.events.filter((e) => e.seq !== 2) };
    };
    socket.emit('event', ev(3));
    await vi.advanceTimersByTimeAsync(200);
    expect(sync.cursor).toBe(3);
  });

  it('on 410 reloads every screen from a fresh head', async () => {
    const log = fakeLog([ev(1)]);
    const { socket, sync, reload, seqs } = await setup(log);
    socket.emit('disconnect', 'transport close');
    log.events.push(ev(2), ev(3));
    log.expire();
    socket.emit('connect');
    await vi.advanceTimersByTimeAsync(50);
    expect(reload).toHaveBeenCalledTimes(1);
    expect(sync.cursor).toBe(3);
    expect(seqs()).toEqual([]);
    // Later live events continue from the new head.
    socket.emit('event', ev(4));
    await vi.advanceTimersByTimeAsync(20);
    expect(seqs()).toEqual([4]);
  });

  it('reconnects by itself when the server dropped it, and reports a refused (signed-out) socket', async () => {
    const log = fakeLog([]);
    const socket = new FakeSocket();
    const onUnauthenticated = vi.fn();
    const sync = new LiveSync({ socket, fetcher: log.fetcher, onUnauthenticated });
    await sync.start();
    expect(socket.connects).toBe(1);
    socket.emit('disconnect', 'io server disconnect');
    expect(socket.connects).toBe(2);
    socket.emit('connect_error', new Error('auth.unauthenticated'));
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
    expect(sync.status).toBe('idle');
  });
});
