import { asc, eq, sql } from 'drizzle-orm';
import * as Y from 'yjs';
import { rowsOf, type Db } from '../../db/client.ts';
import { leadNoteUpdates, leads } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents } from '../events/event-log.ts';
import { userActor } from '../events/lead-event.ts';
import { findLeadView } from '../leads/leads.repository.ts';
import { canEditLead } from '../leads/lead-profile.usecases.ts';
import { canSeeContact, canViewLead, type Holding } from '../leads/visibility.ts';
import { isManagerOrAdmin, type Viewer } from '../viewer.ts';

/** The Y.Text a lead's note document holds (the web's editor binds the same name). */
export const noteTextName = 'notes';

export const noteLimits = {
  /** One update as an editor sends it (a long paste is one update). */
  updateBytes: 64 * 1024,
  /** The stored document: past it, only deletions are taken. */
  documentBytes: 1024 * 1024,
  /** A lead's stored updates past which they are merged into one. */
  compactRows: 100,
};

export type NoteAccess = 'read' | 'write';

/**
 * Who may read and write a lead's notes. Notes are free text about the customer (a WeChat id, what was
 * promised), so they follow the contact data: readable by whoever sees the lead whole. A held lead's
 * notes are written by those who work it (lockWorkedLead: owner, reps it is shared with, the team's
 * managers, admins). A pool lead's notes stay with it for the next owner: its pool's managers and admins
 * may keep them, a rep browsing the pool reads them and claims the lead to write.
 */
export function noteAccessFor(viewer: Viewer, lead: Holding): NoteAccess | null {
  if (!canSeeContact(viewer, lead)) return null;
  if (lead.ownerId === null) return isManagerOrAdmin(viewer) ? 'write' : 'read';
  return canEditLead(viewer, lead) || lead.sharedWith?.some((s) => s.id === viewer.id) ? 'write' : 'read';
}

/** The viewer's access to a lead's notes; throws `lead.not_found`, `lead.not_visible`, or `notes.not_visible` (contacts masked). */
export async function noteAccess(db: Db, viewer: Viewer, leadId: number): Promise<NoteAccess> {
  const [row] = await db
    .select({
      ownerId: leads.ownerId,
      teamId: leads.teamId,
      poolId: leads.poolId,
      shared: sql<boolean>`exists (select 1 from lead_shares s where s.lead_id = ${leads.id} and s.user_id = ${viewer.id})`,
    })
    .from(leads)
    .where(eq(leads.id, leadId));
  if (!row) throw new AppError('lead.not_found', { id: leadId });
  const lead: Holding = { ownerId: row.ownerId, teamId: row.teamId, poolId: row.poolId, sharedWith: row.shared ? [{ id: viewer.id }] : [] };
  if (!canViewLead(viewer, lead)) throw new AppError('lead.not_visible');
  const access = noteAccessFor(viewer, lead);
  if (!access) throw new AppError('notes.not_visible');
  return access;
}

const invalid = (field: string) => new AppError('request.invalid', { fields: { [field]: ['invalid'] } });

async function storedUpdates(db: Db, leadId: number): Promise<Uint8Array[]> {
  const rows = await db.select({ data: leadNoteUpdates.data }).from(leadNoteUpdates).where(eq(leadNoteUpdates.leadId, leadId)).orderBy(asc(leadNoteUpdates.id));
  return rows.map((r) => r.data);
}

const merged = (updates: Uint8Array[]) => (updates.length === 1 ? updates[0]! : Y.mergeUpdates(updates));

/**
 * Sync step 2 answered from the database, not from a document in memory (another node may have taken
 * updates since): what a client at `stateVector` lacks. `compactDue`: the lead's rows are many enough
 * to merge (compactNote). Check noteAccess first.
 */
export async function readNote(db: Db, leadId: number, stateVector: Uint8Array): Promise<{ update: Uint8Array; compactDue: boolean }> {
  try {
    Y.decodeStateVector(stateVector);
  } catch {
    throw invalid('stateVector');
  }
  const updates = await storedUpdates(db, leadId);
  const update = updates.length === 0 ? Y.encodeStateAsUpdate(new Y.Doc()) : Y.diffUpdate(merged(updates), stateVector);
  return { update, compactDue: updates.length > noteLimits.compactRows };
}

/**
 * Stores one update of a lead's notes from someone who may write them, before anyone is told of it
 * (so an acknowledged update survives a crash). Throws `notes.read_only`, `notes.too_large` (the
 * update, or the document it would grow past its limit), `request.invalid` (not a Yjs update).
 */
