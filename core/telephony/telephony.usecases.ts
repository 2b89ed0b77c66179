import { and, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { callRecordings, calls, telephonyAdapters, users, type CallOutcome, type ProviderStatus, type TelephonyAdapterRow, type TelephonyProvider } from '../../db/schema/index.ts';
import { logCallEnd, lockCall, startCall, type CallView, type startCallInput } from '../calls/calls.usecases.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents } from '../events/event-log.ts';
import type { Actor } from '../events/lead-event.ts';
import type { LeadView } from '../leads/lead-view.ts';
import { findLeadView } from '../leads/leads.repository.ts';
import { canSeeContact } from '../leads/visibility.ts';
import { fetchRecording, type RecordingsContext } from '../recordings/recordings.usecases.ts';
import type { Viewer } from '../viewer.ts';
import { newSecret } from '../webhooks/signing.ts';
import { GenericHttpAdapter } from './generic-http.adapter.ts';
import type { PostedResult, TelephonyAdapter } from './telephony-adapter.ts';

/** How a provider's status becomes our outcome (the rep may correct it when they log the call). */
export const outcomeOfStatus: Record<ProviderStatus, CallOutcome> = {
  answered: 'connected',
  no_answer: 'no_answer',
  busy: 'busy',
  // The provider could not connect the number at all: most often it does not exist.
  failed: 'invalid_number',
};

/** Every adapter by provider name (docs/telephony.md: adding a provider). */
const adapters: Record<TelephonyProvider, (settings: TelephonyAdapterRow) => TelephonyAdapter> = {
  generic: (settings) => new GenericHttpAdapter(settings),
};
const adapterOf = (row: TelephonyAdapterRow): TelephonyAdapter => adapters[row.provider](row);

/** The provider as the actor of what it does (ends a call, sends its recording). */
export const telephonyActor = (provider: TelephonyProvider): Actor => ({ type: 'system', id: `telephony.${provider}`, name: provider });

/** A telephony adapter's settings as Admin › Telephony shows them (the secret too: the provider needs it). */
export interface TelephonySettingsView {
  provider: TelephonyProvider;
  enabled: boolean;
  url: string | null;
  secret: string;
  /** Where the provider posts results, below this server's public address. */
  resultPath: string;
  updatedAt: string;
}

const settingsView = (row: TelephonyAdapterRow): TelephonySettingsView => ({
  provider: row.provider,
  enabled: row.enabled,
  url: row.url,
  secret: row.secret,
  resultPath: `/api/telephony/${row.provider}/result`,
  updatedAt: row.updatedAt.toISOString(),
});

/** The adapter's row, made (off, with a fresh secret) the first time anyone asks. */
async function adapterRow(db: Db, provider: TelephonyProvider): Promise<TelephonyAdapterRow> {
  await db.insert(telephonyAdapters).values({ provider, secret: newSecret() }).onConflictDoNothing();
  const [row] = await db.select().from(telephonyAdapters).where(eq(telephonyAdapters.provider, provider));
  return row!;
}

export async function getTelephonySettings(db: Db, provider: TelephonyProvider): Promise<TelephonySettingsView> {
  return settingsView(await adapterRow(db, provider));
}

export const telephonySettingsInput = z
  .strictObject({
    enabled: z.boolean(),
    /** Where click-to-call requests go; required while enabled. */
    url: z.url({ protocol: /^https?$/ }).max(2000).nullable(),
  })
  .refine((v) => !v.enabled || v.url !== null, { path: ['url'], message: 'required' });

export async function updateTelephonySettings(db: Db, provider: TelephonyProvider, input: z.infer<typeof telephonySettingsInput>): Promise<TelephonySettingsView> {
  await adapterRow(db, provider);
  const [row] = await db.update(telephonyAdapters).set({ ...input, updatedAt: new Date() }).where(eq(telephonyAdapters.provider, provider)).returning();
  return settingsView(row!);
}

/** A new signing secret: requests signed with the old one are refused from now on. */
export async function regenerateTelephonySecret(db: Db, provider: TelephonyProvider): Promise<TelephonySettingsView> {
  await adapterRow(db, provider);
  const [row] = await db.update(telephonyAdapters).set({ secret: newSecret(), updatedAt: new Date() }).where(eq(telephonyAdapters.provider, provider)).returning();
  return settingsView(row!);
}

/** The adapter that places calls now, if an admin turned one on. */
async function enabledAdapter(db: Db): Promise<TelephonyAdapter | null> {
  const [row] = await db.select().from(telephonyAdapters).where(eq(telephonyAdapters.enabled, true)).limit(1);
  return row ? adapterOf(row) : null;
}

/** Ends a call the provider would not place: nothing for the rep to log; the on-call marker clears. */
async function endNotPlaced(ctx: RecordingsContext, callId: number, provider: TelephonyProvider): Promise<void> {
  await transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const row = await lockCall(tx, callId);
    if (row.endedAt) return;
    const now = ctx.clock.now();
    await logCallEnd(tx, emit, now, row, { endedAt: now, durationSeconds: 0, loggedAt: now, providerStatus: 'not_placed' }, telephonyActor(provider));
  });
}

