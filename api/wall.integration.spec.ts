import { io, type Socket } from 'socket.io-client';
import { describe, expect, it } from 'vitest';
import { maskName, type WallCelebration, type WallState } from '../core/wall/wall-view.ts';
import { wallNamespace } from '../realtime/contract.ts';
import { claimedLead, createPoolLead, createUser, engines, sampleDeal, startTestServer, useWorkServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { ManualClock } from '../test/manual-clock.ts';

const allScenes = ['leaderboard', 'funnel', 'pool', 'wins', 'exhibitions'];

/** A wall screen's TV: its display token on the wall API, and its socket. */
class Tv {
  readonly states: WallState[] = [];
  readonly celebrations: WallCelebration[] = [];
  socket: Socket | undefined;
  readonly server: TestServer;
  token: string;

  constructor(server: TestServer, token: string) {
    this.server = server;
    this.token = token;
  }

  get(path: string) {
    return this.server.anonymous().request('GET', path, undefined, { headers: { authorization: `Bearer ${this.token}` } });
  }

  async state(): Promise<WallState> {
    const res = await this.get('/api/wall/state');
    if (res.status !== 200) throw new Error(`wall state: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.state as WallState;
  }

  connect(auth: Record<string, string> = { token: this.token }, cookie?: string): Promise<Tv> {
    const socket = io(this.server.url + wallNamespace, { auth, transports: ['websocket'], reconnection: false, forceNew: true, extraHeaders: cookie ? { cookie } : {} });
    this.socket = socket;
    socket.on('wall.state', (s: WallState) => this.states.push(s));
    socket.on('wall.celebrate', (c: WallCelebration) => this.celebrations.push(c));
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(this));
      socket.once('connect_error', (err) => (socket.disconnect(), reject(err)));
    });
  }

  /** Resolves with the first pushed state (from now on) that matches. */
  async nextState(match: (s: WallState) => boolean, timeoutMs = 1_000): Promise<WallState> {
    const from = this.states.length;
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      const found = this.states.slice(from).find(match);
      if (found) return found;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no matching wall.state within ${timeoutMs} ms (${this.states.length - from} received)`);
  }

  close() {
    this.socket?.disconnect();
  }
}

describe.each(engines)('wall screens on %s', (engine) => {
  const clock = new ManualClock();
  let server: TestServer, admin: ApiClient, manager1: ApiClient, team1: string, team2: string;
  useWorkServer(engine, clock, async (work) => {
    ({ server, admin, manager1, team1 } = work);
    team2 = (await admin.get('/api/teams')).body.items.find((t: { id: string }) => t.id !== team1).id;
  });

  const createScreen = async (fields: Record<string, unknown> = {}) => {
    const res = await admin.post('/api/wall-screens', { name: `大屏${Math.random().toString(36).slice(2, 6)}`, scenes: allScenes, ...fields });
    expect(res.status).toBe(201);
    return res.body.screen as { id: string; paired: boolean };
  };
  const tvOf = async (screenId: string) => {
    const res = await admin.post(`/api/wall-screens/${screenId}/token`);
    expect(res.status).toBe(200);
    expect(res.body.url).toMatch(new RegExp(`/wall/screen#${res.body.token}$`));
    return new Tv(server, res.body.token as string);
  };

  it('lets a display token read its wall and nothing else; a session never opens the wall; revoking or reissuing ends it at once', async () => {
    const screen = await createScreen({ metric: 'revenue', rotateSeconds: 30 });
    expect((await manager1.get('/api/wall-screens')).status).toBe(403);
    const tv = await tvOf(screen.id);
    const state = await tv.state();
    expect(state.screen).toMatchObject({ id: screen.id, metric: 'revenue', rotateSeconds: 30, scenes: allScenes });
    expect(state.seq).toBeGreaterThan(0);

    // The token opens no other API, and no socket of the app.
    for (const path of ['/api/leads', '/api/pool', '/api/dashboard/leaderboard', '/api/events/head', '/api/wall-screens']) {
      expect((await tv.get(path)).status, path).toBe(401);
    }
    const intake = await server.anonymous().request('POST', '/api/intake/leads', { company: 'x' }, { headers: { authorization: `Bearer ${tv.token}` } });
    expect(intake.status).toBe(401);
    // An admin's session cookie is not a display token.
    expect((await admin.get('/api/wall/state')).body.error.code).toBe('wall.unauthenticated');

    // Revoked: refused at once, with its own code.
    expect((await admin.post(`/api/wall-screens/${screen.id}/revoke`)).body.screen.paired).toBe(false);
    expect((await tv.get('/api/wall/state')).body.error).toMatchObject({ code: 'wall.revoked' });
    // A new token brings the screen back; the old one stays dead.
    const again = await tvOf(screen.id);
    expect((await again.get('/api/wall/state')).status).toBe(200);
    expect((await tv.get('/api/wall/state')).status).toBe(401);
    const listed = (await admin.get('/api/wall-screens')).body.items.find((s: { id: string }) => s.id === screen.id);
    expect(listed).toMatchObject({ paired: true, revokedAt: null });
    expect(JSON.stringify(listed)).not.toContain(again.token);
  });

  it('pairs a TV with a 6-digit code once, within 10 minutes', async () => {
    const screen = await createScreen();
    const anonymous = server.anonymous();
    const { code, expiresAt } = (await admin.post(`/api/wall-screens/${screen.id}/pairing`)).body as { code: string; expiresAt: string };
    expect(code).toMatch(/^\d{6}$/);
    expect(Date.parse(expiresAt) - clock.now().getTime()).toBe(10 * 60_000);
    const wrong = code === '000000' ? '000001' : '000000';
    expect((await anonymous.post('/api/wall/pair', { code: wrong })).body.error.code).toBe('wall.pairing_invalid');
    const paired = await anonymous.post('/api/wall/pair', { code });
    expect(paired.status).toBe(200);
    expect((await new Tv(server, paired.body.token).state()).screen.id).toBe(screen.id);
    // Used up.
    expect((await anonymous.post('/api/wall/pair', { code })).status).toBe(401);

    const late = (await admin.post(`/api/wall-screens/${screen.id}/pairing`)).body.code as string;
    clock.advance(10 * 60_000 + 1_000);
    expect((await anonymous.post('/api/wall/pair', { code: late })).body.error.code).toBe('wall.pairing_invalid');
  });

  it("keeps a team's screen to its team, masks names when asked, and never carries a customer's phone number", async () => {
    const tag = Math.random().toString(36).slice(2, 5);
    const { client: ours, user: ourRep } = await createUser(server, admin, { teamId: team1, name: `欧阳娜${tag}` });
    const { client: theirs, user: theirRep } = await createUser(server, admin, { teamId: team2, name: `司马懿${tag}` });
    const leads = [await claimedLead(admin, ours, { phone: '053188886666' }), await claimedLead(admin, theirs)];
    await ours.post(`/api/leads/${leads[0]!.id}/stage`, { stage: 'won', deal: sampleDeal(88_000) });
    await theirs.post(`/api/leads/${leads[1]!.id}/stage`, { stage: 'won', deal: sampleDeal(99_000) });

    const team = await (await tvOf((await createScreen({ teamId: team1, maskNames: true, metric: 'wins' })).id)).state();
    const names = team.leaderboard!.map((r) => r.name);
    expect(names).toContain(maskName(ourRep.name));
    expect(names).not.toContain(maskName(theirRep.name));
    expect(team.leaderboard!.find((r) => r.userId === ourRep.id)).toMatchObject({ rank: 1, value: 1 });
    expect(team.leaderboard!.some((r) => r.userId === theirRep.id)).toBe(false);
    expect(team.wins!.map((w) => w.company)).toContain(leads[0]!.company);
    expect(team.wins!.map((w) => w.company)).not.toContain(leads[1]!.company);
    expect(team.wins!.find((w) => w.company === leads[0]!.company)).toMatchObject({ repName: maskName(ourRep.name), amount: 88_000 });
    expect(team.screen.teamName).toBeTruthy();

    const everyone = await (await tvOf((await createScreen()).id)).state();
    expect(everyone.leaderboard!.map((r) => r.name)).toEqual(expect.arrayContaining([ourRep.name, theirRep.name]));
    expect(everyone.wins!.map((w) => w.company)).toEqual(expect.arrayContaining([leads[0]!.company, leads[1]!.company]));
    // The funnel and the exhibition board of the scope.
    expect(team.funnel!.stages.find((s) => s.kind === 'won')!.reached).toBeGreaterThanOrEqual(1);
    expect(team.funnel!.total).toBeLessThan(everyone.funnel!.total);
    expect(everyone.exhibitions!.length).toBeGreaterThan(0);
    expect(everyone.exhibitions![0]).toHaveProperty('roi');

    // No phone number of any lead the demo or this test made, and no contact field at all.
    for (const state of [team, everyone]) {
      const json = JSON.stringify(state);
      expect(json).not.toMatch(/"(mobile|phone|email|contactName)"/);
      for (const lead of leads) expect(json).not.toContain(String(lead.mobile).slice(-8));
      expect(json).not.toContain('88886666');
      // No mainland mobile (11 digits on their own; ratios such as 0.1333333333 are not numbers to dial).
      const mobile = json.match(/(?<![\d.])1[3-9]\d{9}(?!\d)/);
      expect(mobile, mobile ? `a mobile number in the wall's state: …${json.slice(Math.max(0, mobile.index! - 160), mobile.index! + 40)}…` : '').toBeNull();
    }
  });

  it('counts the pool a scope sees and its claims of the last 15 minutes', async () => {
    const tv = await tvOf((await createScreen({ teamId: team1, scenes: ['pool'] })).id);
    const before = (await tv.state()).pool!;
    expect(before.sparkline).toHaveLength(15);
    const lead = await createPoolLead(admin);
    const added = (await tv.state()).pool!;
    expect(added.unclaimed).toBe(before.unclaimed + 1);
    expect(added.pools.find((p) => p.id === 'company')!.unclaimed).toBeGreaterThan(0);
    await manager1.post(`/api/leads/${lead.id}/claim`);
    const claimed = (await tv.state()).pool!;
    expect(claimed.unclaimed).toBe(before.unclaimed);
    expect(claimed.claims15m).toBe(before.claims15m + 1);
    expect(claimed.sparkline.at(-1)).toBeGreaterThan(0);
    expect((await tv.state()).leaderboard).toBeNull();
  });

  it("pushes a screen's state within 1 s of a call, celebrates a win in its scope only, and drops its socket when revoked", async () => {
    const { client: rep } = await createUser(server, admin, { teamId: team1 });
    const screen = await createScreen({ teamId: team1, metric: 'calls', scenes: ['leaderboard', 'wins'] });
    const tv = await (await tvOf(screen.id)).connect();
    const other = await (await tvOf((await createScreen({ teamId: team2 })).id)).connect();
    // Neither a missing token nor a session cookie opens the namespace.
    await expect(new Tv(server, '').connect({})).rejects.toThrow('wall.unauthenticated');
    await expect(new Tv(server, '').connect({}, admin.cookie)).rejects.toThrow('wall.unauthenticated');
    // The TV is in its screen's room only: the app's events never reach it.
    const appEvents: unknown[] = [];
    tv.socket!.on('event', (e: unknown) => appEvents.push(e));

    const lead = await claimedLead(admin, rep);
    const call = (await rep.post(`/api/leads/${lead.id}/calls`, {})).body.call as { id: number };
    clock.advance(60_000);
    const ended = Date.now();
    expect((await rep.post(`/api/calls/${call.id}/end`, { outcome: 'connected' })).status).toBe(200);
    const pushed = await tv.nextState((s) => s.leaderboard!.some((r) => r.userId === rep.user!.id && r.value === 1));
    expect(Date.now() - ended).toBeLessThan(1_000);
    expect(pushed.screen.id).toBe(screen.id);

    expect((await rep.post(`/api/leads/${lead.id}/stage`, { stage: 'won', deal: sampleDeal(66_000) })).status).toBe(200);
    await expect.poll(() => tv.celebrations.length, { timeout: 1_000 }).toBe(1);
    expect(tv.celebrations[0]).toMatchObject({ repName: rep.user!.name, company: lead.company, amount: 66_000 });
    await tv.nextState((s) => s.wins!.some((w) => w.company === lead.company));
    expect(other.celebrations).toEqual([]);
    expect(appEvents).toEqual([]);

    // A changed configuration reaches the TV without a reconnect.
    expect((await admin.put(`/api/wall-screens/${screen.id}`, { name: '新名字', teamId: team1, scenes: ['wins'], metric: 'calls' })).status).toBe(200);
    await tv.nextState((s) => s.screen.name === '新名字' && s.leaderboard === null);

    const dropped = new Promise<string>((resolve) => tv.socket!.once('disconnect', resolve));
    await admin.post(`/api/wall-screens/${screen.id}/revoke`);
    expect(await dropped).toBe('io server disconnect');
    await expect(new Tv(server, tv.token).connect()).rejects.toThrow('wall.revoked');
    tv.close();
    other.close();
  });

  it('limits pairing attempts per client', async () => {
    const anonymous = server.anonymous();
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await anonymous.post('/api/wall/pair', { code: '123456' })).status);
    expect(codes.at(-1)).toBe(429);
  });
});

describe.each(engines)('a wall screen across a server restart on %s', (engine) => {
  it('keeps its token: the TV reconnects and reads its state again', async () => {
    const server = await startTestServer(engine, { onDisk: true });
    try {
      const admin = await server.signIn('admin@demo.local');
      const screen = (await admin.post('/api/wall-screens', { name: '重启', scenes: ['wins'] })).body.screen as { id: string };
      const token = (await admin.post(`/api/wall-screens/${screen.id}/token`)).body.token as string;
      const before = await new Tv(server, token).connect();
      const dropped = new Promise<string>((resolve) => before.socket!.once('disconnect', resolve));
      await server.restart();
      expect(await dropped).toBe('transport close');
      const after = await new Tv(server, token).connect();
      expect((await after.state()).screen.id).toBe(screen.id);
      after.close();
    } finally {
      await server.close();
    }
  });
});
