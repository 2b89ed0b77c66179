import { sql } from 'drizzle-orm';
import { bigint, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { leads } from './leads.table.ts';
import { users } from './users.table.ts';

/** How a call ended, as the rep logs it at hang-up. */
export const callOutcomes = ['connected', 'no_answer', 'busy', 'wrong_number', 'invalid_number', 'callback', 'not_interested'] as const;
export type CallOutcome = (typeof callOutcomes)[number];

/** How a call-centre provider says a call it placed went (core/telephony maps them to outcomes). */
export const providerStatuses = ['answered', 'no_answer', 'busy', 'failed'] as const;
export type ProviderStatus = (typeof providerStatuses)[number];
/** A provider call's status as stored: what the provider reported, or that it refused to place the call. */
export type ProviderCallStatus = ProviderStatus | 'not_placed';

/** A phone call with a lead: open (on the line) until the rep hangs up and logs how it went. */
export const calls = pgTable(
  'calls',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    leadId: bigint({ mode: 'number' })
      .notNull()
      .references(() => leads.id, { onDelete: 'cascade' }),
    userId: text()
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    startedAt: timestamp({ withTimezone: true }).notNull(),
    endedAt: timestamp({ withTimezone: true }),
    durationSeconds: integer(),
    outcome: text({ enum: callOutcomes }),
    notes: text(),
    nextStep: text(),
    callbackAt: timestamp({ withTimezone: true }),
    // When the caller logged outcome and notes; null while a call the provider ended awaits them.
    loggedAt: timestamp({ withTimezone: true }),
    // Placed through a telephony adapter ('generic'); null when the rep dialled by hand.
    provider: text(),
    providerCallId: text(),
    providerStatus: text().$type<ProviderCallStatus>(),
    // When the provider's result was applied: a second delivery of it changes nothing.
    providerResultAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    // Who is on the line with a lead now (the on-call marker, the second caller's warning).
    index('calls_open_by_lead').on(t.leadId).where(sql`${t.endedAt} is null`),
    // A lead's calls, newest first.
    index('calls_by_lead').on(t.leadId, t.startedAt.desc()),
    // A provider's result names its own call id.
    uniqueIndex('calls_by_provider_call').on(t.provider, t.providerCallId),
  ],
);

export type CallRow = typeof calls.$inferSelect;

export const recordingTypes = ['audio/mpeg', 'audio/mp4', 'audio/wav'] as const;
export type RecordingType = (typeof recordingTypes)[number];
export const recordingSources = ['upload', 'telephony'] as const;

/** A call's recording (at most one): the audio sits in recordings storage under `id`, never under a name a user chose. */
export const callRecordings = pgTable('call_recordings', {
  id: text()
    .primaryKey()
    .$defaultFn(() => crypto.randomUUID()),
  callId: bigint({ mode: 'number' })
    .notNull()
    .unique('call_recordings_one_per_call')
    .references(() => calls.id, { onDelete: 'cascade' }),
  // Checked by content at upload, not taken from the client.
  contentType: text({ enum: recordingTypes }).notNull(),
  sizeBytes: bigint({ mode: 'number' }).notNull(),
  source: text({ enum: recordingSources }).notNull(),
  // Who uploaded it; null when the telephony provider sent it.
  uploadedBy: text().references(() => users.id, { onDelete: 'set null' }),
  createdAt: timestamp({ withTimezone: true }).notNull(),
});

export type CallRecordingRow = typeof callRecordings.$inferSelect;
