import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { claimedLead, createPoolLead, createUser, engines, signInAll, startTestServer, type ApiClient, type TestServer } from '../test/harness.ts';
import { openNotes, until } from '../test/notes-client.ts';

/** An update of a document of its own (what a hand-made client would send). */
function updateOf(edit: (text: Y.Text) => void, doc = new Y.Doc()): Uint8Array {
  const before = Y.encodeStateVector(doc);
  edit(doc.getText('notes'));
  return Y.encodeStateAsUpdate(doc, before);
}

const send = (client: Awaited<ReturnType<typeof openNotes>>, leadId: number, update: Uint8Array) =>
  client.socket.socket.emitWithAck('notes.update', { leadId, update }) as Promise<{ ok: boolean; code?: string }>;

describe.each(engines)('shared notes on %s', (engine) => {
  let server: TestServer;
  let admin: ApiClient;
  let manager1: ApiClient;
  let manager2: ApiClient;
  let team1: string;

  beforeAll(async () => {
    // On disk: the notes must survive a restart.
    server = await startTestServer(engine, { onDisk: true });
    [admin, manager1, manager2] = await signInAll(server, ['admin', 'manager1', 'manager2']);
    team1 = manager1.user!.teamId!;
  });
  afterAll(() => server?.close());

  it('the owner and their manager typing at once converge; a dropped connection keeps its edits and sends them on reconnect', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const lead = await claimedLead(admin, owner);
    const mine = await openNotes(owner, lead.id);
    const theirs = await openNotes(manager1, lead.id);
    expect([mine.notes.writable, theirs.notes.writable, mine.notes.phase]).toEqual([true, true, 'saved']);

    mine.type('end', '\n');
    await until(() => theirs.text() === '\n', 'the first line');
    // Both type at once, each without waiting for the other: the owner below the line, the manager above.
    const ownerText = '客户要两台折弯机，周五前报价。';
    const managerText = 'Manager: check the discount.';
    const typing = [...managerText].map((ch, i) => () => theirs.type(i, ch));
    [...ownerText].forEach((ch, i) => {
      mine.type('end', ch);
      typing[i]?.();
    });
    typing.slice(ownerText.length).forEach((t) => t());
    const expected = `${managerText}\n${ownerText}`;
    await until(() => mine.text() === expected && theirs.text() === expected, 'both to converge');
    await until(() => !mine.notes.unsaved && !theirs.notes.unsaved, 'both to be saved');
    expect(mine.notes.phase).toBe('saved');

    // Stored: a third person opening them now gets the same text.
    const third = await openNotes(admin, lead.id);
    expect(third.text()).toBe(expected);

    // The owner's connection drops; they keep typing, and so does the manager.
    mine.socket.socket.disconnect();
    await until(() => mine.notes.phase === 'offline', 'offline');
    mine.type('end', ' 离线时写的');
    theirs.type(0, '[M] ');
    expect(mine.notes.unsaved).toBe(true);
    mine.socket.socket.connect();
    const both = `[M] ${managerText}\n${ownerText} 离线时写的`;
    await until(() => mine.text() === both && theirs.text() === both && third.text() === both, 'the offline edits to sync');
    await until(() => !mine.notes.unsaved, 'the offline edits to be stored');
    [mine, theirs, third].forEach((c) => c.stop());
  });

  it('carets carry the name of who sent them and vanish when their tab closes; a released lead’s notes stop reaching its masked ex-owner', async () => {
    const { client: owner, user } = await createUser(server, admin, { teamId: team1, name: '王芳' });
    const lead = await claimedLead(admin, owner);
    const mine = await openNotes(owner, lead.id);
    const theirs = await openNotes(manager1, lead.id);
    mine.notes.awareness.setLocalState({ cursor: { anchor: 0, head: 0 }, user: { name: '别人' } });
    const caret = () => theirs.notes.awareness.getStates().get(mine.notes.doc.clientID);
    await until(() => caret() !== undefined, 'the owner’s caret');
    expect(caret()!.user).toMatchObject({ id: user.id, name: '王芳' });
    // A later opener asks, and hears the carets already there.
    const late = await openNotes(admin, lead.id);
    await until(() => late.notes.awareness.getStates().has(mine.notes.doc.clientID), 'the caret for a late opener');
    mine.socket.close();
    await until(() => caret() === undefined, 'the closed tab’s caret to go', 1_000);
    late.stop();

    // Released to the company pool, where reps see contacts masked: the ex-owner no longer hears the notes.
    const again = await openNotes(owner, lead.id);
    expect((await owner.post(`/api/leads/${lead.id}/release`, { reason: '客户暂无需求' })).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 200));
    theirs.type('end', '释放之后写的');
    await until(() => !theirs.notes.unsaved, 'the manager’s edit to be stored');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(again.text()).toBe('');
    again.notes.sync();
    await until(() => again.notes.refused === 'notes.not_visible', 'the ex-owner to be refused');
    [again, theirs].forEach((c) => c.stop());
  });

  it('what was acknowledged survives a server restart', async () => {
    const { client: owner, user } = await createUser(server, admin, { teamId: team1 });
    const lead = await claimedLead(admin, owner);
    const mine = await openNotes(owner, lead.id);
    mine.type('end', '重启前最后一句');
    // Stopped as soon as the last edit is acknowledged.
    await until(() => !mine.notes.unsaved, 'the edit to be acknowledged', 5_000);
    await server.restart();
    const again = await openNotes(await server.signIn(user.email, 'test12345'), lead.id);
    expect(again.text()).toBe('重启前最后一句');
    again.stop();
    [admin, manager1, manager2] = await signInAll(server, ['admin', 'manager1', 'manager2']);
  });

  it('a pool lead: its pool managers write, a rep who sees it whole reads (and writes once they claim it), a rep who sees it masked is refused', async () => {
    const pools = (await admin.get('/api/pools')).body.items as { id: string; masksContacts: boolean; teamIds: string[] }[];
    const open = pools.find((p) => !p.masksContacts && p.teamIds.length > 0)!;
    const { client: reader } = await createUser(server, admin, { teamId: open.teamIds[0]! });
    const lead = await createPoolLead(admin, { poolId: open.id });
    const keeper = await openNotes(admin, lead.id);
    expect(keeper.notes.writable).toBe(true);
    keeper.type('end', '上一位跟进人：客户只在上午接电话');
    await until(() => !keeper.notes.unsaved, 'the admin’s note to be stored');

    const reading = await openNotes(reader, lead.id);
    expect(reading.notes.writable).toBe(false);
    expect(reading.text()).toBe('上一位跟进人：客户只在上午接电话');
    // A hand-made client's update is refused, and nobody hears of it.
    expect(await send(reading, lead.id, updateOf((t) => t.insert(0, 'x')))).toEqual({ ok: false, code: 'notes.read_only' });
    // Edits made anyway (the reader lost write access while typing) are refused for good: the page starts over.
    const stale = await openNotes(reader, lead.id);
    stale.type(0, 'x');
    await until(() => stale.rejected.includes('notes.read_only'), 'the local edit to be refused');
    expect(stale.notes.unsaved).toBe(false);
    stale.stop();
    // Claimed: the same page syncs again and may write.
    expect((await reader.post(`/api/leads/${lead.id}/claim`)).status).toBe(200);
    reading.notes.sync();
    await until(() => reading.notes.writable, 'write access after the claim');
    reading.type(0, '已领取。');
    await until(() => keeper.text() === '已领取。上一位跟进人：客户只在上午接电话', 'the new owner’s note to reach the admin');

    // In the company pool (contacts masked for reps) a rep sees the lead but not its notes.
    const { client: rep } = await createUser(server, admin, { teamId: team1 });
    const masked = await createPoolLead(admin);
    const refused = await openNotes(rep, masked.id);
    expect([refused.notes.phase, refused.notes.refused]).toEqual(['refused', 'notes.not_visible']);
    [keeper, reading, refused].forEach((c) => c.stop());
  });

  it('someone who may not see the lead is refused, and cannot write; bad and oversized updates are refused with stable codes', async () => {
    const { client: owner } = await createUser(server, admin, { teamId: team1 });
    const lead = await claimedLead(admin, owner);
    const outsider = await openNotes(manager2, lead.id);
    expect([outsider.notes.phase, outsider.notes.refused]).toEqual(['refused', 'lead.not_visible']);
    expect(await send(outsider, lead.id, updateOf((t) => t.insert(0, 'x')))).toEqual({ ok: false, code: 'lead.not_visible' });
    // Nor does it hear the notes.
    const mine = await openNotes(owner, lead.id);
    const heard: unknown[] = [];
    outsider.socket.socket.on('notes.update', (m: unknown) => heard.push(m));
    mine.type('end', '机密');
    await until(() => !mine.notes.unsaved, 'the edit to be stored');

    expect(await send(mine, lead.id, new Uint8Array([1, 2, 3, 4, 5, 6, 7]))).toEqual({ ok: false, code: 'request.invalid' });
    expect(await mine.socket.socket.emitWithAck('notes.update', { leadId: 'x', update: 'y' })).toEqual({ ok: false, code: 'request.invalid' });
    expect(await mine.socket.socket.emitWithAck('notes.open', { leadId: lead.id })).toEqual({ ok: false, code: 'request.invalid' });
    expect(await send(mine, lead.id, updateOf((t) => t.insert(0, 'x'.repeat(65 * 1024))))).toEqual({ ok: false, code: 'notes.too_large' });
    // The document stops growing at 1 MB; deleting still works.
    const doc = new Y.Doc();
    let stored = 0;
    for (;;) {
      const update = updateOf((t) => t.insert(t.length, 'y'.repeat(60 * 1024)), doc);
      const answer = await send(mine, lead.id, update);
      if (!answer.ok) {
        expect(answer).toEqual({ ok: false, code: 'notes.too_large' });
        expect(stored + update.byteLength).toBeGreaterThan(1024 * 1024);
        break;
      }
      stored += update.byteLength;
      expect(stored).toBeLessThanOrEqual(1024 * 1024);
    }
    expect(await send(mine, lead.id, updateOf((t) => t.delete(0, 1_000), doc))).toEqual({ ok: true });
    expect(heard).toEqual([]);
    [mine, outsider].forEach((c) => c.stop());
  });

  it('merging leads keeps the merged lead’s notes at the end of the survivor’s', async () => {
    const survivor = await createPoolLead(admin);
    const merged = await createPoolLead(admin);
    const a = await openNotes(admin, survivor.id);
    const b = await openNotes(manager1, merged.id);
    a.type('end', '保留的笔记');
    b.type('end', '被合并线索的笔记');
    await until(() => !a.notes.unsaved && !b.notes.unsaved, 'both notes to be stored');
    expect((await admin.post(`/api/leads/${survivor.id}/merge`, { mergedId: merged.id })).status).toBe(200);
    a.notes.sync();
    const expected = `保留的笔记\n\n— ${merged.company} —\n被合并线索的笔记`;
    await until(() => a.text() === expected, 'the merged notes');
    [a, b].forEach((c) => c.stop());
  });
});
