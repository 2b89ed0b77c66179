import http from 'node:http';
import { describe, expect, it } from 'vitest';
import type { CallView } from '../core/calls/calls.usecases.ts';
import type { LeadEvent } from '../realtime/contract.ts';
import { m4aFile, mp3File, wavFile } from '../test/audio-fixtures.ts';
import { claimedLead, createUser, engines, signInAll, useWorkServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { ManualClock } from '../test/manual-clock.ts';

const maxBytes = 64 * 1024;

/** Uploads `bytes` as a call's recording, on its own connection (a refused body may be cut short). */
const upload = (client: ApiClient, callId: number, bytes: Buffer, contentType = 'audio/mpeg') =>
  client.request('POST', `/api/calls/${callId}/recording`, undefined, { rawBody: new Uint8Array(bytes), headers: { 'content-type': contentType }, fresh: true });

/** The same, streamed in chunks without a Content-Length (as a proxy may forward it). */
function uploadChunked(client: ApiClient, callId: number, bytes: Buffer): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(new URL(`/api/calls/${callId}/recording`, client.baseUrl), {
      method: 'POST',
      agent: false,
      headers: { cookie: client.cookie!, origin: client.baseUrl, 'content-type': 'audio/wav', connection: 'close' },
    });
    req.on('response', (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
    });
    req.on('error', (err: NodeJS.ErrnoException) => (err.code === 'EPIPE' || err.code === 'ECONNRESET' ? undefined : reject(err)));
    for (let at = 0; at < bytes.length; at += 8192) req.write(bytes.subarray(at, at + 8192));
    req.end();
  });
}

describe.each(engines)('call recordings on %s', (engine) => {
  const clock = new ManualClock();
  let server: TestServer, admin: ApiClient, manager1: ApiClient, rep2: ApiClient, rep11: ApiClient, team1: string;
  useWorkServer(
    engine,
    clock,
    async (work) => {
      ({ server, admin, manager1, rep2, team1 } = work);
      [rep11] = await signInAll(server, ['rep11']);
    },
    { recordingMaxBytes: maxBytes },
  );

  /** A lead `owner` holds with one ended call. */
  async function endedCall(owner: ApiClient) {
    const lead = await claimedLead(admin, owner);
    const call = (await owner.post(`/api/leads/${lead.id}/calls`, {})).body.call as CallView;
    expect((await owner.post(`/api/calls/${call.id}/end`, { outcome: 'connected' })).status).toBe(200);
    return { lead, call };
  }

  it('attaches an mp3, a wav and an m4a, told live to everyone watching and in the timeline; a renamed text file is refused by its content', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1, name: '李强' });
    const watching = await manager1.socket();
    for (const [bytes, type] of [
      [mp3File(), 'audio/mpeg'],
      [wavFile(), 'audio/wav'],
      [m4aFile(), 'audio/mp4'],
    ] as const) {
      const { lead, call } = await endedCall(owner);
      // What the client says the type is does not matter: the content does.
      const res = await upload(owner, call.id, bytes, 'application/octet-stream');
      expect(res.status).toBe(201);
      expect(res.body.call.recording).toMatchObject({ contentType: type, sizeBytes: bytes.length, url: `/api/calls/${call.id}/recording` });
      const live = await watching.waitFor((e) => e.type === 'lead.call_recorded' && e.leadId === lead.id);
      expect(live.actor.name).toBe('李强');
      expect(live.type === 'lead.call_recorded' && live.data.call.recording?.contentType).toBe(type);
      const timeline = (await owner.get(`/api/leads/${lead.id}/events`)).body.events as LeadEvent[];
      expect(timeline.at(-1)?.type).toBe('lead.call_recorded');
      const played = await fetch(new URL(`/api/calls/${call.id}/recording`, server.url), { headers: { cookie: owner.cookie! } });
      expect(played.headers.get('content-type')).toBe(type);
      expect(Buffer.from(await played.arrayBuffer()).equals(bytes)).toBe(true);
    }

    const { call } = await endedCall(owner);
    const text = Buffer.from('客户说下周再联系。\n'.repeat(400));
    const refused = await upload(owner, call.id, text, 'audio/mpeg');
    expect(refused.status).toBe(415);
    expect(refused.body.error.code).toBe('recording.unsupported_type');
    expect((await owner.get(`/api/calls/${call.id}/recording`)).body.error.code).toBe('recording.not_found');
  });

  it('refuses a recording over the limit, announced or streamed, and an empty one; one per ended call', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const { call } = await endedCall(owner);
    const big = wavFile(maxBytes); // 2 bytes a sample: twice the limit
    const announced = await upload(owner, call.id, big);
    expect(announced.status).toBe(413);
    expect(announced.body.error).toMatchObject({ code: 'recording.too_large', details: { maxBytes } });
    const streamed = await uploadChunked(owner, call.id, big);
    expect(streamed.status).toBe(413);
    expect(streamed.body.error.code).toBe('recording.too_large');
    expect((await upload(owner, call.id, Buffer.alloc(0))).body.error.code).toBe('recording.empty');

    // Nothing was kept: a good file still goes in, once.
    expect((await uploadChunked(owner, call.id, wavFile(1000))).status).toBe(201);
    const again = await upload(owner, call.id, wavFile(1000));
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('recording.already_attached');

    const lead = await claimedLead(admin, owner);
    const open = (await owner.post(`/api/leads/${lead.id}/calls`, {})).body.call as CallView;
    expect((await upload(owner, open.id, mp3File())).body.error.code).toBe('recording.call_open');
  });

  it('serves byte ranges so a player can seek, only to those who may see the lead whole; only the caller or an editor attaches', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const { call } = await endedCall(owner);
    // A rep of the same team who does not hold the lead may not attach; its team's manager may.
    expect((await upload(rep2, call.id, mp3File())).body.error.code).toBe('lead.not_editable');
    const bytes = wavFile(4000);
    expect((await upload(manager1, call.id, bytes)).status).toBe(201);

    const get = (client: ApiClient, range?: string) =>
      fetch(new URL(`/api/calls/${call.id}/recording`, server.url), { headers: { cookie: client.cookie!, ...(range ? { range } : {}) } });
    const part = await get(owner, 'bytes=100-199');
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-199/${bytes.length}`);
    expect(part.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100, 200))).toBe(true);
    const tail = await get(owner, 'bytes=-10');
    expect(Buffer.from(await tail.arrayBuffer()).equals(bytes.subarray(-10))).toBe(true);
    const beyond = await get(owner, `bytes=${bytes.length}-`);
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${bytes.length}`);

    // Another team's rep, and a rep of the team who does not hold it, get the lead's code; the admin may listen.
    for (const outsider of [rep11, rep2]) {
      const refused = await get(outsider);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('lead.not_visible');
    }
    expect((await get(admin)).status).toBe(200);
  });

  it("a merged lead's calls, with their recordings, move to the lead that survives", async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const { lead: merged, call } = await endedCall(owner);
    expect((await upload(owner, call.id, mp3File())).status).toBe(201);
    const survivor = await claimedLead(admin, owner);
    expect((await manager1.post(`/api/leads/${survivor.id}/merge`, { mergedId: merged.id })).status).toBe(200);
    const played = await fetch(new URL(`/api/calls/${call.id}/recording`, server.url), { headers: { cookie: owner.cookie! } });
    expect(played.status).toBe(200);
    expect(Buffer.from(await played.arrayBuffer()).equals(mp3File())).toBe(true);
  });
});
