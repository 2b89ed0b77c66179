import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPoolLead, engines, signInAll, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { ManualClock } from '../test/manual-clock.ts';

interface Received {
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local endpoint that records what it is sent and answers with the next planned reply. */
async function receiver() {
  const received: Received[] = [];
  const replies: { status: number; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      received.push({ url: req.url!, headers: req.headers, body });
      const reply = replies.shift() ?? { status: 200, body: '{"errcode":0,"errmsg":"ok"}' };
      res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received, replies, close: () => new Promise((r) => server.close(r)) };
}

describe.each(engines)('webhooks and group robots on %s', (engine) => {
  const clock = new ManualClock();
  let server: TestServer;
  let admin: ApiClient;
  let rep1: ApiClient;
  let endpoint: Awaited<ReturnType<typeof receiver>>;

  beforeAll(async () => {
    server = await startTestServer(engine, { server: { clock } });
    [admin, rep1] = await signInAll(server, ['admin', 'rep1']);
    endpoint = await receiver();
  });
  afterAll(async () => {
    await endpoint?.close();
    await server?.close();
  });
  const dispatch = () => server.running.runJob('webhooks.dispatch', {});
  const log = async (id: string) => (await admin.get(`/api/webhooks/${id}/deliveries`)).body.items as { eventType: string; status: string; attempts: number; responseStatus: number | null; response: string; nextAttemptAt: string }[];

  it('signs the chosen events with HMAC-SHA256, retries a failing endpoint with growing waits, and logs every answer', async () => {
    const created = await admin.post('/api/webhooks', { name: 'CRM', kind: 'generic', url: `${endpoint.url}/hook`, events: ['lead.claimed'], enabled: true });
    expect(created.status).toBe(201);
    const { id, secret } = created.body.webhook as { id: string; secret: string };
    expect(secret.length).toBeGreaterThan(20);
    expect((await admin.get('/api/webhooks')).body.items[0]).not.toHaveProperty('secret');

    const lead = await createPoolLead(admin);
    endpoint.replies.push({ status: 500, body: 'down' }, { status: 502, body: 'still down' });
    expect((await rep1.post(`/api/leads/${lead.id}/claim`)).status).toBe(200);
    await dispatch();
    // Only the chosen type: the lead.created before it is not sent.
    expect(endpoint.received).toHaveLength(1);
    let entries = await log(id);
    expect(entries).toMatchObject([{ eventType: 'lead.claimed', status: 'pending', attempts: 1, responseStatus: 500, response: 'down' }]);
    expect(Date.parse(entries[0]!.nextAttemptAt) - clock.now().getTime()).toBe(30_000);

    // Not yet due: nothing is sent. Then 30 s, then 60 s.
    await dispatch();
    expect(endpoint.received).toHaveLength(1);
    clock.advance(30_000);
    await dispatch();
    expect((await log(id))[0]).toMatchObject({ attempts: 2, responseStatus: 502 });
    clock.advance(59_000);
    await dispatch();
    expect(endpoint.received).toHaveLength(2);
    clock.advance(1_000);
    await dispatch();
    entries = await log(id);
    expect(entries).toMatchObject([{ status: 'delivered', attempts: 3, responseStatus: 200 }]);

    const last = endpoint.received.at(-1)!;
    const [, t, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(last.headers['x-leadpool-signature']))!;
    expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${last.body}`).digest('hex'));
    const payload = JSON.parse(last.body);
    expect(payload.event).toMatchObject({ type: 'lead.claimed', leadId: lead.id, data: { lead: { ownerName: rep1.user!.name, mobile: lead.mobile } } });
    expect(last.headers['x-leadpool-event']).toBe('lead.claimed');
    // A second dispatch sends it no more.
    await dispatch();
    expect(endpoint.received).toHaveLength(3);
    await admin.request('DELETE', `/api/webhooks/${id}`);
  });

  it('posts DingTalk markdown with its signature, and WeCom markdown; the test button sends and logs at once', async () => {
    const before = endpoint.received.length;
    const ding = (await admin.post('/api/webhooks', { name: '销售群（钉钉）', kind: 'dingtalk', url: `${endpoint.url}/robot/send?access_token=abc`, secret: 'SECdingtalk-secret', events: ['lead.created'], enabled: true })).body.webhook;
    const wecom = (await admin.post('/api/webhooks', { name: '销售群（企业微信）', kind: 'wecom', url: `${endpoint.url}/cgi-bin/webhook/send?key=k`, events: ['lead.created'], enabled: true })).body.webhook;
    const lead = await createPoolLead(admin, { company: '山东华信机械有限公司', mobile: '13800138001' });
    await dispatch();
    const [toDing, toWecom] = [endpoint.received.slice(before).find((r) => r.url.startsWith('/robot'))!, endpoint.received.slice(before).find((r) => r.url.startsWith('/cgi-bin'))!];

    const query = new URL(toDing.url, endpoint.url).searchParams;
    expect(query.get('access_token')).toBe('abc');
    const expected = createHmac('sha256', 'SECdingtalk-secret').update(`${query.get('timestamp')}\nSECdingtalk-secret`).digest('base64');
    expect(query.get('sign')).toBe(expected);
    const dingBody = JSON.parse(toDing.body);
    expect(dingBody).toMatchObject({ msgtype: 'markdown', markdown: { title: '新线索：山东华信机械有限公司' } });
    expect(JSON.stringify(dingBody)).not.toContain('13800138001');
    expect(JSON.parse(toWecom.body)).toMatchObject({ msgtype: 'markdown', markdown: { content: expect.stringContaining('山东华信机械有限公司') } });
    expect((await log(wecom.id))[0]).toMatchObject({ status: 'delivered' });

    endpoint.replies.push({ status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' });
    const test = await admin.post(`/api/webhooks/${ding.id}/test`);
    expect(test.body.delivery).toMatchObject({ eventType: 'test', status: 'failed', response: expect.stringContaining('sign not match') });
    expect((await admin.post(`/api/webhooks/${ding.id}/test`)).body.delivery.status).toBe('delivered');
    expect(lead.id).toBeGreaterThan(0);

    const invalid = await admin.post('/api/webhooks', { name: '', kind: 'slack', url: 'ftp://x', events: [], enabled: true });
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.body.error.details.fields).sort()).toEqual(['events', 'kind', 'name', 'url']);
    expect((await rep1.get('/api/webhooks')).status).toBe(403);
  });
});
