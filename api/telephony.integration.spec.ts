import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CallView } from '../core/calls/calls.usecases.ts';
import { signBody, verifyBody } from '../core/webhooks/signing.ts';
import type { LeadEvent, LeadView } from '../realtime/contract.ts';
import { wavFile } from '../test/audio-fixtures.ts';
import { claimedLead, createUser, engines, startWorkServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { DAY, ManualClock } from '../test/manual-clock.ts';

interface PlaceRequest {
  type: string;
  callId: number;
  leadId: number;
  to: string;
  rep: { id: string; name: string; email: string };
  resultUrl: string;
}

/**
 * A call-centre provider on a local port: it takes click-to-call requests (checking their
 * signature), answers with its own call id, then posts the signed result back as `result` says.
 */
class FakeProvider {
  readonly recording = wavFile(3000);
  readonly placed: { request: PlaceRequest; signatureOk: boolean }[] = [];
  secret = '';
  /** What the provider answers to a click-to-call: 200, or a refusal. */
  answer = 200;
  /** The result it posts back once it took a call (none: it stays quiet). */
  result: ((request: PlaceRequest) => Record<string, unknown>) | null = null;
  readonly posted: { status: number; body: any }[] = [];
  #server = http.createServer((req, res) => void this.#handle(req, res));
  url = '';

  async start() {
    await new Promise<void>((resolve) => this.#server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  close() {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(resolve));
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse) {
    if (req.method === 'GET' && req.url === '/recordings/1.wav') return res.writeHead(200, { 'content-type': 'audio/wav' }).end(this.recording);
    if (req.method === 'GET') return res.writeHead(404).end();
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = JSON.parse(body) as PlaceRequest;
    const signatureOk = verifyBody(this.secret, req.headers['x-leadpool-signature'] as string, body, new Date(), 60_000) === 'ok';
    this.placed.push({ request, signatureOk });
    if (this.answer !== 200 || !signatureOk) return res.writeHead(this.answer === 200 ? 401 : this.answer).end('busy lines');
    const providerCallId = `cc-${request.callId}`;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ providerCallId }));
    if (this.result) {
      const result = JSON.stringify({ callId: request.callId, providerCallId, ...this.result(request) });
      const posted = await fetch(request.resultUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'x-leadpool-signature': signBody(this.secret, result, new Date()) }, body: result });
      this.posted.push({ status: posted.status, body: await posted.json() });
    }
  }
}

