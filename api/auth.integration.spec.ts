import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectSocket, createUser, engines, signInResponse, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';

describe.each(engines)('sign-in and roles on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let rep1: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    [admin, rep1] = await Promise.all([server.signIn('admin@demo.local'), server.signIn('rep1@demo.local')]);
  });
  afterAll(() => server?.close());

  it('refuses a wrong password with a stable code', async () => {
    const res = await signInResponse(server.url, 'rep1@demo.local', 'wrong-password');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toMatch(/^auth\./);
  });

  it('answers 401 auth.unauthenticated without a session, on every resource', async () => {
    const anonymous = server.anonymous();
    for (const path of ['/api/pool', '/api/leads/mine', '/api/leads/1', '/api/events?since=0', '/api/users', '/api/users/me', '/api/teams', '/api/settings']) {
      const res = await anonymous.get(path);
      expect(res.status, path).toBe(401);
      expect(res.body.error.code, path).toBe('auth.unauthenticated');
    }
    const claim = await anonymous.post('/api/leads/1/claim');
    expect(claim.status).toBe(401);
    const forged = await new (anonymous.constructor as typeof ApiClient)(server.url, 'better-auth.session_token=forged.value', undefined).get('/api/pool');
    expect(forged.status).toBe(401);
  });

  it('keeps reps and managers out of the admin API with 403 auth.forbidden', async () => {
    const manager = await server.signIn('manager1@demo.local');
    for (const client of [rep1, manager]) {
      const list = await client.get('/api/users');
      expect(list.status).toBe(403);
      expect(list.body.error.code).toBe('auth.forbidden');
      const create = await client.post('/api/users', { name: 'x', email: 'x@test.local', password: 'test12345', role: 'admin' });
      expect(create.status).toBe(403);
      expect((await client.post('/api/teams', { name: '新团队' })).status).toBe(403);
    }
    expect((await admin.get('/api/users')).status).toBe(200);
    const me = (await rep1.get('/api/users/me')).body;
    expect(me.user.email).toBe('rep1@demo.local');
    // The web counts "today" in the organisation's time zone, as the server does.
    expect(me.timeZone).toBe('Asia/Shanghai');
  });

  it('refuses a socket without a session with auth.unauthenticated', async () => {
    await expect(connectSocket(server.url)).rejects.toThrow('auth.unauthenticated');
    await expect(connectSocket(server.url, 'better-auth.session_token=forged.value')).rejects.toThrow('auth.unauthenticated');
  });

  it('deactivating a user ends their session, their socket and their sign-in at once', async () => {
    const { user, client } = await createUser(server, admin);
    const socket = await client.socket();
    expect((await client.get('/api/pool?limit=1')).status).toBe(200);
    const gone = socket.disconnected();

    const res = await admin.patch(`/api/users/${user.id}`, { active: false });
    expect(res.status).toBe(200);
    expect(res.body.user.active).toBe(false);

    expect((await client.get('/api/pool?limit=1')).status).toBe(401);
    await gone;
    await expect(connectSocket(server.url, client.cookie)).rejects.toThrow('auth.unauthenticated');
    const again = await signInResponse(server.url, user.email, 'test12345');
    expect(again.status).toBeGreaterThanOrEqual(400);
    expect(again.status).toBeLessThan(500);
    expect(again.body.error.code).toMatch(/^auth\./);
  });

  it('an admin cannot deactivate themselves', async () => {
    const me = (await admin.get('/api/users/me')).body.user;
    const res = await admin.patch(`/api/users/${me.id}`, { active: false });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('user.cannot_deactivate_self');
  });
});

describe.each(engines)('sessions across a restart on %s', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine, { onDisk: true });
  });
  afterAll(() => server?.close());

  it('a session cookie still works after the server restarts on the same data', async () => {
    const rep = await server.signIn('rep3@demo.local');
    expect((await rep.get('/api/users/me')).status).toBe(200);
    await server.restart();
    const after = new (rep.constructor as typeof ApiClient)(server.url, rep.cookie, rep.user);
    const me = await after.get('/api/users/me');
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('rep3@demo.local');
    const socket = await after.socket();
    socket.close();
  });
});

describe.each(engines)('first run on an empty %s database', (engine) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(engine, { seed: false });
  });
  afterAll(() => server?.close());

  it('offers set-up once, creates the first admin, then refuses a second', async () => {
    const anonymous = server.anonymous();
    expect((await anonymous.get('/api/setup')).body).toEqual({ needed: true });
    const invalid = await anonymous.post('/api/setup', { name: '', email: 'nope', password: 'short' });
    expect(invalid.status).toBe(422);
    expect(Object.keys(invalid.body.error.details.fields).sort()).toEqual(['email', 'name', 'password']);
    expect((await anonymous.get('/api/setup')).body).toEqual({ needed: true });

    const created = await anonymous.post('/api/setup', { name: '管理员', email: 'boss@test.local', password: 'first-admin-1' });
    expect(created.status).toBe(201);
    expect(created.body.user).toMatchObject({ email: 'boss@test.local', role: 'admin' });
    expect((await anonymous.get('/api/setup')).body).toEqual({ needed: false });

    const second = await anonymous.post('/api/setup', { name: '另一个', email: 'other@test.local', password: 'first-admin-2' });
    expect(second.status).toBe(409);
    expect(second.body.error.code).toBe('setup.already_done');

    const admin = await server.signIn('boss@test.local', 'first-admin-1');
    expect((await admin.get('/api/users')).body.items).toHaveLength(1);
    expect((await admin.get('/api/pool')).body).toEqual({ items: [], total: 0 });
  });
});
