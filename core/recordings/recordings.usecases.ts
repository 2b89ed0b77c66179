import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { callRecordings, calls, type CallRow, type RecordingType } from '../../db/schema/index.ts';
import { findCall, lockCall, type CallView } from '../calls/calls.usecases.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents } from '../events/event-log.ts';
import { userActor, type Actor } from '../events/lead-event.ts';
import { canEditLead } from '../leads/lead-profile.usecases.ts';
import type { LeadView } from '../leads/lead-view.ts';
import { findLeadView } from '../leads/leads.repository.ts';
import { canSeeContact } from '../leads/visibility.ts';
import type { Viewer } from '../viewer.ts';
import { storeAudio, type StoredAudio } from './audio-file.ts';
import type { RecordingStorage } from './recording-storage.ts';

/** Where recordings go and how big one may be (RECORDINGS_DIR, RECORDING_MAX_MB). */
export interface RecordingsConfig {
  storage: RecordingStorage;
  maxBytes: number;
}

export interface RecordingsContext extends CoreContext {
  recordings: RecordingsConfig;
}

export const defaultRecordingMaxBytes = 50 * 1024 * 1024;

async function leadOf(db: Db, call: Pick<CallRow, 'leadId'>): Promise<LeadView> {
  const lead = await findLeadView(db, call.leadId);
  if (!lead) throw new AppError('lead.not_found', { id: call.leadId });
  return lead;
}

/** Throws unless the call is ended and has no recording yet. */
async function checkAttachable(db: Db, call: CallRow): Promise<void> {
  if (!call.endedAt) throw new AppError('recording.call_open');
  const [existing] = await db.select({ id: callRecordings.id }).from(callRecordings).where(eq(callRecordings.callId, call.id));
  if (existing) throw new AppError('recording.already_attached');
}

/**
 * Stores the audio and attaches it to the call in one transaction with `lead.call_recorded`;
 * the stored file is removed again when the attaching fails (someone attached one meanwhile).
 */
async function storeAndAttach(ctx: RecordingsContext, callId: number, actor: Actor, uploadedBy: string | null, write: (key: string) => Promise<StoredAudio>): Promise<CallView> {
  const key = randomUUID();
  const stored = await write(key);
  try {
    return await transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
      await checkAttachable(tx, await lockCall(tx, callId));
      await tx.insert(callRecordings).values({ id: key, callId, ...stored, source: uploadedBy ? 'upload' : 'telephony', uploadedBy, createdAt: ctx.clock.now() });
      const call = await findCall(tx, callId);
      const lead = await leadOf(tx, call);
      emit({ type: 'lead.call_recorded', leadId: lead.id, actor, data: { lead, call }, ownerId: lead.ownerId, teamId: lead.teamId });
      return call;
    });
  } catch (err) {
    await ctx.recordings.storage.remove(key);
    throw err;
  }
}

/**
 * Attaches an uploaded recording (mp3, m4a or wav by its content, up to the size limit) to an ended
 * call: its caller may, and whoever may edit the lead. One per call; `lead.call_recorded` tells
 * everyone watching the lead.
 */
export async function uploadRecording(ctx: RecordingsContext, viewer: Viewer, callId: number, body: AsyncIterable<Uint8Array>): Promise<CallView> {
  const [row] = await ctx.db.select().from(calls).where(eq(calls.id, callId));
  if (!row) throw new AppError('call.not_found', { id: callId });
  if (row.userId !== viewer.id) {
    const lead = await leadOf(ctx.db, row);
    if (!canEditLead(viewer, lead) && !lead.sharedWith.some((s) => s.id === viewer.id)) throw new AppError('lead.not_editable');
  }
  // Refuse before reading a body that could not be kept anyway.
  await checkAttachable(ctx.db, row);
  const { storage, maxBytes } = ctx.recordings;
  return storeAndAttach(ctx, callId, userActor(viewer), viewer.id, (key) => storeAudio(storage, key, body, maxBytes));
}

// A provider's recording server gets this long to send the whole file.
const FETCH_TIMEOUT_MS = 120_000;

/** Fetches a recording a telephony provider offers at `url` (same type check and size limit as an upload) and attaches it. */
export async function fetchRecording(ctx: RecordingsContext, callId: number, url: string, actor: Actor): Promise<CallView> {
  const { storage, maxBytes } = ctx.recordings;
  return storeAndAttach(ctx, callId, actor, null, async (key) => {
    let res: Response;
    try {
      res = await fetch(url, { signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) });
    } catch (err) {
      throw new AppError('telephony.recording_unavailable', { reason: (err as Error).message });
    }
    if (!res.ok || !res.body) throw new AppError('telephony.recording_unavailable', { status: res.status });
    if (Number(res.headers.get('content-length') ?? 0) > maxBytes) {
      await res.body.cancel();
      throw new AppError('recording.too_large', { maxBytes });
    }
    try {
      return await storeAudio(storage, key, res.body, maxBytes);
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('telephony.recording_unavailable', { reason: (err as Error).message });
    }
  });
}

/** A stored recording, found for someone who may hear it. */
export interface RecordingFile {
  key: string;
  contentType: RecordingType;
  sizeBytes: number;
}

/**
 * The call's recording, for those who may see its lead whole (core/leads/visibility.ts canSeeContact):
 * others get `lead.not_visible`; a call without one `recording.not_found`.
 */
export async function findRecording(ctx: RecordingsContext, viewer: Viewer, callId: number): Promise<RecordingFile> {
  const [row] = await ctx.db
    .select({ call: calls, recording: callRecordings })
    .from(calls)
    .leftJoin(callRecordings, eq(callRecordings.callId, calls.id))
    .where(eq(calls.id, callId));
  if (!row) throw new AppError('call.not_found', { id: callId });
  if (!canSeeContact(viewer, await leadOf(ctx.db, row.call))) throw new AppError('lead.not_visible');
  if (!row.recording) throw new AppError('recording.not_found');
  return { key: row.recording.id, contentType: row.recording.contentType, sizeBytes: row.recording.sizeBytes };
}