/**
 * A rep presses Call: the call starts as always (core/calls startCall), and when an admin enabled a
 * telephony adapter (and the rep is not dialling on their own phone) the provider is asked to place
 * it. A provider that refuses or does not answer in time ends the call as `not_placed` and answers
 * `telephony.not_placed`.
 */
export async function callLead(
  ctx: RecordingsContext,
  viewer: Viewer,
  leadId: number,
  input: z.infer<typeof startCallInput>,
  resultUrl: (provider: TelephonyProvider) => string,
): Promise<{ call: CallView; lead: LeadView }> {
  const adapter = input.selfDial ? null : await enabledAdapter(ctx.db);
  let to: string | null = null;
  if (adapter) {
    const lead = await findLeadView(ctx.db, leadId);
    to = lead?.mobile ?? lead?.phone ?? null;
    // Only someone who may work the lead learns it has no number (startCall refuses the others).
    if (lead && canSeeContact(viewer, lead) && lead.ownerId !== null && !to) throw new AppError('telephony.no_number');
  }
  const { call, lead, created } = await startCall(ctx, viewer, leadId, input, adapter?.provider ?? null);
  if (!adapter || !created || !to) return { call, lead };
  const [rep] = await ctx.db.select({ email: users.email }).from(users).where(eq(users.id, viewer.id));
  try {
    const placed = await adapter.placeCall({ callId: call.id, leadId, to, rep: { id: viewer.id, name: viewer.name, email: rep?.email ?? '' }, resultUrl: resultUrl(adapter.provider) }, ctx.clock.now());
    if (placed.providerCallId) {
      await ctx.db.update(calls).set({ providerCallId: placed.providerCallId }).where(and(eq(calls.id, call.id), isNull(calls.providerCallId)));
    }
  } catch (err) {
    await endNotPlaced(ctx, call.id, adapter.provider);
    throw err;
  }
  return { call, lead };
}

/**
 * A provider posts how a call it placed went. Once authenticated, the first delivery stores the
 * provider's call id, status and duration and ends the call if it is still open (`lead.called`, the
 * outcome mapped by `outcomeOfStatus`); a recording URL is fetched into recordings storage
 * (`lead.call_recorded`). Delivered again it changes nothing (`duplicate: true`); a recording that
 * failed to arrive is fetched again.
 */
export async function acceptCallResult(ctx: RecordingsContext, provider: TelephonyProvider, posted: PostedResult): Promise<{ callId: number; duplicate: boolean }> {
  const [row] = await ctx.db.select().from(telephonyAdapters).where(eq(telephonyAdapters.provider, provider));
  // Without settings there is no secret to check against: nothing can be authentic.
  if (!row) throw new AppError('telephony.bad_signature');
  const result = adapterOf(row).readResult(posted, ctx.clock.now());
  const applied = await transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const [call] = await tx.select().from(calls).where(eq(calls.id, result.callId)).for('update');
    if (!call || call.provider !== provider) throw new AppError('telephony.unknown_call', { callId: result.callId });
    if (call.providerCallId !== null && call.providerCallId !== result.providerCallId) throw new AppError('telephony.call_mismatch', { callId: call.id });
    if (call.providerResultAt) return false;
    const now = ctx.clock.now();
    const reported = { providerCallId: result.providerCallId, providerStatus: result.status, providerResultAt: now, durationSeconds: result.durationSeconds };
    // The rep hung up and logged it first: their outcome stands; the provider's talk time is the true one.
    if (call.endedAt) await tx.update(calls).set(reported).where(eq(calls.id, call.id));
    else await logCallEnd(tx, emit, now, call, { ...reported, endedAt: now, outcome: outcomeOfStatus[result.status] }, telephonyActor(provider));
    return true;
  });
  let recorded = false;
  if (result.recordingUrl) {
    const [existing] = await ctx.db.select({ id: callRecordings.id }).from(callRecordings).where(eq(callRecordings.callId, result.callId));
    if (!existing) {
      try {
        await fetchRecording(ctx, result.callId, result.recordingUrl, telephonyActor(provider));
        recorded = true;
      } catch (err) {
        // The same result delivered twice at once: the other delivery attached it.
        if (!(err instanceof AppError && err.code === 'recording.already_attached')) throw err;
      }
    }
  }
  return { callId: result.callId, duplicate: !applied && !recorded };
}