export async function appendNote(ctx: CoreContext, viewer: Viewer, leadId: number, update: Uint8Array): Promise<{ compactDue: boolean }> {
  if (update.byteLength > noteLimits.updateBytes) throw new AppError('notes.too_large', { limitBytes: noteLimits.updateBytes });
  let grows: boolean;
  try {
    grows = Y.decodeUpdate(update).structs.length > 0;
  } catch {
    throw invalid('update');
  }
  if ((await noteAccess(ctx.db, viewer, leadId)) !== 'write') throw new AppError('notes.read_only');
  // Size check and insert in one statement, no lock: concurrent writers may overshoot by an update or two.
  // A deletion is always taken, or a full document could never shrink.
  const [row] = rowsOf<{ rows: number }>(
    await ctx.db.execute(sql`
      with stored as (select count(*)::int as rows, coalesce(sum(octet_length(data)), 0)::int as bytes from lead_note_updates where lead_id = ${leadId})
      insert into lead_note_updates (lead_id, data, author_id, created_at)
      select ${leadId}::bigint, ${Buffer.from(update.buffer, update.byteOffset, update.byteLength)}::bytea, ${viewer.id}, ${ctx.clock.now().toISOString()}::timestamptz from stored
      where ${!grows} or stored.bytes + ${update.byteLength} <= ${noteLimits.documentBytes}
      returning (select rows from stored) + 1 as rows`),
  );
  if (!row) throw new AppError('notes.too_large', { limitBytes: noteLimits.documentBytes });
  await noteEditedOnce(ctx, viewer, leadId);
  return { compactDue: Number(row.rows) > noteLimits.compactRows };
}

/** An editing session: one timeline entry per person per lead while they keep editing within this long. */
export const NOTES_SESSION_MS = 30 * 60_000;

// Who edited which lead's notes last, and when, as this process saw it (by database): spares the log a look per keystroke.
const lastEditsByDb = new WeakMap<object, Map<string, number>>();

/**
 * Appends `lead.notes_edited` ("王芳 编辑了共享笔记") the first time someone edits a lead's notes in a
 * session: not when this process, or the log (another node), has one from them within the session.
 */
async function noteEditedOnce(ctx: CoreContext, viewer: Viewer, leadId: number): Promise<void> {
  const now = ctx.clock.now().getTime();
  const key = `${leadId}:${viewer.id}`;
  const lastEdits = lastEditsByDb.get(ctx.db) ?? lastEditsByDb.set(ctx.db, new Map()).get(ctx.db)!;
  const seen = lastEdits.get(key);
  if (seen !== undefined && now - seen < NOTES_SESSION_MS) return;
  lastEdits.set(key, now);
  if (lastEdits.size > 10_000) lastEdits.delete(lastEdits.keys().next().value!);
  const since = new Date(now - NOTES_SESSION_MS);
  await transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const [recent] = rowsOf<{ seq: number }>(
      await tx.execute(sql`select seq from lead_events where lead_id = ${leadId} and type = 'lead.notes_edited' and actor_id = ${viewer.id} and at > ${since.toISOString()}::timestamptz limit 1`),
    );
    if (recent) return;
    const lead = await findLeadView(tx, leadId);
    if (lead) emit({ type: 'lead.notes_edited', leadId, actor: userActor(viewer), data: { lead }, ownerId: lead.ownerId, teamId: lead.teamId });
  });
}

/** A document of these updates with deleted text dropped (a Y.Doc collects it), as one update. */
function compacted(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, merged(updates));
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}

/**
 * Merges a lead's stored updates into one row. The rows it deletes are exactly the ones it merges, so
 * updates appended meanwhile stay, and two nodes compacting at once lose nothing (the second finds
 * the rows gone). Short: one delete, one insert.
 */
export async function compactNote(db: Db, leadId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const rows = await tx.delete(leadNoteUpdates).where(eq(leadNoteUpdates.leadId, leadId)).returning({ data: leadNoteUpdates.data, createdAt: leadNoteUpdates.createdAt });
    if (rows.length === 0) return;
    const last = new Date(Math.max(...rows.map((r) => r.createdAt.getTime())));
    await tx.insert(leadNoteUpdates).values({ leadId, data: compacted(rows.map((r) => r.data)), authorId: null, createdAt: last });
  });
}

/**
 * A merge (core/leads/merge.usecases.ts): the merged lead's notes go to the end of the survivor's, under
 * its company name, as one more update of the survivor's document (the merged lead's rows go with it).
 */
export async function moveNote(tx: Db, from: { id: number; company: string }, toLeadId: number, now: Date): Promise<void> {
  const moving = await storedUpdates(tx, from.id);
  if (moving.length === 0) return;
  const source = new Y.Doc();
  Y.applyUpdate(source, merged(moving));
  const text = source.getText(noteTextName).toString();
  source.destroy();
  if (text.trim() === '') return;
  const into = new Y.Doc();
  const kept = await storedUpdates(tx, toLeadId);
  if (kept.length > 0) Y.applyUpdate(into, merged(kept));
  const before = Y.encodeStateVector(into);
  const notes = into.getText(noteTextName);
  notes.insert(notes.length, `${notes.length > 0 ? '\n\n' : ''}— ${from.company} —\n${text}`);
  const update = Y.encodeStateAsUpdate(into, before);
  into.destroy();
  await tx.insert(leadNoteUpdates).values({ leadId: toLeadId, data: update, authorId: null, createdAt: now });
}
