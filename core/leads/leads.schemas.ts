import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { z } from 'zod';
import { intents, sourceChannels } from '../../db/schema/index.ts';

// Forms send '' for an empty optional field; treat it as absent.
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), schema.optional());

const text = (max: number) => z.string().trim().max(max);

/** A Chinese (default region) or international number, stored as E.164. */
const phoneNumber = (kind: 'mobile' | 'any') =>
  z.string().transform((value, ctx) => {
    const parsed = parsePhoneNumberFromString(value.normalize('NFKC'), 'CN');
    const type = parsed?.getType();
    const ok = parsed?.isValid() && (kind === 'any' || type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE');
    if (!ok) {
      ctx.addIssue({ code: 'custom', message: kind === 'mobile' ? 'invalid_mobile' : 'invalid_phone' });
      return z.NEVER;
    }
    return parsed!.number;
  });

export const createLeadInput = z.strictObject({
  company: text(200).min(1, 'required'),
  contactName: optional(text(100)),
  title: optional(text(100)),
  mobile: optional(phoneNumber('mobile')),
  phone: optional(phoneNumber('any')),
  email: optional(z.string().trim().toLowerCase().max(200).pipe(z.email('invalid_email'))),
  province: optional(text(50)),
  city: optional(text(50)),
  industry: optional(text(50)),
  sourceChannel: optional(z.enum(sourceChannels)),
  exhibitionId: optional(z.string().max(100)),
  intent: optional(z.enum(intents)),
  expectedAmount: optional(z.coerce.number().min(0).max(1e12)),
  /** Keep the new lead for myself instead of putting it in the pool. */
  assignToMe: z.boolean().optional(),
});
export type CreateLeadInput = z.infer<typeof createLeadInput>;

export const poolQuery = z.object({
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
