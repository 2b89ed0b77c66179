import { sql, type SQL } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.ts';
import type { LeadView } from './lead-view.ts';

// The claim path reads a lead on every request; Drizzle's select builder costs ~10× the query
// itself there, so lead views are read with this one hand-written statement (snake_case columns).
const selectViews = sql`select l.id::float8 as id, l.company, l.contact_name, l.title, l.mobile, l.phone, l.email,
  l.province, l.city, l.industry, l.source_channel, l.exhibition_id, e.name as exhibition_name, l.intent, l.stage,
  l.owner_id, o.name as owner_name, l.team_id, l.claimed_at, l.last_activity_at, l.expected_amount::float8 as expected_amount,
  l.created_by, l.created_at
  from leads l left join exhibitions e on e.id = l.exhibition_id left join users o on o.id = l.owner_id`;

type Row = Record<string, unknown>;
const iso = (value: unknown) => (value == null ? null : new Date(value as string | Date).toISOString());

function toView(r: Row): LeadView {
  return {
    id: Number(r.id),
    company: r.company as string,
    contactName: r.contact_name as string | null,
    title: r.title as string | null,
    mobile: r.mobile as string | null,
    phone: r.phone as string | null,
    email: r.email as string | null,
    province: r.province as string | null,
    city: r.city as string | null,
    industry: r.industry as string | null,
    sourceChannel: r.source_channel as LeadView['sourceChannel'],
    exhibitionId: r.exhibition_id as string | null,
    exhibitionName: r.exhibition_name as string | null,
    intent: r.intent as LeadView['intent'],
    stage: r.stage as LeadView['stage'],
    ownerId: r.owner_id as string | null,
    ownerName: r.owner_name as string | null,
    teamId: r.team_id as string | null,
    claimedAt: iso(r.claimed_at),
    lastActivityAt: iso(r.last_activity_at),
    expectedAmount: r.expected_amount == null ? null : Number(r.expected_amount),
    createdBy: r.created_by as string | null,
    createdAt: iso(r.created_at)!,
    contactMasked: false,
  };
}

async function queryViews(db: Db, rest: SQL): Promise<LeadView[]> {
  return rowsOf<Row>(await db.execute(sql`${selectViews} ${rest}`)).map(toView);
}

export async function findLeadView(db: Db, id: number): Promise<LeadView | undefined> {
  const [lead] = await queryViews(db, sql`where l.id = ${id}`);
  return lead;
}

export interface PoolFilter {
  q?: string;
  exhibitionId?: string;
  province?: string;
  industry?: string;
  intent?: string;
}

function poolWhere(filter: PoolFilter): SQL {
  const conditions = [sql`l.owner_id is null`];
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

/** Unclaimed leads, newest first, with the total for paging. */
export async function listPool(db: Db, filter: PoolFilter, limit: number, offset: number) {
  const where = poolWhere(filter);
  const [items, counted] = await Promise.all([
    queryViews(db, sql`${where} order by l.created_at desc, l.id desc limit ${limit} offset ${offset}`),
    db.execute(sql`select count(*)::int as total from leads l ${where}`),
  ]);
  return { items, total: Number(rowsOf<{ total: number }>(counted)[0]?.total ?? 0) };
}

export function listOwnedBy(db: Db, ownerId: string): Promise<LeadView[]> {
  return queryViews(db, sql`where l.owner_id = ${ownerId} order by l.last_activity_at desc nulls last, l.claimed_at desc`);
}

/** The distinct values the pool filters offer. */
export async function poolFacets(db: Db) {
  const distinct = async (column: SQL) =>
    rowsOf<{ value: string }>(await db.execute(sql`select distinct ${column} as value from leads where ${column} is not null order by 1`)).map((r) => r.value);
  const [provinces, industries] = await Promise.all([distinct(sql`province`), distinct(sql`industry`)]);
  return { provinces, industries };
}
