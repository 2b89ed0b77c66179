import { eq, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import { leads } from '../../db/schema/index.ts';
import { AppError, type ErrorCode } from '../errors.ts';
import type { Viewer } from '../viewer.ts';
import { canEditLead } from './lead-profile.usecases.ts';

/**
 * Locks a held lead for someone working it: the owner, a rep it is shared with, a manager of the
 * owner's team, an admin. Answers its row; throws `lead.not_found`, `inPool` when it is back in the
 * pool, or `lead.not_editable`. The row lock orders the work with a recycling sweep.
 */
export async function lockWorkedLead(tx: Db, viewer: Viewer, leadId: number, inPool: ErrorCode) {
  const [row] = await tx
    .select({
      ownerId: leads.ownerId,
      teamId: leads.teamId,
      stage: leads.stage,
      expectedAmount: leads.expectedAmount,
      shared: sql<boolean>`exists (select 1 from lead_shares s where s.lead_id = ${leads.id} and s.user_id = ${viewer.id})`,
    })
    .from(leads)
    .where(eq(leads.id, leadId))
    .for('update');
  if (!row) throw new AppError('lead.not_found', { id: leadId });
  if (row.ownerId === null) throw new AppError(inPool);
  if (!canEditLead(viewer, row) && !row.shared) throw new AppError('lead.not_editable');
  return row;
}
