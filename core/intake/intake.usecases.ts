import type { CoreContext } from '../context.ts';
import type { DuplicateMatch } from '../dedup/duplicates.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../events/lead-event.ts';
import { createLeadInput, type CreateLeadInput } from '../leads/leads.schemas.ts';
import { createLead } from '../pool/pool.usecases.ts';

/**
 * A lead as an unattended door takes it: the manual entry's fields, without keeping it
 * (it goes to the pool), without a duplicate reason (nobody to ask) and without a channel (the door sets it).
 */
export const doorLeadInput = createLeadInput.omit({ assignToMe: true, duplicateReason: true, sourceChannel: true });
export type DoorLeadInput = Omit<CreateLeadInput, 'assignToMe' | 'duplicateReason' | 'sourceChannel'>;

/** Where a lead came in: who the event names, its channel, and the exhibition a booth presets. */
export interface IntakeDoor {
  actor: Actor;
  sourceChannel: 'exhibition' | 'api';
  exhibitionId?: string;
}

/** What became of one lead handed to a door. */
export type IntakeOutcome =
  | { status: 'created'; leadId: number }
  /** Same phone or email as an existing lead (pool or owned): nothing created; `leadId` is the existing one. */
  | { status: 'duplicate'; leadId: number; matches: DuplicateMatch[] }
  | { status: 'rejected'; fields: Record<string, string[]> };

/**
 * Takes one lead in through the same path as manual entry (cleaned, locked per phone/email,
 * matched against every lead, lead.created after commit). A similar company is created and its
 * matches recorded. Never throws for the lead's own faults: they are the outcome.
 */
export async function intakeLead(ctx: CoreContext, door: IntakeDoor, input: DoorLeadInput, note?: string): Promise<IntakeOutcome> {
  try {
    const lead = await createLead(
      ctx,
      door.actor,
      { ...input, sourceChannel: door.sourceChannel, exhibitionId: door.exhibitionId ?? input.exhibitionId },
      { unattended: true, note, door: door.sourceChannel === 'exhibition' ? 'booth' : 'api' },
    );
    return { status: 'created', leadId: lead.id };
  } catch (err) {
    if (err instanceof AppError && err.code === 'lead.duplicate') {
      const matches = (err.details?.matches ?? []) as DuplicateMatch[];
      return { status: 'duplicate', leadId: matches[0]!.leadId, matches };
    }
    if (err instanceof AppError && err.code === 'request.invalid') {
      return { status: 'rejected', fields: (err.details?.fields ?? {}) as Record<string, string[]> };
    }
    throw err;
  }
}

/** One item of a batch: a valid lead, or the field errors its validation found. */
export type BatchItem = { input: DoorLeadInput } | { fields: Record<string, string[]> };

/**
 * Takes a batch in, one lead after another, each in its own transaction: one item's failure
 * aborts nothing else, and a later item with the phone or email of an earlier one is its duplicate.
 */
export async function intakeBatch(ctx: CoreContext, door: IntakeDoor, items: BatchItem[]): Promise<IntakeOutcome[]> {
  const outcomes: IntakeOutcome[] = [];
  for (const item of items) {
    outcomes.push('fields' in item ? { status: 'rejected', fields: item.fields } : await intakeLead(ctx, door, item.input));
  }
  return outcomes;
}
