import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { exhibitions } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Actor } from '../events/lead-event.ts';
import { doorLeadInput, intakeLead, type IntakeOutcome } from '../intake/intake.usecases.ts';

/** The name the event log gives leads from the booth QR form. */
export const boothActor: Actor = { type: 'system', id: null, name: '展会扫码表单' };

const isObject = (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value);

/**
 * What a booth visitor fills in: the lead's own fields, company, name and mobile required, a product
 * interest, and `website`, a field people never see (bots filling every field do).
 */
export const boothLeadInput = doorLeadInput
  .pick({ company: true, contactName: true, title: true, mobile: true, email: true })
  .extend({
    interest: z.string().trim().max(500).optional(),
    website: z.string().max(500).optional(),
  })
  // `when`: say what is missing together with the other fields' errors, not after they are fixed.
  .refine((v) => Boolean(v.contactName), { path: ['contactName'], message: 'required', when: isObject })
  .refine((v) => Boolean(v.mobile), { path: ['mobile'], message: 'required', when: isObject });
export type BoothLeadInput = z.infer<typeof boothLeadInput>;

/** What the public form shows about its exhibition. */
export interface BoothView {
  exhibitionName: string;
  city: string;
  startsOn: string;
  endsOn: string;
}

/** 24 random bytes as base64url: 32 characters nobody guesses. */
const newToken = () => randomBytes(24).toString('base64url');

/** The exhibition's booth token, or null while no QR code was asked for. */
export async function boothTokenOf(db: Db, exhibitionId: string): Promise<string | null> {
  const [row] = await db.select({ token: exhibitions.boothToken }).from(exhibitions).where(eq(exhibitions.id, exhibitionId));
  if (!row) throw new AppError('exhibition.not_found', { id: exhibitionId });
  return row.token;
}

/** Gives the exhibition a booth token (a new one on `regenerate`: printed QR codes of the old one stop working). */
export async function issueBoothToken(db: Db, exhibitionId: string, regenerate: boolean): Promise<string> {
  const current = await boothTokenOf(db, exhibitionId);
  if (current && !regenerate) return current;
  const [row] = await db.update(exhibitions).set({ boothToken: newToken() }).where(eq(exhibitions.id, exhibitionId)).returning({ token: exhibitions.boothToken });
  return row!.token!;
}

async function exhibitionOfToken(db: Db, token: string) {
  const [row] = await db
    .select({ id: exhibitions.id, exhibitionName: exhibitions.name, city: exhibitions.city, startsOn: exhibitions.startsOn, endsOn: exhibitions.endsOn })
    .from(exhibitions)
    .where(eq(exhibitions.boothToken, token));
  if (!row) throw new AppError('booth.not_found');
  return row;
}

export async function boothView(db: Db, token: string): Promise<BoothView> {
  const { id: _id, ...view } = await exhibitionOfToken(db, token);
  return view;
}

/**
 * A visitor's submission: into the pool with the exhibition preset, cleaned and de-duplicated like
 * any lead (a repeat visitor adds nothing). A filled honeypot is dropped without a word: the bot
 * sees the same answer as a person. Null when nothing was stored for that reason.
 */
export async function submitBoothLead(ctx: CoreContext, token: string, input: BoothLeadInput): Promise<IntakeOutcome | null> {
  const exhibition = await exhibitionOfToken(ctx.db, token);
  const { interest, website, ...lead } = input;
  if (website) return null;
  return intakeLead(ctx, { actor: boothActor, sourceChannel: 'exhibition', exhibitionId: exhibition.id }, lead, interest || undefined);
}
