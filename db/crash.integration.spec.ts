import { afterAll, describe, expect, it } from 'vitest';
import { rowsOf } from './client.ts';
import {
  createTestDatabase,
  engines,
  openTestDatabase,
  seedTestDatabase,
  signIn,
  spawnServer,
  type ApiClient,
  type ServerProcess,
  type TestDatabase,
} from '../test/harness.ts';

type Ack = { kind: 'claim' | 'release'; leadId: number; userId: string };

/** Every rep claims random pool leads (and now and then releases one) as fast as it can, until `stop()`. */
function claimStorm(reps: ApiClient[], poolIds: number[]) {
  const acked: Ack[] = [];
  let running = true;
  let requests = 0;
  const loops = reps.map(async (rep) => {
    const held: number[] = [];
    while (running) {
      try {
        if (held.length > 0 && Math.random() < 0.25) {
          const leadId = held.shift()!;
          requests++;
          const res = await rep.post(`/api/leads/${leadId}/release`, { reason: '压力测试' });
          if (res.status === 200) acked.push({ kind: 'release', leadId, userId: rep.user!.id });
        } else {
          const leadId = poolIds[Math.floor(Math.random() * poolIds.length)]!;
          requests++;
          const res = await rep.post(`/api/leads/${leadId}/claim`);
          if (res.status === 200) {
            acked.push({ kind: 'claim', leadId, userId: rep.user!.id });
            held.push(leadId);
          }
        }
      } catch {
        // The server was killed under us: whatever was in flight may or may not have committed.
        return;
      }
    }
  });
  return {
    acked,
    requests: () => requests,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

/** The log and the table must tell the same story, and every acknowledged change must be in both. */
async function checkInvariants(database: TestDatabase, acked: Ack[]) {
  const opened = await openTestDatabase(database);
  try {
    const events = rowsOf<{ seq: number; lead_id: number; type: string; owner_id: string | null; actor_id: string | null; created_owner: string | null }>(
      await opened.db.execute(`select seq::int as seq, lead_id::int as lead_id, type, owner_id, actor_id, data->'lead'->>'ownerId' as created_owner from lead_events order by seq`),
    );
    const leads = rowsOf<{ id: number; owner_id: string | null }>(await opened.db.execute(`select id::int as id, owner_id from leads`));

    // Replaying each lead's events gives its current owner.
    const replayed = new Map<number, string | null>();
    for (const e of events) {
      if (e.type === 'lead.created') replayed.set(e.lead_id, e.created_owner);
      else if (e.type === 'lead.claimed') replayed.set(e.lead_id, e.owner_id);
      else if (e.type === 'lead.released') replayed.set(e.lead_id, null);
    }
    const mismatches = leads.filter((l) => (replayed.get(l.id) ?? null) !== l.owner_id).map((l) => ({ id: l.id, table: l.owner_id, log: replayed.get(l.id) }));
    expect(mismatches).toEqual([]);
    expect(replayed.size).toBe(leads.length);

    const ownedInTable = leads.filter((l) => l.owner_id !== null).length;
    const count = (type: string) => events.filter((e) => e.type === type).length;
    const createdOwned = events.filter((e) => e.type === 'lead.created' && e.created_owner !== null).length;
    expect(ownedInTable).toBe(createdOwned + count('lead.claimed') - count('lead.released'));

    // No acknowledged claim or release is missing from the log.
    const inLog = new Set(events.map((e) => `${e.type}:${e.lead_id}:${e.actor_id}`));
    const missing = acked.filter((a) => !inLog.has(`lead.${a.kind === 'claim' ? 'claimed' : 'released'}:${a.leadId}:${a.userId}`));
    expect(missing).toEqual([]);
    // seq is gap-free and strictly increasing (one writer at a time, nothing half-appended).
    expect(events.every((e, i) => i === 0 || e.seq > events[i - 1]!.seq)).toBe(true);
  } finally {
    await opened.close();
  }
}

async function signInReps(url: string, count: number) {
  return Promise.all(Array.from({ length: count }, (_, i) => signIn(url, `rep${i + 1}@demo.local`)));
}

describe.each(engines)('kill -9 during a claim storm on %s', (engine) => {
  const processes: ServerProcess[] = [];
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill('SIGKILL')));
    await database?.drop();
  });

  it('restarts cleanly with the table, the log and every acknowledged claim intact', async () => {
    database = await createTestDatabase(engine, { onDisk: true });
    if (engine === 'postgres') await seedTestDatabase(database, 300);
    const where = { databaseUrl: database.url, dataDir: database.dataDir };

    const first = await spawnServer(where);
    processes.push(first);
    if (engine === 'pglite') {
      // A second process on the same folder refuses to start (and never touches the data).
      const second = spawnServer(where);
      await expect(second).rejects.toThrow(/in use by another Leadpool process/);
      await expect(second.catch((e: { code: number }) => e.code)).resolves.not.toBe(0);
    }

    const reps = await signInReps(first.url, 20);
    const admin = await signIn(first.url, 'admin@demo.local');
    const pool = (await admin.get('/api/pool?limit=200')).body.items.map((l: { id: number }) => l.id) as number[];
    expect(pool.length).toBeGreaterThan(50);

    const storm = claimStorm(reps, pool);
    // Let it run until plenty has been acknowledged, then pull the plug mid-storm.
    const deadline = Date.now() + 15_000;
    while (storm.acked.length < 60 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const killed = await first.kill('SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    await storm.stop();
    expect(storm.acked.filter((a) => a.kind === 'claim').length).toBeGreaterThan(20);

    // The restart takes over the dead process's lock (PGlite) and serves the same sessions.
    const restarted = await spawnServer(where);
    processes.push(restarted);
    const rep = reps[0]!;
    const again = new (rep.constructor as typeof ApiClient)(restarted.url, rep.cookie, rep.user);
    expect((await again.get('/api/leads/mine')).status).toBe(200);
    const head = (await again.get('/api/events/head')).body.last;
    expect(head).toBeGreaterThan(0);
    const stillInPool = (await again.get('/api/pool?limit=1')).body.items[0];
    expect((await again.post(`/api/leads/${stillInPool.id}/claim`)).status).toBe(200);
    const stopped = await restarted.kill('SIGTERM');
    expect(stopped.code).toBe(0);

    await checkInvariants(database, [...storm.acked, { kind: 'claim', leadId: stillInPool.id, userId: rep.user!.id }]);
  });
});
