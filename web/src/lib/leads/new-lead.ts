import { isValidPhoneNumber } from 'libphonenumber-js/min';
import { z } from 'zod';
import { api, ApiError, call } from '#lib/api/client.js';
import { intents, type LeadView } from '#lib/api/types.js';

// Errors are codes (as the server's are); the form translates them when it shows them.
const text = (max: number) => z.string().trim().max(max, 'too_big');
const phone = (code: 'invalid_mobile' | 'invalid_phone') =>
  z.string().trim().refine((v) => v === '' || isValidPhoneNumber(v.normalize('NFKC'), 'CN'), code);

/** The new-lead form, mirroring the server's `createLeadInput` ('' means "not given"). */
export const newLeadSchema = z.object({
  company: text(200).min(1, 'required'),
  contactName: text(100),
  title: text(100),
  mobile: phone('invalid_mobile'),
  phone: phone('invalid_phone'),
  email: z.string().trim().max(200, 'too_big').refine((v) => v === '' || z.email().safeParse(v).success, 'invalid_email'),
  province: text(50),
  city: text(50),
  industry: text(50),
  exhibitionId: z.string(),
  intent: z.enum(['', ...intents]),
  expectedAmount: z.string().trim().refine((v) => v === '' || (Number.isFinite(Number(v)) && Number(v) >= 0), 'invalid'),
  assignToMe: z.boolean(),
});
export type NewLeadForm = z.infer<typeof newLeadSchema>;

/**
 * Sends the form with its tags and custom values; empty strings become absent fields.
 * `duplicateReason` overrides a similar-company match.
 */
export async function submitNewLead(
  form: NewLeadForm,
  extras: { tagIds: string[]; custom: Record<string, string | string[]> } = { tagIds: [], custom: {} },
  duplicateReason?: string,
): Promise<LeadView> {
  const { assignToMe, intent, expectedAmount, ...rest } = form;
  const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v.trim() !== ''));
  const json = {
    ...fields,
    company: form.company,
    ...(intent ? { intent } : {}),
    ...(expectedAmount ? { expectedAmount: Number(expectedAmount) } : {}),
    assignToMe,
    ...(duplicateReason ? { duplicateReason } : {}),
    ...extras,
  };
  return (await call(api.leads.$post({ json }))).lead;
}

/** A 422's field errors, restricted to fields the form has. */
export function formFieldErrors(err: unknown): [keyof NewLeadForm, string[]][] {
  if (!(err instanceof ApiError) || err.code !== 'request.invalid') return [];
  const known = Object.keys(newLeadSchema.shape);
  return Object.entries(err.fields).filter(([field]) => known.includes(field)) as [keyof NewLeadForm, string[]][];
}
