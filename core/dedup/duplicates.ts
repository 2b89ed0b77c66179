import { sql } from 'drizzle-orm';
import { executePrepared, rowsOf, type Db } from '../../db/client.ts';
import type { Stage } from '../../db/schema/index.ts';
import { companyKey } from './cleaning.ts';

/** Why an existing lead matched: the first three make it a duplicate, the company ones a possible one. */
export type DuplicateReason = 'mobile' | 'phone' | 'email' | 'company' | 'company_similar';

export interface DuplicateMatch {
  leadId: number;
  company: string;
  stage: Stage;
  ownerId: string | null;
  ownerName: string | null;
  reasons: DuplicateReason[];
  /** A phone or email match: the new lead may not be saved as a second copy. */
  blocking: boolean;
}

/** What a new lead is matched on, already cleaned (E.164 phones, lower-case email). */
export interface DuplicateProbe {
  company?: string | null;
  mobile?: string | null;
  phone?: string | null;
  email?: string | null;
}

/** Company keys at least this similar (pg_trgm) are a possible duplicate. */
export const SIMILAR_COMPANY = 0.5;

/** Existing leads, in the pool or owned, that the probe duplicates; blocking matches first, at most `limit`. */
export async function findDuplicates(db: Db, probe: DuplicateProbe, limit = 10): Promise<DuplicateMatch[]> {
  const key = probe.company ? companyKey(probe.company) : null;
  if (!probe.mobile && !probe.phone && !probe.email && !key) return [];
  const phones = sql`array[${probe.mobile ?? null}, ${probe.phone ?? null}]::text[]`;
  const rows = await executePrepared<{
    id: number;
    company: string;
    stage: Stage;
    owner_id: string | null;
    owner_name: string | null;
    by_mobile: boolean;
    by_phone: boolean;
    by_email: boolean;
    similarity: number | null;
  }>(
    db,
    sql`select * from (
        select l.id::float8 as id, l.company, l.stage, l.owner_id, o.name as owner_name,
          coalesce(l.mobile = any(${phones}), false) as by_mobile,
          coalesce(l.phone = any(${phones}), false) as by_phone,
          coalesce(l.email = ${probe.email ?? null}::text, false) as by_email,
          similarity(l.company_key, ${key}::text)::float8 as similarity
        from leads l left join users o on o.id = l.owner_id
        where l.mobile = any(${phones}) or l.phone = any(${phones}) or l.email = ${probe.email ?? null}::text
          or (l.company_key % ${key}::text and similarity(l.company_key, ${key}::text) >= ${SIMILAR_COMPANY})
      ) matched
      order by (by_mobile or by_phone or by_email) desc, similarity desc nulls last, id
      limit ${limit}`,
  );
  return rows.map((r) => {
    const reasons: DuplicateReason[] = [];
    if (r.by_mobile) reasons.push('mobile');
    if (r.by_phone) reasons.push('phone');
    if (r.by_email) reasons.push('email');
    if (r.similarity !== null && r.similarity >= 1) reasons.push('company');
    else if (r.similarity !== null && r.similarity >= SIMILAR_COMPANY) reasons.push('company_similar');
    return {
      leadId: Number(r.id),
      company: r.company,
      stage: r.stage,
      ownerId: r.owner_id,
      ownerName: r.owner_name,
      reasons,
      blocking: r.by_mobile || r.by_phone || r.by_email,
    };
  });
}

/** Sets the company key of rows written before it existed (idempotent; a no-op once done). */
export async function fillCompanyKeys(db: Db): Promise<number> {
  let filled = 0;
  for (;;) {
    const batch = rowsOf<{ id: number; company: string }>(await db.execute(sql`select id::float8 as id, company from leads where company_key is null limit 1000`));
    if (batch.length === 0) return filled;
    const keyed = JSON.stringify(batch.map((r) => ({ id: Number(r.id), key: companyKey(r.company) })));
    await db.execute(sql`update leads l set company_key = k.key
      from jsonb_to_recordset(${keyed}::jsonb) as k(id bigint, key text) where l.id = k.id`);
    filled += batch.length;
  }
}
