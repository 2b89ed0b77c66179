import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LeadPresence } from './contract.ts';
import { createPoolLead, createUser, engines, signInAll, startTestServer, type ApiClient, type TestServer, type TestSocket } from '../test/harness.ts';

/** The next `lead.presence` for the lead that `match` accepts, as the names present, sorted. */
function presenceOf(socket: TestSocket, leadId: number, match: (names: string[]) => boolean): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching presence within 3 s')), 3_000);
    const heard = (p: LeadPresence) => {
      const names = p.viewers.map((v) => v.name).sort();
      if (p.leadId !== leadId || !match(names)) return;
      clearTimeout(timer);
      socket.socket.off('lead.presence', heard);
      resolve(names);
    };
    socket.socket.on('lead.presence', heard);
  });
}
const watch = (socket: TestSocket, leadId: number) => socket.socket.emitWithAck('lead.watch', { leadId }) as Promise<{ ok: boolean; code?: string }>;

describe.each(engines)('who is looking at a lead (presence) on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let manager1: ApiClient;
  let manager2: ApiClient;

  beforeAll(async () => {
    server = await startTestServer(engine);
    [admin, manager1, manager2] = await signInAll(server, ['admin', 'manager1', 'manager2']);
  });
  afterAll(() => server?.close());

  it('everyone on the page sees who else is there, each person once; leaving or closing the tab clears them; others may not watch', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: manager1.user!.teamId, name: '王芳' });
    const lead = await createPoolLead(admin);
    expect((await owner.post(`/api/leads/${lead.id}/claim`)).status).toBe(200);
    const [ownerTab, ownerTab2, managerTab, outsiderTab] = [await owner.socket(), await owner.socket(), await manager1.socket(), await manager2.socket()];
    const managerName = manager1.user!.name;

    const alone = presenceOf(ownerTab, lead.id, (names) => names.length === 1);
    expect(await watch(ownerTab, lead.id)).toEqual({ ok: true });
    expect(await alone).toEqual(['王芳']);

    const both = presenceOf(ownerTab, lead.id, (names) => names.length === 2);
    expect(await watch(managerTab, lead.id)).toEqual({ ok: true });
    expect(await both).toEqual(['王芳', managerName].sort());
    // A second tab of the same person: still one 王芳.
    const twoTabs = presenceOf(managerTab, lead.id, (names) => names.length === 2);
    await watch(ownerTab2, lead.id);
    expect(await twoTabs).toEqual(['王芳', managerName].sort());

    // Another team's manager may not see the lead, so may not watch it.
    expect(await watch(outsiderTab, lead.id)).toEqual({ ok: false, code: 'lead.not_visible' });

    const left = presenceOf(managerTab, lead.id, (names) => names.length === 1);
    ownerTab.socket.emit('lead.unwatch', { leadId: lead.id });
    ownerTab2.close();
    expect(await left).toEqual([managerName]);
    const stillThere = presenceOf(managerTab, lead.id, (names) => names.length === 2);
    await watch(ownerTab, lead.id);
    expect(await stillThere).toEqual(['王芳', managerName].sort());
    const closed = presenceOf(ownerTab, lead.id, (names) => names.length === 1);
    managerTab.close();
    expect(await closed).toEqual(['王芳']);
    ownerTab.close();
    outsiderTab.close();
  });
});
