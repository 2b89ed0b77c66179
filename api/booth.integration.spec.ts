import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoolLead, engines, eventsHead, freshMobile, signInAll, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';

const BOOTH_PER_MINUTE = 3;

describe.each(engines)('booth QR form on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let rep1: ApiClient;
  let visitor: ApiClient;
  let exhibition: { id: string; name: string };
  let token: string;
  let clients = 0;

  /** A submission from its own client address (the server trusts X-Forwarded-For here), so the rate limit counts each test apart. */
  const submit = (body: Record<string, unknown>, address = `10.0.0.${++clients}`, t = token) =>
    visitor.request('POST', `/api/booth/${t}/leads`, body, { headers: { 'x-forwarded-for': address } });
  const visitorForm = (overrides: Record<string, unknown> = {}) => ({
    company: `扫码${Math.random().toString(36).slice(2, 8)}机械有限公司`,
    contactName: '李娜',
    mobile: freshMobile(),
    title: '采购经理',
    interest: '数控机床',
    ...overrides,
  });
  const poolFind = async (company: string) => (await admin.get(`/api/pool?q=${encodeURIComponent(company)}`)).body.items as { id: number; [k: string]: unknown }[];

  beforeAll(async () => {
    server = await startTestServer(engine, { server: { doors: { boothPerMinute: BOOTH_PER_MINUTE, trustProxy: true } } });
    [admin, rep1] = await signInAll(server, ['admin', 'rep1']);
    visitor = server.anonymous();
    exhibition = (await admin.post('/api/exhibitions', { name: '2026 华南工业博览会', city: '广州', startsOn: '2026-11-20', endsOn: '2026-11-23' })).body.exhibition;
    const issued = await admin.post(`/api/exhibitions/${exhibition.id}/booth`, {});
    expect(issued.status).toBe(200);
    token = issued.body.booth.token;
  });
  afterAll(() => server?.close());

  it('gives an admin an unguessable address and its QR code as SVG and PNG; reps get none', async () => {
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const booth = await admin.get(`/api/exhibitions/${exhibition.id}/booth`);
    expect(booth.body.booth).toEqual({ token, url: `${server.url}/booth/${token}` });
    const svg = await admin.request('GET', `/api/exhibitions/${exhibition.id}/booth/qr.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(String(svg.body)).toContain('<svg');
    const png = await fetch(`${server.url}/api/exhibitions/${exhibition.id}/booth/qr.png`, { headers: { cookie: admin.cookie! } });
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await png.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
    expect((await rep1.get(`/api/exhibitions/${exhibition.id}/booth`)).status).toBe(403);
    // Asking again keeps the address: printed codes keep working.
    expect((await admin.post(`/api/exhibitions/${exhibition.id}/booth`, {})).body.booth.token).toBe(token);
  });

  it('shows the form its exhibition without a session; an unknown token is 404', async () => {
    const res = await visitor.get(`/api/booth/${token}`);
    expect(res.status).toBe(200);
    expect(res.body.booth).toEqual({ exhibitionName: '2026 华南工业博览会', city: '广州', startsOn: '2026-11-20', endsOn: '2026-11-23' });
    const unknown = await visitor.get('/api/booth/not-a-real-token');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('booth.not_found');
    expect((await submit(visitorForm(), undefined, 'not-a-real-token')).body.error.code).toBe('booth.not_found');
  });

  it('puts a submission in the pool, cleaned, with the exhibition preset, and every rep sees it live', async () => {
    const live = await rep1.socket();
    const form = visitorForm({ mobile: `+86 ${freshMobile().replace(/(\d{3})(\d{4})(\d{4})/, '$1-$2-$3')}`, email: ' LiNa@Example.CN ' });
    const res = await submit(form);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ received: true });
    const [lead] = await poolFind(form.company);
    expect(lead).toMatchObject({ exhibitionId: exhibition.id, exhibitionName: '2026 华南工业博览会', sourceChannel: 'exhibition', ownerId: null, title: '采购经理' });
    const full = (await admin.get(`/api/leads/${lead!.id}`)).body.lead;
    expect(full).toMatchObject({ mobile: `+86${form.mobile.replace(/\D/g, '').slice(2)}`, email: 'lina@example.cn', createdBy: null });
    const event = await live.waitFor((e) => e.type === 'lead.created' && e.leadId === lead!.id);
    expect(event.actor).toEqual({ type: 'system', id: null, name: '展会扫码表单' });
    const timeline = (await admin.get(`/api/leads/${lead!.id}/events`)).body.events;
    expect(timeline[0].data.note).toBe('数控机床');
  });

  it('a repeat visitor (same mobile, written differently) gets the same thank-you and no second lead', async () => {
    const form = visitorForm();
    expect((await submit(form)).status).toBe(201);
    const head = await eventsHead(admin);
    const again = await submit({ ...form, company: `${form.company}（二次）`, mobile: `0086 ${form.mobile}` });
    expect(again.status).toBe(201);
    expect(again.body).toEqual({ received: true });
    expect(await poolFind(form.company)).toHaveLength(1);
    expect(await eventsHead(admin)).toBe(head);
  });

  it('matches a visitor against owned leads too', async () => {
    const mobile = freshMobile();
    const owned = await createPoolLead(admin, { mobile });
    expect((await rep1.post(`/api/leads/${owned.id}/claim`)).status).toBe(200);
    const head = await eventsHead(admin);
    expect((await submit(visitorForm({ mobile }))).status).toBe(201);
    expect(await eventsHead(admin)).toBe(head);
  });

  it('drops a filled honeypot with a fake success and stores nothing', async () => {
    const head = await eventsHead(admin);
    const form = visitorForm({ website: 'http://spam.example' });
    const res = await submit(form);
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ received: true });
    expect(await poolFind(form.company)).toHaveLength(0);
    expect(await eventsHead(admin)).toBe(head);
  });

  it('refuses bad fields with codes, and bodies over 16 KB', async () => {
    const res = await submit({ company: '', mobile: '12345', email: 'nope', extra: 1 });
    expect(res.status).toBe(422);
    expect(res.body.error.details.fields).toEqual({ company: ['required'], mobile: ['invalid_mobile'], email: ['invalid_email'], extra: ['unknown_field'], contactName: ['required'] });
    const big = await visitor.request('POST', `/api/booth/${token}/leads`, undefined, {
      rawBody: JSON.stringify(visitorForm({ interest: 'x'.repeat(20_000) })),
      headers: { 'x-forwarded-for': `10.0.1.${++clients}` },
      fresh: true,
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('request.too_large');
  });

  it(`limits a client to ${BOOTH_PER_MINUTE} submissions a minute: 429 booth.rate_limited with Retry-After; others go on`, async () => {
    const address = '10.9.9.9';
    for (let i = 0; i < BOOTH_PER_MINUTE; i++) expect((await submit(visitorForm(), address)).status).toBe(201);
    const head = await eventsHead(admin);
    const limited = await submit(visitorForm(), address);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('booth.rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(await eventsHead(admin)).toBe(head);
    expect((await submit(visitorForm(), '10.9.9.10')).status).toBe(201);
  });

  it('a regenerated token retires the old address', async () => {
    const other = (await admin.post('/api/exhibitions', { name: '济南机床展', city: '济南', startsOn: '2026-12-01', endsOn: '2026-12-03' })).body.exhibition;
    const first = (await admin.post(`/api/exhibitions/${other.id}/booth`, {})).body.booth.token;
    const second = (await admin.post(`/api/exhibitions/${other.id}/booth`, { regenerate: true })).body.booth.token;
    expect(second).not.toBe(first);
    expect((await visitor.get(`/api/booth/${first}`)).status).toBe(404);
    expect((await visitor.get(`/api/booth/${second}`)).body.booth.exhibitionName).toBe('济南机床展');
  });
});
