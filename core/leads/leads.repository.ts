import { sql, type SQL } from 'drizzle-orm';
import { executePrepared, rowsOf, sqlArray, type Db } from '../../db/client.ts';
import type { LeadView } from './lead-view.ts';

// Dates exactly as `Date.toISOString()` writes them, so a view read here equals one sent from JS.
export const iso = (column: SQL) => sql`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** The lead and the leads merged into it (lead_merges): their events are its history. */
export const historyOf = (leadId: SQL) => sql`(select ${leadId}::bigint union all select merged_id from lead_merges where survivor_id = ${leadId})`;

// The lead's tags as a JSON array, in the order the admin set for groups and tags.
const leadTagsJson = sql`coalesce((select jsonb_agg(jsonb_build_object('id', t.id, 'name', t.name, 'groupId', g.id, 'groupName', g.name)
    order by g.position, g.name, t.position, t.name)
  from lead_tags lt join tags t on t.id = lt.tag_id join tag_groups g on g.id = t.group_id where lt.lead_id = l.id), '[]'::jsonb)`;

/**
 * A lead view as JSON, built in SQL from a leads row `l`, its exhibition `e` and its owner `o`:
 * the one definition of `LeadView` that reads and the claim statement's event share.
 * (Hand-written: Drizzle's select builder cost ~10× the query itself on the claim path.)
 */
export const leadViewJson = sql`jsonb_build_object(
  'id', l.id, 'company', l.company, 'contactName', l.contact_name, 'title', l.title,
  'mobile', l.mobile, 'phone', l.phone, 'phoneExt', l.phone_ext, 'email', l.email, 'province', l.province, 'city', l.city,
  'industry', l.industry, 'sourceChannel', l.source_channel, 'exhibitionId', l.exhibition_id,
  'exhibitionName', e.name, 'poolId', l.pool_id, 'intent', l.intent, 'stage', l.stage, 'ownerId', l.owner_id,
  'ownerName', o.name, 'teamId', l.team_id, 'claimedAt', ${iso(sql`l.claimed_at`)},
  'lastActivityAt', ${iso(sql`l.last_activity_at`)}, 'lastFollowUpAt', ${iso(sql`l.last_follow_up_at`)},
  'nextFollowUpAt', ${iso(sql`l.next_follow_up_at`)},
  'recycleDueAt', ${iso(sql`l.recycle_due_at`)}, 'recycleRule', l.recycle_rule, 'recycleLocked', l.recycle_locked,
  'remindDueAt', ${iso(sql`l.remind_due_at`)}, 'remindKind', l.remind_kind,
  'expectedAmount', l.expected_amount,
  'approvedAmount', (select max(a.amount) from approval_requests a where a.lead_id = l.id and a.status = 'approved'),
  'createdBy', l.created_by, 'createdAt', ${iso(sql`l.created_at`)}, 'tags', ${leadTagsJson}, 'custom', l.custom,
  'contactMasked', false,
  'onCall', (select jsonb_build_object('userId', c.user_id, 'name', cu.name, 'since', ${iso(sql`c.started_at`)})
    from calls c join users cu on cu.id = c.user_id where c.lead_id = l.id and c.ended_at is null order by c.started_at limit 1),
  'sharedWith', coalesce((select jsonb_agg(jsonb_build_object('id', su.id, 'name', su.name) order by s.created_at)
    from lead_shares s join users su on su.id = s.user_id where s.lead_id = l.id), '[]'::jsonb))`;

/** `from` clause for `leadViewJson`, over the leads table or any relation with its columns. */
export const leadViewFrom = (source: SQL = sql`leads`) =>
  sql`from ${source} l left join exhibitions e on e.id = l.exhibition_id left join users o on o.id = l.owner_id`;

/** Lead views of the rows `rest` (a where, order and limit over `l`) selects. */
export async function queryLeadViews(db: Db, rest: SQL): Promise<LeadView[]> {
  const rows = await executePrepared<{ lead: LeadView }>(db, sql`select ${leadViewJson} as lead ${leadViewFrom()} ${rest}`);
  return rows.map((r) => r.lead);
}

export async function findLeadView(db: Db, id: number): Promise<LeadView | undefined> {
  const [lead] = await queryLeadViews(db, sql`where l.id = ${id}`);
  return lead;
}

/** Several leads' views by id (in no particular order). */
export function findLeadViews(db: Db, ids: number[]): Promise<LeadView[]> {
  return ids.length === 0 ? Promise.resolve([]) : queryLeadViews(db, sql`where l.id = any(${sqlArray(ids, 'bigint')})`);
}

export interface PoolFilter {
  poolId: string;
  q?: string;
  exhibitionId?: string;
  province?: string;
  industry?: string;
  intent?: string;
}

function poolWhere(filter: PoolFilter, extra: SQL[]): SQL {
  const conditions = [sql`l.owner_id is null`, sql`l.pool_id = ${filter.poolId}`, ...extra];
  if (filter.exhibitionId) conditions.push(sql`l.exhibition_id = ${filter.exhibitionId}`);
  if (filter.province) conditions.push(sql`l.province = ${filter.province}`);
  if (filter.industry) conditions.push(sql`l.industry = ${filter.industry}`);
  if (filter.intent) conditions.push(sql`l.intent = ${filter.intent}`);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(sql`(l.company ilike ${like} or l.contact_name ilike ${like})`);
  }
  return sql`where ${sql.join(conditions, sql` and `)}`;
}

/** Unclaimed leads, newest first, with the total for paging; `extra`: more conditions on `l` (tags, custom fields). */
export async function listPool(db: Db, filter: PoolFilter, limit: number, offset: number, extra: SQL[] = []) {
  const where = poolWhere(filter, extra);
  const [items, counted] = await Promise.all([
    queryLeadViews(db, sql`${where} order by l.created_at desc, l.id desc limit ${limit} offset ${offset}`),
    db.execute(sql`select count(*)::int as total from leads l ${where}`),
  ]);
  return { items, total: Number(rowsOf<{ total: number }>(counted)[0]?.total ?? 0) };
}

/** The leads a rep owns, and those shared with them. */
export function listOwnedBy(db: Db, ownerId: string, extra: SQL[] = []): Promise<LeadView[]> {
  const mine = sql`l.id in (select id from leads where owner_id = ${ownerId} union all select lead_id from lead_shares where user_id = ${ownerId})`;
  const where = sql.join([mine, ...extra], sql` and `);
  return queryLeadViews(db, sql`where ${where} order by l.last_activity_at desc nulls last, l.claimed_at desc`);
}

/** The distinct values the pool filters offer. */
export async function poolFacets(db: Db) {
  const distinct = async (column: SQL) =>
    rowsOf<{ value: string }>(await db.execute(sql`select distinct ${column} as value from leads where ${column} is not null order by 1`)).map((r) => r.value);
  const [provinces, industries] = await Promise.all([distinct(sql`province`), distinct(sql`industry`)]);
  return { provinces, industries };
}
