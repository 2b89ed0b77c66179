import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoolLead, signInAll, engines, eventsHead, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';

describe.each(engines)('the socket hub on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let rep1: ApiClient;
  let rep2: ApiClient;
  let manager1: ApiClient;
  let manager2: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    [admin, rep1, rep2, manager1, manager2] = await signInAll(server, ['admin', 'rep1', 'rep2', 'manager1', 'manager2']);
  });
  afterAll(() => server?.close());

  it('sends contact data whole only to those allowed: owner, their team manager, admins', async () => {
    const [s1, s2, sm1, sm2, sa] = await Promise.all([rep1.socket(), rep2.socket(), manager1.socket(), manager2.socket(), admin.socket()]);
    const lead = await createPoolLead(admin, { mobile: '13800138000', email: 'zhang.wei@huaxin.cn' });
    const created = (s: typeof s1) => s.waitFor((e) => e.type === 'lead.created' && e.leadId === lead.id);
    // In the pool: managers and admins see it whole, reps masked.
    expect((await created(s1)).data.lead).toMatchObject({ mobile: '138****8000', email: 'z***@huaxin.cn', contactMasked: true });
    expect((await created(s2)).data.lead.mobile).toBe('138****8000');
    expect((await created(sm1)).data.lead.mobile).toBe('+8613800138000');
    expect((await created(sa)).data.lead.mobile).toBe('+8613800138000');

    expect((await rep1.post(`/api/leads/${lead.id}/claim`)).status).toBe(200);
    const claimed = (s: typeof s1) => s.waitFor((e) => e.type === 'lead.claimed' && e.leadId === lead.id);
    expect((await claimed(s1)).data.lead).toMatchObject({ mobile: '+8613800138000', email: 'zhang.wei@huaxin.cn', contactMasked: false, ownerName: rep1.user!.name });
    expect((await claimed(s2)).data.lead).toMatchObject({ mobile: '138****8000', contactMasked: true, ownerName: rep1.user!.name });
    expect((await claimed(sm1)).data.lead.mobile).toBe('+8613800138000');
    expect((await claimed(sm2)).data.lead.mobile).toBe('138****8000');
    expect((await claimed(sa)).data.lead.mobile).toBe('+8613800138000');

    // Each socket got each event exactly once.
    for (const s of [s1, s2, sm1, sm2, sa]) {
      expect(s.events.filter((e) => e.leadId === lead.id).map((e) => e.type)).toEqual(['lead.created', 'lead.claimed']);
    }
    // No rep socket ever carried the whole number of a lead they do not own.
    expect(JSON.stringify(s2.events)).not.toContain('13800138000');
  });

  it('socket `event` messages have the same shape and content as GET /api/events', async () => {
    const since = await eventsHead(rep2);
    const socket = await rep2.socket();
    const lead = await createPoolLead(admin);
    await rep1.post(`/api/leads/${lead.id}/claim`);
    await rep1.post(`/api/leads/${lead.id}/release`, { reason: '换人跟进' });
    await socket.waitFor((e) => e.type === 'lead.released' && e.leadId === lead.id);

    const http = (await rep2.get(`/api/events?since=${since}`)).body.events;
    expect(socket.events).toEqual(http);
    expect(socket.events.map((e) => e.type)).toEqual(['lead.created', 'lead.claimed', 'lead.released']);
  });

  it('delivers a claim to every other socket within a second', async () => {
    const watchers = await Promise.all([rep2, manager2, admin].map((c) => c.socket()));
    const lead = await createPoolLead(admin);
    const started = Date.now();
    await rep1.post(`/api/leads/${lead.id}/claim`);
    await Promise.all(watchers.map((w) => w.waitFor((e) => e.type === 'lead.claimed' && e.leadId === lead.id, 1_000)));
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});