describe.each(engines)('telephony on %s', (engine) => {
  const clock = new ManualClock();
  const provider = new FakeProvider();
  let server: TestServer;
  let admin: ApiClient;
  let manager1: ApiClient;
  let team1: string;

  /** Posts a result as the provider would, signed at `at` (now) with `secret` (the provider's). */
  const postResult = (result: Record<string, unknown>, init: { at?: Date; secret?: string } = {}) => {
    const body = JSON.stringify(result);
    const signature = signBody(init.secret ?? provider.secret, body, init.at ?? new Date());
    return server.anonymous().request('POST', '/api/telephony/generic/result', undefined, { rawBody: body, headers: { 'x-leadpool-signature': signature } });
  };

  beforeAll(async () => {
    ({ server, admin, manager1, team1 } = await startWorkServer(engine, clock));
    await provider.start();
    const on = await admin.put('/api/telephony/generic', { enabled: true, url: `${provider.url}/place` });
    expect(on.status).toBe(200);
    provider.secret = on.body.settings.secret;
    expect(on.body.settings.resultUrl).toMatch(/\/api\/telephony\/generic\/result$/);
  });
  afterAll(async () => {
    await provider.close();
    await server?.close();
  });
  beforeEach(() => {
    clock.reset();
    provider.answer = 200;
    provider.result = null;
  });

  it('places the call through the provider, whose signed result ends it live with its talk time and outcome, and whose recording is fetched and playable; the same result again changes nothing', async () => {
    const { client: owner, user } = await createUser(server, admin, { teamId: team1, name: '李强' });
    const watching = await manager1.socket();
    const lead = await claimedLead(admin, owner);
    provider.result = () => ({ status: 'answered', durationSeconds: 95, recordingUrl: `${provider.url}/recordings/1.wav` });

    const started = await owner.post(`/api/leads/${lead.id}/calls`, {});
    expect(started.status).toBe(201);
    expect(started.body.call).toMatchObject({ provider: 'generic', endedAt: null });
    const placed = provider.placed.at(-1)!;
    expect(placed.signatureOk).toBe(true);
    expect(placed.request).toMatchObject({ type: 'call.place', callId: started.body.call.id, leadId: lead.id, to: expect.stringMatching(/^\+861\d{10}$/) });
    expect(placed.request.rep).toEqual({ id: user.id, name: '李强', email: user.email });

    const ended = await watching.waitFor((e) => e.type === 'lead.called' && e.leadId === lead.id);
    expect(ended.actor).toMatchObject({ type: 'system', id: 'telephony.generic' });
    expect(ended.type === 'lead.called' && ended.data.call).toMatchObject({ outcome: 'connected', durationSeconds: 95, providerStatus: 'answered', loggedAt: null });
    expect(ended.data.lead.onCall).toBeNull();
    const recorded = await watching.waitFor((e) => e.type === 'lead.call_recorded' && e.leadId === lead.id);
    expect(recorded.type === 'lead.call_recorded' && recorded.data.call.recording).toMatchObject({ contentType: 'audio/wav', sizeBytes: provider.recording.length });
    await expect.poll(() => provider.posted.length).toBe(1);
    expect(provider.posted[0]).toEqual({ status: 200, body: { callId: started.body.call.id, duplicate: false } });
    const played = await fetch(new URL(`/api/calls/${started.body.call.id}/recording`, server.url), { headers: { cookie: owner.cookie!, range: 'bytes=0-43' } });
    expect(played.status).toBe(206);
    expect(Buffer.from(await played.arrayBuffer()).equals(provider.recording.subarray(0, 44))).toBe(true);

    // Delivered again: nothing changes.
    const eventsBefore = ((await owner.get(`/api/leads/${lead.id}/events`)).body.events as LeadEvent[]).length;
    const again = await postResult({ callId: started.body.call.id, providerCallId: `cc-${started.body.call.id}`, status: 'busy', durationSeconds: 3, recordingUrl: `${provider.url}/recordings/1.wav` });
    expect(again.body).toEqual({ callId: started.body.call.id, duplicate: true });
    expect(((await owner.get(`/api/leads/${lead.id}/events`)).body.events as LeadEvent[]).length).toBe(eventsBefore);

    // The rep completes the log once: notes and a callback; the provider's talk time stays.
    const callbackAt = new Date(clock.now().getTime() + DAY).toISOString();
    const logged = await owner.post(`/api/calls/${started.body.call.id}/end`, { outcome: 'callback', callbackAt, notes: '周五再打' });
    expect(logged.status).toBe(200);
    expect(logged.body.call).toMatchObject({ outcome: 'callback', notes: '周五再打', durationSeconds: 95, providerStatus: 'answered' });
    expect(logged.body.call.loggedAt).not.toBeNull();
    expect(logged.body.task).toMatchObject({ source: 'callback', dueAt: callbackAt });
    expect((await owner.post(`/api/calls/${started.body.call.id}/end`, { outcome: 'busy' })).body.error.code).toBe('call.ended');
  });

  it('refuses a result with a bad signature, one signed outside the time window, and one for a call it did not place', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const lead = await claimedLead(admin, owner);
    const call = (await owner.post(`/api/leads/${lead.id}/calls`, {})).body.call as CallView;
    const result = { callId: call.id, providerCallId: `cc-${call.id}`, status: 'no_answer', durationSeconds: 0 };

    const forged = await postResult(result, { secret: 'not-the-secret' });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('telephony.bad_signature');
    const unsigned = await server.anonymous().request('POST', '/api/telephony/generic/result', undefined, { rawBody: JSON.stringify(result) });
    expect(unsigned.body.error.code).toBe('telephony.bad_signature');
    const replayed = await postResult(result, { at: new Date(Date.now() - 10 * 60_000) });
    expect(replayed.status).toBe(401);
    expect(replayed.body.error.code).toBe('telephony.signature_expired');
    expect((await postResult({ ...result, providerCallId: 'someone-else' })).body.error.code).toBe('telephony.call_mismatch');
    expect((await postResult({ ...result, status: 'ringing' })).body.error).toMatchObject({ code: 'request.invalid', details: { fields: { status: ['invalid_value'] } } });
    expect(((await owner.get(`/api/leads/${lead.id}`)).body.lead as LeadView).onCall).not.toBeNull();

    // A call the rep dialled on their own phone is not the provider's.
    await owner.post(`/api/calls/${call.id}/end`, { outcome: 'no_answer' });
    const before = provider.placed.length;
    const own = (await owner.post(`/api/leads/${lead.id}/calls`, { selfDial: true })).body.call as CallView;
    expect(own.provider).toBeNull();
    expect(provider.placed.length).toBe(before);
    const notOurs = await postResult({ ...result, callId: own.id, providerCallId: 'x' });
    expect(notOurs.status).toBe(404);
    expect(notOurs.body.error.code).toBe('telephony.unknown_call');

    // Signed right and in time, the result goes in (no answer: not a follow-up).
    expect((await postResult(result)).body).toEqual({ callId: call.id, duplicate: false });
  });

  it('a provider that refuses the call: the rep is told, the call ends as not placed and the on-call marker clears', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const watching = await manager1.socket();
    const lead = await claimedLead(admin, owner);
    provider.answer = 503;
    const refused = await owner.post(`/api/leads/${lead.id}/calls`, {});
    expect(refused.status).toBe(502);
    expect(refused.body.error).toMatchObject({ code: 'telephony.not_placed', details: { reason: 'refused', status: 503 } });
    const ended = await watching.waitFor((e) => e.type === 'lead.called' && e.leadId === lead.id);
    expect(ended.type === 'lead.called' && ended.data.call).toMatchObject({ providerStatus: 'not_placed', outcome: null, durationSeconds: 0 });
    expect(ended.data.lead.onCall).toBeNull();
    // Nothing to log, nothing to attach.
    expect((await owner.post(`/api/calls/${ended.type === 'lead.called' ? ended.data.call.id : 0}/end`, { outcome: 'busy' })).body.error.code).toBe('call.ended');
  });

  it('the admin sees and regenerates the secret; the old one stops working', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    expect((await owner.get('/api/telephony/generic')).status).toBe(403);
    const lead = await claimedLead(admin, owner);
    const call = (await owner.post(`/api/leads/${lead.id}/calls`, {})).body.call as CallView;
    const old = provider.secret;
    const renewed = await admin.post('/api/telephony/generic/secret');
    provider.secret = renewed.body.settings.secret;
    expect(provider.secret).not.toBe(old);
    const result = { callId: call.id, providerCallId: `cc-${call.id}`, status: 'busy', durationSeconds: 0 };
    expect((await postResult(result, { secret: old })).body.error.code).toBe('telephony.bad_signature');
    expect((await postResult(result)).status).toBe(200);
    expect((await admin.put('/api/telephony/generic', { enabled: true, url: null })).body.error.details.fields).toEqual({ url: ['required'] });
  });
});
