import { isValidPhoneNumber } from 'libphonenumber-js/min';
import { z } from 'zod';

// Errors are codes (as the server's are); the form translates them when it shows them.
const text = (max: number) => z.string().trim().max(max, 'too_big');

/** The booth form, mirroring the server's `boothLeadInput` ('' means "not given"). */
export const boothSchema = z.object({
  company: text(200).min(1, 'required'),
  contactName: text(100).min(1, 'required'),
  mobile: z
    .string()
    .trim()
    .min(1, { message: 'required', abort: true })
    .refine((v) => isValidPhoneNumber(v.normalize('NFKC'), 'CN'), 'invalid_mobile'),
  email: z.string().trim().max(200, 'too_big').refine((v) => v === '' || z.email().safeParse(v).success, 'invalid_email'),
  title: text(100),
  interest: text(500),
  /** The honeypot: hidden from people, filled by bots. */
  website: z.string(),
});
export type BoothFields = z.infer<typeof boothSchema>;

export const blankBooth = (): BoothFields => ({ company: '', contactName: '', mobile: '', email: '', title: '', interest: '', website: '' });

/** What is sent: empty optional fields left out, the honeypot only when filled. */
export function boothPayload(fields: BoothFields) {
  const { website, ...rest } = fields;
  const given = Object.fromEntries(Object.entries(rest).filter(([, v]) => v.trim() !== ''));
  return { ...given, company: fields.company, contactName: fields.contactName, mobile: fields.mobile, ...(website ? { website } : {}) };
}
