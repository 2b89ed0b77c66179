// O observer sockets on their own event loop, so decoding thousands of events a second
// neither delays the load generator nor is delayed by it. Times are absolute
// (timeOrigin + now), comparable with the main thread's and the server's clocks.
import { parentPort, workerData } from 'node:worker_threads';
import { io, type Socket } from 'socket.io-client';

export type ToObservers = { kind: 'watch'; phase: string; leadIds: number[]; announce: boolean } | { kind: 'collect' } | { kind: 'close' };
export type FromObservers =
  | { kind: 'connected'; count: number; failed: string[] }
  | { kind: 'firstSeen'; leadId: number }
  | { kind: 'allSeen'; phase: string; at: number }
  | { kind: 'records'; phase: string; observer: Int32Array; seq: Float64Array; leadId: Float64Array; at: Float64Array; recv: Float64Array; totalEvents: number };

const { url, cookies } = workerData as { url: string; cookies: string[] };
const port = parentPort!;
const now = () => performance.timeOrigin + performance.now();
const post = (m: FromObservers, transfer: ArrayBuffer[] = []) => port.postMessage(m, transfer);

type Watch = { phase: string; leads: Set<number>; announce: boolean; seenBy: Set<number>[]; complete: number; firstSeen: Set<number> };
let watch: Watch | undefined;
let rec = { observer: [] as number[], seq: [] as number[], leadId: [] as number[], at: [] as number[], recv: [] as number[] };
let totalEvents = 0;

const sockets: Socket[] = cookies.map((cookie, index) => {
  const socket = io(url, { transports: ['websocket'], extraHeaders: { cookie }, reconnection: true, forceNew: true });
  socket.on('event', (event: { seq: number; type: string; leadId: number; at: string }) => {
    const recv = now();
    totalEvents++;
    const w = watch;
    if (!w || event.type !== 'lead.claimed' || !w.leads.has(event.leadId)) return;
    rec.observer.push(index);
    rec.seq.push(event.seq);
    rec.leadId.push(event.leadId);
    rec.at.push(Date.parse(event.at));
    rec.recv.push(recv);
    if (w.announce && !w.firstSeen.has(event.leadId)) {
      w.firstSeen.add(event.leadId);
      post({ kind: 'firstSeen', leadId: event.leadId });
    }
    const seen = w.seenBy[index]!;
    if (!seen.has(event.leadId)) {
      seen.add(event.leadId);
      if (seen.size === w.leads.size && ++w.complete === sockets.length) post({ kind: 'allSeen', phase: w.phase, at: recv });
    }
  });
  return socket;
});

const failed: string[] = [];
await Promise.all(
  sockets.map(
    (s) =>
      new Promise<void>((resolve) => {
        s.once('connect', () => resolve());
        s.once('connect_error', (err) => {
          failed.push(err.message);
          resolve();
        });
      }),
  ),
);
post({ kind: 'connected', count: sockets.filter((s) => s.connected).length, failed });

port.on('message', (m: ToObservers) => {
  switch (m.kind) {
    case 'watch':
      rec = { observer: [], seq: [], leadId: [], at: [], recv: [] };
      totalEvents = 0;
      watch = { phase: m.phase, leads: new Set(m.leadIds), announce: m.announce, seenBy: sockets.map(() => new Set()), complete: 0, firstSeen: new Set() };
      break;
    case 'collect': {
      const out = {
        observer: Int32Array.from(rec.observer),
        seq: Float64Array.from(rec.seq),
        leadId: Float64Array.from(rec.leadId),
        at: Float64Array.from(rec.at),
        recv: Float64Array.from(rec.recv),
      };
      post({ kind: 'records', phase: watch?.phase ?? '', ...out, totalEvents }, [out.observer.buffer, out.seq.buffer, out.leadId.buffer, out.at.buffer, out.recv.buffer] as ArrayBuffer[]);
      watch = undefined;
      break;
    }
    case 'close':
      for (const s of sockets) s.close();
      port.close();
      break;
  }
});
