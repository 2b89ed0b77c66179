import { eq, sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { leadNoteUpdates, leads, users } from '../../db/schema/index.ts';
import { engines, useTestDatabase } from '../../test/harness.ts';
import { systemClock } from '../clock.ts';
import type { CoreContext } from '../context.ts';
import type { Viewer } from '../viewer.ts';
import { appendNote, compactNote, noteLimits, NOTES_SESSION_MS, readNote } from './notes.usecases.ts';
import type { LeadEvent } from '../events/lead-event.ts';
import { ManualClock } from '../../test/manual-clock.ts';

describe.each(engines)('stored notes on %s', (engine) => {
  const opened = useTestDatabase(engine);
  const admin: Viewer = { id: 'notes-admin', name: '管理员', role: 'admin', teamId: null, pools: [] };
  let leadId: number;
  let ctx: CoreContext;

  beforeAll(async () => {
    const { db } = opened();
    await db.insert(users).values({ id: admin.id, name: admin.name, email: 'notes-admin@test.local', role: 'admin' });
    [{ id: leadId }] = (await db.insert(leads).values({ company: '笔记测试有限公司' }).returning({ id: leads.id })) as [{ id: number }];
    ctx = { db, clock: systemClock, events: { publish: () => {} }, notifications: { notify: () => {}, readChanged: () => {} }, userChanged: () => {} };
  });

  const stored = async () => {
    const [row] = await opened()
      .db.select({ rows: sql<number>`count(*)::int`, bytes: sql<number>`coalesce(sum(octet_length(${leadNoteUpdates.data})), 0)::int` })
      .from(leadNoteUpdates)
      .where(eq(leadNoteUpdates.leadId, leadId));
    return row!;
  };
  const textOf = async () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, (await readNote(opened().db, leadId, Y.encodeStateVector(doc))).update);
    return doc.getText('notes').toString();
  };

  it('the timeline says who edited the notes once per editing session, not per keystroke', async () => {
    const clock = new ManualClock();
    const published: LeadEvent[] = [];
    const timed: CoreContext = { ...ctx, clock, events: { publish: (events) => published.push(...events.map((e) => e.event)) } };
    const editor: Viewer = { ...admin, id: 'notes-editor', name: '王芳' };
    await opened().db.insert(users).values({ id: editor.id, name: editor.name, email: 'notes-editor@test.local', role: 'admin' });
    const [{ id: noted }] = (await opened().db.insert(leads).values({ company: '笔记会话有限公司' }).returning({ id: leads.id })) as [{ id: number }];
    const doc = new Y.Doc();
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    const type = async (who: Viewer, words: string) => {
      for (const ch of words) doc.getText('notes').insert(doc.getText('notes').length, ch);
      for (const u of updates.splice(0)) await appendNote(timed, who, noted, u);
    };
    await type(editor, '客户要两台');
    clock.advance(NOTES_SESSION_MS - 60_000);
    await type(editor, '，周五前报价');
    await type(admin, '。');
    expect(published.map((e) => [e.type, e.actor.name])).toEqual([
      ['lead.notes_edited', '王芳'],
      ['lead.notes_edited', '管理员'],
    ]);
    // A new session later: a new entry.
    clock.advance(NOTES_SESSION_MS);
    await type(editor, '！');
    expect(published.filter((e) => e.actor.name === '王芳')).toHaveLength(2);
  });

  it('compaction merges a lead’s updates into one row without the deleted text, and loses nothing written meanwhile', async () => {
    const doc = new Y.Doc();
    const text = doc.getText('notes');
    const updates: Uint8Array[] = [];
    doc.on('update', (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 120; i++) text.insert(text.length, `第${i}行的笔记内容。\n`);
    text.delete(0, text.length - 20);
    let due = false;
    for (const u of updates.splice(0)) due = (await appendNote(ctx, admin, leadId, u)).compactDue;
    expect(due).toBe(true);
    const before = await stored();
    expect(before.rows).toBe(121);
    expect(await textOf()).toBe(text.toString());

    // Two compactions (two nodes) while more is written: every write is kept.
    for (let i = 0; i < 10; i++) text.insert(0, `新${i}`);
    const writes = updates.splice(0).map((u) => appendNote(ctx, admin, leadId, u));
    await Promise.all([compactNote(opened().db, leadId), ...writes, compactNote(opened().db, leadId)]);
    expect(await textOf()).toBe(text.toString());
    await compactNote(opened().db, leadId);
    const after = await stored();
    expect(after.rows).toBe(1);
    // The deleted lines are gone from storage, not only from the text.
    expect(after.bytes).toBeLessThan(before.bytes / 5);
    expect(await textOf()).toBe(text.toString());
    expect(after.bytes).toBeLessThan(noteLimits.documentBytes);
  });
});
