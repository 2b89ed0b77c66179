import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoolLead, signInAll, engines, eventsHead, startTestServer, type ApiClient, type TestServer, freshMobile } from '../test/harness.ts';

describe.each(engines)('the event log on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let rep1: ApiClient;
  let rep2: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    [admin, rep1, rep2] = await signInAll(server, ['admin', 'rep1', 'rep2']);
  });
  afterAll(() => server?.close());

  it('GET /api/events?since= returns what was missed, in order, with `last`', async () => {
    const since = await eventsHead(rep2);
    const mobile = freshMobile();
    const lead = await createPoolLead(admin, { mobile });
    await rep1.post(`/api/leads/${lead.id}/claim`);
    await rep1.post(`/api/leads/${lead.id}/release`, { reason: '打不通' });

    const page = await rep2.get(`/api/events?since=${since}`);
    expect(page.status).toBe(200);
    const mine = page.body.events.filter((e: { leadId: number }) => e.leadId === lead.id);
    expect(mine.map((e: { type: string }) => e.type)).toEqual(['lead.created', 'lead.claimed', 'lead.released']);
    const seqs = page.body.events.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a: number, b: number) => a - b));
    expect(seqs[0]).toBeGreaterThan(since);
    expect(page.body.last).toBe(seqs.at(-1));
    expect(page.body.more).toBe(false);
    for (const e of mine) {
      expect(e).toMatchObject({ seq: expect.any(Number), leadId: lead.id, actor: { type: 'user', name: expect.any(String) }, at: expect.any(String) });
      // rep2 never held it: masked in every event.
      expect(e.data.lead.mobile).toBe(`${mobile.slice(0, 3)}****${mobile.slice(-4)}`);
    }
    expect(mine[2].data).toMatchObject({ reason: '打不通', previousOwnerName: rep1.user!.name });

    // Nothing new: an empty page that keeps the cursor.
    expect((await rep2.get(`/api/events?since=${page.body.last}`)).body).toMatchObject({ events: [], last: page.body.last });
  });

  it('pages with limit and `more`', async () => {
    const since = await eventsHead(rep1);
    await Promise.all([1, 2, 3].map(() => createPoolLead(admin)));
    const first = await rep1.get(`/api/events?since=${since}&limit=2`);
    expect(first.body.events).toHaveLength(2);
    expect(first.body.more).toBe(true);
    const rest = await rep1.get(`/api/events?since=${first.body.last}&limit=2`);
    expect(rest.body.events).toHaveLength(1);
    expect(rest.body.events[0].seq).toBeGreaterThan(first.body.last);
  });

  it('answers 410 events.expired for a cursor ahead of the log, 422 for a malformed one', async () => {
    const head = await eventsHead(rep1);
    const ahead = await rep1.get(`/api/events?since=${head + 1000}`);
    expect(ahead.status).toBe(410);
    expect(ahead.body.error.code).toBe('events.expired');
    expect(ahead.body.error.details.last).toBe(head);
    for (const bad of ['-1', 'abc', '1.5']) {
      const res = await rep1.get(`/api/events?since=${bad}`);
      expect(res.status, `since=${bad}`).toBe(422);
    }
  });

  it('gives the owner whole contact data in the log and everyone else masked data', async () => {
    const since = await eventsHead(rep1);
    const mobile = freshMobile();
    const lead = await createPoolLead(admin, { mobile });
    await rep1.post(`/api/leads/${lead.id}/claim`);
    const owner = (await rep1.get(`/api/events?since=${since}`)).body.events.find((e: { type: string; leadId: number }) => e.type === 'lead.claimed' && e.leadId === lead.id);
    expect(owner.data.lead.mobile).toBe(`+86${mobile}`);
    const other = (await rep2.get(`/api/events?since=${since}`)).body.events.find((e: { type: string; leadId: number }) => e.type === 'lead.claimed' && e.leadId === lead.id);
    expect(other.data.lead.mobile).toBe(`${mobile.slice(0, 3)}****${mobile.slice(-4)}`);
  });
});
