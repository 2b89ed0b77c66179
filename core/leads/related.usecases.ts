import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.ts';
import type { Stage } from '../../db/schema/index.ts';
import type { Viewer } from '../viewer.ts';
import { queryLeadViews } from './leads.repository.ts';
import { canViewLead } from './visibility.ts';

/**
 * Another lead of the same company. Everyone sees that it exists, its stage and whose it is (so nobody
 * works the customer twice without knowing); `visible`: the viewer may open it.
 */
export interface RelatedLead {
  id: number;
  company: string;
  contactName: string | null;
  stage: Stage;
  ownerId: string | null;
  ownerName: string | null;
  visible: boolean;
  createdAt: string;
}

/** At most this many (a company with more leads than this is a data problem the merge tools answer). */
const RELATED_MAX = 20;

/** The other leads with the lead's company key, newest first. */
export async function listRelated(db: Db, viewer: Viewer, leadId: number): Promise<RelatedLead[]> {
  const leads = await queryLeadViews(
    db,
    sql`where l.company_key = (select company_key from leads where id = ${leadId}) and l.id <> ${leadId} order by l.created_at desc, l.id desc limit ${RELATED_MAX}`,
  );
  return leads.map((lead) => {
    const visible = canViewLead(viewer, lead);
    return {
      id: lead.id,
      company: lead.company,
      contactName: visible ? lead.contactName : null,
      stage: lead.stage,
      ownerId: lead.ownerId,
      ownerName: lead.ownerName,
      visible,
      createdAt: lead.createdAt,
    };
  });
}
