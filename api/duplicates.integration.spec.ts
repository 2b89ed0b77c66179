import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoolLead, engines, signInAll, freshMobile, leadInput, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';

describe.each(engines)('duplicates on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let rep1: ApiClient;
  let rep2: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    [admin, rep1, rep2] = await signInAll(server, ['admin', 'rep1', 'rep2']);
  });
  afterAll(() => server?.close());

  const spaced = (mobile: string) => `+86 ${mobile.slice(0, 3)}-${mobile.slice(3, 7)}-${mobile.slice(7)}`;
  const fullWidth = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

  it('finds a lead by its phone however it is written, naming owner, stage and reason', async () => {
    const mobile = freshMobile();
    const lead = await createPoolLead(admin, { company: '烟台琨玥矿山设备有限公司', mobile });
    expect((await rep1.post(`/api/leads/${lead.id}/claim`)).status).toBe(200);

    for (const written of [spaced(mobile), `0086 ${mobile}`, fullWidth(mobile)]) {
      const res = await rep2.post('/api/leads/duplicates', { mobile: written });
      expect(res.status).toBe(200);
      expect(res.body.matches).toEqual([
        { leadId: lead.id, company: '烟台琨玥矿山设备有限公司', stage: 'new', ownerId: rep1.user!.id, ownerName: rep1.user!.name, reasons: ['mobile'], blocking: true },
      ]);
    }
    // A number still being typed matches nothing, and is no error.
    expect((await rep2.post('/api/leads/duplicates', { mobile: mobile.slice(0, 5) })).body.matches).toEqual([]);
  });

  it('finds another spelling of the company as a possible duplicate', async () => {
    const lead = await createPoolLead(admin, { company: '山东华信机械有限公司' });
    const res = await rep1.post('/api/leads/duplicates', { company: '华信机械（山东）有限公司' });
    expect(res.body.matches).toEqual([expect.objectContaining({ leadId: lead.id, reasons: ['company'], blocking: false })]);
    const similar = await rep1.post('/api/leads/duplicates', { company: '华信机械制造有限公司' });
    expect(similar.body.matches).toEqual([expect.objectContaining({ leadId: lead.id, reasons: ['company_similar'] })]);
    expect((await rep1.post('/api/leads/duplicates', { company: '宁波海天塑机集团' })).body.matches).toEqual([]);
  });

  it('refuses a second lead with the same phone or email, and writes nothing', async () => {
    const mobile = freshMobile();
    const email = `buyer-${mobile}@hengtong.cn`;
    const first = await createPoolLead(admin, { mobile, email });
    const before = (await admin.get('/api/pool?limit=1')).body.total;

    const byPhone = await rep1.post('/api/leads', leadInput({ mobile: spaced(mobile) }));
    expect(byPhone.status).toBe(409);
    expect(byPhone.body.error.code).toBe('lead.duplicate');
    expect(byPhone.body.error.details.matches).toEqual([expect.objectContaining({ leadId: first.id, reasons: ['mobile'], ownerName: null })]);

    const byEmail = await rep1.post('/api/leads', leadInput({ email: ` ${email.toUpperCase()} ` }));
    expect(byEmail.status).toBe(409);
    expect(byEmail.body.error.details.matches).toEqual([expect.objectContaining({ leadId: first.id, reasons: ['email'] })]);

    // A mobile entered as someone's landline is the same customer too.
    const crossed = await rep1.post('/api/leads', leadInput({ mobile: undefined, phone: mobile }));
    expect(crossed.body.error.code).toBe('lead.duplicate');
    expect((await admin.get('/api/pool?limit=1')).body.total).toBe(before);
  });

  it('lets a company-only match through only with a reason, and logs it', async () => {
    const existing = await createPoolLead(admin, { company: '青岛海纳电子科技有限公司' });
    const warned = await rep1.post('/api/leads', leadInput({ company: '海纳电子科技（青岛）有限公司' }));
    expect(warned.status).toBe(409);
    expect(warned.body.error.code).toBe('lead.possible_duplicate');

    const kept = await rep1.post('/api/leads', leadInput({ company: '海纳电子科技（青岛）有限公司', duplicateReason: '同名不同厂，地址在黄岛区' }));
    expect(kept.status).toBe(201);
    const timeline = await admin.get(`/api/leads/${kept.body.lead.id}/events`);
    expect(timeline.body.events[0].data.possibleDuplicateOf).toEqual({ leadIds: [existing.id], reason: '同名不同厂，地址在黄岛区' });
  });

  it('keeps a landline and its extension apart', async () => {
    const res = await rep1.post('/api/leads', leadInput({ mobile: undefined, phone: `（0531）${8000 + Math.floor(Math.random() * 1999)}-6666 转 123` }));
    expect(res.status).toBe(201);
    expect(res.body.lead.phone).toMatch(/^\+86531\d{8}$/);
    expect(res.body.lead.phoneExt).toBe('123');
    const invalid = await rep1.post('/api/leads', leadInput({ phone: '8888-6666' }));
    expect(invalid.body.error.details.fields.phone).toEqual(['invalid_phone']);
  });

  it('lets only one of many simultaneous entries of one phone through', async () => {
    const mobile = freshMobile();
    const results = await Promise.all(Array.from({ length: 8 }, () => rep1.post('/api/leads', leadInput({ mobile }))));
    expect(results.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of results.filter((r) => r.status !== 201)) expect(r.body.error.code).toBe('lead.duplicate');
  });
});
