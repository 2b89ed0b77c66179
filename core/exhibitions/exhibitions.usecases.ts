import { desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { exhibitions } from '../../db/schema/index.ts';
import { assertTeamsExist } from '../teams/teams.usecases.ts';
import { AppError } from '../errors.ts';

const isoDate = z.iso.date('invalid_date');

export const exhibitionInput = z
  .strictObject({
    name: z.string().trim().min(1, 'required').max(200),
    city: z.string().trim().min(1, 'required').max(50),
    startsOn: isoDate,
    endsOn: isoDate,
    cost: z.coerce.number().min(0).max(1e12).default(0),
    // The team working the show (a pool's new-lead protection reserves its booth leads for it).
    teamId: z.string().min(1).max(100).nullable().default(null),
  })
  .refine((e) => e.endsOn >= e.startsOn, { path: ['endsOn'], message: 'ends_before_start' });
export type ExhibitionInput = z.infer<typeof exhibitionInput>;

// The booth token is handed out by the booth-form admin call only.
export type ExhibitionView = Omit<typeof exhibitions.$inferSelect, 'createdAt' | 'boothToken'>;

const columns = {
  id: exhibitions.id,
  name: exhibitions.name,
  city: exhibitions.city,
  startsOn: exhibitions.startsOn,
  endsOn: exhibitions.endsOn,
  cost: exhibitions.cost,
  teamId: exhibitions.teamId,
};

export function listExhibitions(db: Db): Promise<ExhibitionView[]> {
  return db.select(columns).from(exhibitions).orderBy(desc(exhibitions.startsOn));
}

export async function createExhibition(db: Db, input: ExhibitionInput): Promise<ExhibitionView> {
  await assertTeamsExist(db, [input.teamId]);
  const [row] = await db.insert(exhibitions).values(input).returning(columns);
  return row!;
}

export async function updateExhibition(db: Db, id: string, input: ExhibitionInput): Promise<ExhibitionView> {
  await assertTeamsExist(db, [input.teamId]);
  const [row] = await db.update(exhibitions).set(input).where(eq(exhibitions.id, id)).returning(columns);
  if (!row) throw new AppError('exhibition.not_found', { id });
  return row;
}
