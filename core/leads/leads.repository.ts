import { and, desc, eq, ilike, isNull, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.ts';
import { exhibitions, leads, users } from '../../db/schema/index.ts';
import type { LeadView } from './lead-view.ts';

const owner = alias(users, 'owner');

const leadViewColumns = {
  lead: leads,
  exhibitionName: exhibitions.name,
  ownerName: owner.name,
};

type LeadViewRow = { lead: typeof leads.$inferSelect; exhibitionName: string | null; ownerName: string | null };

function toView({ lead, exhibitionName, ownerName }: LeadViewRow): LeadView {
  return {
    id: lead.id,
    company: lead.company,
    contactName: lead.contactName,
    title: lead.title,
    mobile: lead.mobile,
    phone: lead.phone,
    email: lead.email,
    province: lead.province,
    city: lead.city,
    industry: lead.industry,
    sourceChannel: lead.sourceChannel,
    exhibitionId: lead.exhibitionId,
    exhibitionName,
    intent: lead.intent,
    stage: lead.stage,
    ownerId: lead.ownerId,
    ownerName,
    teamId: lead.teamId,
    claimedAt: lead.claimedAt?.toISOString() ?? null,
    lastActivityAt: lead.lastActivityAt?.toISOString() ?? null,
    expectedAmount: lead.expectedAmount,
    createdBy: lead.createdBy,
    createdAt: lead.createdAt.toISOString(),
    contactMasked: false,
  };
}

function selectViews(db: Db) {
  return db
    .select(leadViewColumns)
    .from(leads)
    .leftJoin(exhibitions, eq(exhibitions.id, leads.exhibitionId))
    .leftJoin(owner, eq(owner.id, leads.ownerId));
}

export async function findLeadView(db: Db, id: number): Promise<LeadView | undefined> {
  const [row] = await selectViews(db).where(eq(leads.id, id));
  return row && toView(row);
}

export interface PoolFilter {
  q?: string;
  exhibitionId?: string;
  province?: string;
  industry?: string;
  intent?: string;
}

function poolWhere(filter: PoolFilter): SQL | undefined {
  const like = filter.q && `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return and(
    isNull(leads.ownerId),
    filter.exhibitionId ? eq(leads.exhibitionId, filter.exhibitionId) : undefined,
    filter.province ? eq(leads.province, filter.province) : undefined,
    filter.industry ? eq(leads.industry, filter.industry) : undefined,
    filter.intent ? eq(leads.intent, filter.intent as 'A') : undefined,
    like ? or(ilike(leads.company, like), ilike(leads.contactName, like)) : undefined,
  );
}

/** Unclaimed leads, newest first, with the total for paging. */
export async function listPool(db: Db, filter: PoolFilter, limit: number, offset: number) {
  const where = poolWhere(filter);
  const [rows, [counted]] = await Promise.all([
    selectViews(db).where(where).orderBy(desc(leads.createdAt), desc(leads.id)).limit(limit).offset(offset),
    db.select({ total: sql<number>`count(*)`.mapWith(Number) }).from(leads).where(where),
  ]);
  return { items: rows.map(toView), total: counted?.total ?? 0 };
}

export async function listOwnedBy(db: Db, ownerId: string): Promise<LeadView[]> {
  const rows = await selectViews(db)
    .where(eq(leads.ownerId, ownerId))
    .orderBy(sql`${leads.lastActivityAt} desc nulls last`, desc(leads.claimedAt));
  return rows.map(toView);
}

/** The distinct values the pool filters offer. */
export async function poolFacets(db: Db) {
  const [provinces, industries] = await Promise.all([
    db.selectDistinct({ value: leads.province }).from(leads).where(sql`${leads.province} is not null`).orderBy(leads.province),
    db.selectDistinct({ value: leads.industry }).from(leads).where(sql`${leads.industry} is not null`).orderBy(leads.industry),
  ]);
  return { provinces: provinces.map((r) => r.value!), industries: industries.map((r) => r.value!) };
}
