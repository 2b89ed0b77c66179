import { z } from 'zod';
import { COMPANY_POOL_ID, intents, sourceChannels } from '../../db/schema/index.ts';
import { cleanEmail, cleanPhone } from '../dedup/cleaning.ts';

// Forms send '' for an empty optional field; treat it as absent.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const text = (max: number) => z.string().trim().max(max);

/** A Chinese (default region) or international number, cleaned to E.164 (and an extension for a landline). */
const phoneNumber = (kind: 'mobile' | 'any') =>
  z.string().transform((value, ctx) => {
    const clean = cleanPhone(value);
    if (!clean || (kind === 'mobile' && clean.kind !== 'mobile')) {
      ctx.addIssue({ code: 'custom', message: kind === 'mobile' ? 'invalid_mobile' : 'invalid_phone' });
      return z.NEVER;
    }
    return clean;
  });

const email = z.string().max(200).transform(cleanEmail).pipe(z.email('invalid_email'));

const tagIds = z.array(z.string().min(1).max(100)).max(50, 'too_big');
const customValues = z.record(z.string().max(100), z.unknown());

export const createLeadInput = z.strictObject({
  company: text(200).min(1, 'required'),
  contactName: optional(text(100)),
  title: optional(text(100)),
  mobile: optional(phoneNumber('mobile')),
  phone: optional(phoneNumber('any')),
  email: optional(email),
  province: optional(text(50)),
  city: optional(text(50)),
  industry: optional(text(50)),
  sourceChannel: optional(z.enum(sourceChannels)),
  exhibitionId: optional(z.string().max(100)),
  intent: optional(z.enum(intents)),
  expectedAmount: optional(z.coerce.number().min(0).max(1e12)),
  /** The pool it goes to (one the creator may see); the company pool when absent. */
  poolId: optional(z.string().min(1).max(100)),
  /** Keep the new lead for myself instead of putting it in the pool. */
  assignToMe: z.boolean().optional(),
  /** Why this is not the existing lead(s) with a similar company name (a possible duplicate). */
  duplicateReason: optional(text(500)),
  tagIds: tagIds.optional(),
  /** Custom-field values by key; checked against the live field definitions (custom-values.ts). */
  custom: customValues.optional(),
});
export type CreateLeadInput = z.infer<typeof createLeadInput>;

// A query parameter given once arrives as a string, given repeatedly as an array.
const many = <T extends z.ZodType<string, string>>(item: T) =>
  z
    .union([z.string(), z.array(z.string())])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(z.array(item).max(50, 'too_big'));

/** Tag and custom-field filters of lead lists (see core/leads/lead-filter.ts for their meaning). */
const tagCustomQuery = {
  tag: many(z.string().min(1).max(100)).optional(),
  cf: many(z.string().min(1).max(200)).optional(),
};

export const mineQuery = z.object(tagCustomQuery);

export const poolQuery = z.object({
  ...tagCustomQuery,
  /** Which pool; the company pool when absent. */
  poolId: z.string().min(1).max(100).default(COMPANY_POOL_ID),
  q: optional(text(100)),
  exhibitionId: optional(z.string().max(100)),
  province: optional(text(50)),
  industry: optional(text(50)),
  intent: optional(z.enum(intents)),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
});
export type PoolQuery = z.infer<typeof poolQuery>;

export const releaseInput = z.strictObject({
  reason: text(500).min(1, 'required'),
});

const numberIfValid = z.string().max(50).transform((v) => cleanPhone(v)?.number);

/** What the duplicate check matches while a lead is being entered; partial or invalid numbers are ignored. */
export const duplicateCheckInput = z.strictObject({
  company: optional(text(200)),
  mobile: optional(numberIfValid),
  phone: optional(numberIfValid),
  email: optional(z.string().max(200).transform(cleanEmail)),
});

/** A change to a lead's tags and custom values; absent parts stay as they are. */
export const updateLeadInput = z
  .strictObject({
    /** The lead's tags after the change (all of them). */
    tagIds: tagIds.optional(),
    /** Values to set by key; '' or null clears one. Other keys keep their values. */
    custom: customValues.optional(),
    /** Keep the lead with its owner: recycling leaves it alone (managers and admins). */
    recycleLocked: z.boolean().optional(),
  })
  .refine((u) => u.tagIds !== undefined || u.custom !== undefined || u.recycleLocked !== undefined, { message: 'nothing_to_change' });
export type UpdateLeadInput = z.infer<typeof updateLeadInput>;
