import { sql } from 'drizzle-orm';
import { rowsOf, type Db } from '../../db/client.ts';
import type { Lead } from '../../db/schema/index.ts';
import { companyKey } from '../dedup/cleaning.ts';
import { appendEventsSql } from '../events/event-log.ts';
import type { Actor, CustomValue, FilledField, LeadChanges } from '../events/lead-event.ts';
import { leadViewFrom, leadViewJson } from '../leads/leads.repository.ts';

/** A cleaned, validated lead from a bulk source (an import row): phones in E.164, email lower-case. */
export type LeadCandidate = { rowNo: number } & Pick<
  Lead,
  | 'company'
  | 'contactName'
  | 'title'
  | 'mobile'
  | 'phone'
  | 'phoneExt'
  | 'email'
  | 'province'
  | 'city'
  | 'industry'
  | 'intent'
  | 'expectedAmount'
  | 'sourceChannel'
  | 'exhibitionId'
  | 'custom'
>;

/** Which key of an existing (or earlier) lead the row matched. */
export type BulkDuplicateReason = 'mobile' | 'phone' | 'email' | 'company';

export type IngestOutcome =
  | { rowNo: number; outcome: 'created'; leadId: number }
  | { rowNo: number; outcome: 'duplicate' | 'merged'; duplicateOfId: number; reason: BulkDuplicateReason };

export interface IngestOptions {
  onDuplicate: 'skip' | 'merge';
  actor: Actor;
  createdBy: string | null;
}

// Held by a bulk batch exclusively and by every single entry (createLead) shared: a batch's
// duplicate check and inserts never interleave with a manual entry of the same phone.
const INGEST_LOCK = 0x1ead_0002;

/** The single-entry side of the ingest lock (shared: single entries do not wait for each other). */
export const takeSharedIngestLock = (tx: Db) => tx.execute(sql`select pg_advisory_xact_lock_shared(${INGEST_LOCK})`);

type Ref = { leadId: number } | { pending: number };

const keysOf = (c: LeadCandidate, key: string): [string, BulkDuplicateReason][] => [
  ...(c.mobile ? [[`tel:${c.mobile}`, 'mobile'] as [string, BulkDuplicateReason]] : []),
  ...(c.phone ? [[`tel:${c.phone}`, 'phone'] as [string, BulkDuplicateReason]] : []),
  ...(c.email ? [[`email:${c.email}`, 'email'] as [string, BulkDuplicateReason]] : []),
  [`company:${key}`, 'company'],
];

// How a candidate matches an existing lead, strongest first: the lead's column, the candidate's.
const matchRules = [
  { lead: 'mobile', candidate: 'mobile', reason: 'mobile' },
  { lead: 'phone', candidate: 'phone', reason: 'phone' },
  { lead: 'mobile', candidate: 'phone', reason: 'mobile' },
  { lead: 'phone', candidate: 'mobile', reason: 'phone' },
  { lead: 'email', candidate: 'email', reason: 'email' },
  { lead: 'company_key', candidate: 'company_key', reason: 'company' },
] as const satisfies readonly { lead: string; candidate: string; reason: BulkDuplicateReason }[];

type Match = { leadId: number; rank: number };

/** The candidates' keys as a recordset `r(n, mobile, phone, email, company_key)`. */
const candidateKeys = (candidates: LeadCandidate[], keys: string[]) =>
  sql`jsonb_to_recordset(${JSON.stringify(candidates.map((c, n) => ({ n, mobile: c.mobile, phone: c.phone, email: c.email, company_key: keys[n] })))}::jsonb)
    as r(n int, mobile text, phone text, email text, company_key text)`;

const strongest = (rows: { n: number; id: number; rank: number }[], into = new Map<number, Match>()) => {
  for (const row of rows) {
    const known = into.get(Number(row.n));
    if (!known || row.rank < known.rank) into.set(Number(row.n), { leadId: Number(row.id), rank: row.rank });
  }
  return into;
};

/** Existing leads a batch matches, as of one snapshot: the log's last seq in that snapshot. */
export interface ExistingMatches {
  asOfSeq: number;
  byN: Map<number, Match>;
  /** The candidates' company keys, as probed (ingestBatch uses them too). */
  keys: string[];
}

/**
 * Matches a batch against every existing lead (an index lookup per rule and row). It may run
 * outside the batch's transaction and ahead of it — an import matches the next batch while it
 * writes this one — because ingestBatch then also matches what was committed after `asOfSeq`:
 * every write of a lead appends to the log, in commit order.
 */
export async function probeExisting(db: Db, candidates: LeadCandidate[], keys = candidates.map((c) => companyKey(c.company))): Promise<ExistingMatches> {
  // coalesce evaluates its arguments in order and stops at the first match: the strongest rule wins.
  const strongestRule = sql.join(
    matchRules.map((rule, i) => sql`(select array[l.id, ${sql.raw(String(i))}] from leads l where l.${sql.raw(rule.lead)} = r.${sql.raw(rule.candidate)} limit 1)`),
    sql`, `,
  );
  const [found] = rowsOf<{ as_of: number; matches: [number, number, number][] }>(
    await db.execute(sql`select (select coalesce(max(seq), 0) from lead_events)::float8 as as_of,
      coalesce((select jsonb_agg(jsonb_build_array(m.n, m.match[1], m.match[2])) from (
        select r.n, coalesce(${strongestRule}) as match from ${candidateKeys(candidates, keys)}) m
        where m.match is not null), '[]'::jsonb) as matches`),
  );
  return { asOfSeq: Number(found!.as_of), byN: strongest(found!.matches.map(([n, id, rank]) => ({ n, id, rank }))), keys };
}

/** Adds the matches among leads committed after the probe's snapshot (few: a hash join each). */
async function matchSince(tx: Db, candidates: LeadCandidate[], keys: string[], probed: ExistingMatches): Promise<Map<number, Match>> {
  const byN = new Map(probed.byN);
  const recent = rowsOf<{ n: number; id: number; rank: number }>(
    await tx.execute(sql`with r as materialized (select * from ${candidateKeys(candidates, keys)}),
      recent as materialized (select l.id, l.mobile, l.phone, l.email, l.company_key from leads l
        where l.id in (select lead_id from lead_events where seq > ${probed.asOfSeq}))
      ${sql.join(
        matchRules.map((rule, i) => sql`select r.n, x.id::float8 as id, ${sql.raw(String(i))} as rank from r join recent x on x.${sql.raw(rule.lead)} = r.${sql.raw(rule.candidate)}`),
        sql` union all `,
      )}`),
  );
  return strongest(recent, byN);
}

/**
 * Ingests a batch in a few statements, inside the caller's transaction: existing duplicates by
 * exact mobile, phone (either column), email or company key; duplicates within the batch; the
 * new leads inserted with one `lead.created` event each. Earlier batches are already leads, so
 * duplicates across a whole file are caught too. `probed` is the batch's probeExisting taken
 * earlier (without it the batch is probed here). Returns an outcome per candidate and the
 * highest event seq appended.
 */
export async function ingestBatch(
  tx: Db,
  candidates: LeadCandidate[],
  opts: IngestOptions,
  probed?: ExistingMatches,
): Promise<{ outcomes: IngestOutcome[]; lastSeq: number | null }> {
  if (candidates.length === 0) return { outcomes: [], lastSeq: null };
  await tx.execute(sql`select pg_advisory_xact_lock(${INGEST_LOCK})`);
  const keys = probed?.keys ?? candidates.map((c) => companyKey(c.company));
  const existingByN = probed ? await matchSince(tx, candidates, keys, probed) : (await probeExisting(tx, candidates, keys)).byN;

  // In file order: a row matching an existing lead, or an earlier row of the batch, is a duplicate of it.
  const seen = new Map<string, Ref>();
  const dupOf: ({ ref: Ref; reason: BulkDuplicateReason } | null)[] = [];
  const fresh: number[] = [];
  candidates.forEach((c, n) => {
    const own = keysOf(c, keys[n]!);
    const match = existingByN.get(n);
    if (match) {
      dupOf.push({ ref: { leadId: match.leadId }, reason: matchRules[match.rank]!.reason });
      for (const [k] of own) if (!seen.has(k)) seen.set(k, { leadId: match.leadId });
      return;
    }
    const earlier = own.find(([k]) => seen.has(k));
    if (earlier) {
      dupOf.push({ ref: seen.get(earlier[0])!, reason: earlier[1] });
      return;
    }
    dupOf.push(null);
    fresh.push(n);
    for (const [k] of own) seen.set(k, { pending: n });
  });

  const leadIdOf = new Map<number, number>();
  let lastSeq: number | null = null;
  if (fresh.length > 0) {
    const rows = JSON.stringify(
      fresh.map((n) => {
        const c = candidates[n]!;
        return {
          n, company: c.company, company_key: keys[n], contact_name: c.contactName, title: c.title, mobile: c.mobile, phone: c.phone,
          phone_ext: c.phoneExt, email: c.email, province: c.province, city: c.city, industry: c.industry, intent: c.intent,
          expected_amount: c.expectedAmount, source_channel: c.sourceChannel, exhibition_id: c.exhibitionId, custom: c.custom,
        };
      }),
    );
    const inserted = rowsOf<{ id: number; company_key: string; last_seq: number | null }>(
      await tx.execute(sql`with input as (
          select * from jsonb_to_recordset(${rows}::jsonb) as r(n int, company text, company_key text, contact_name text, title text,
            mobile text, phone text, phone_ext text, email text, province text, city text, industry text, intent text,
            expected_amount numeric, source_channel text, exhibition_id text, custom jsonb)),
        inserted as (
          insert into leads (company, company_key, contact_name, title, mobile, phone, phone_ext, email, province, city, industry,
            intent, expected_amount, source_channel, exhibition_id, custom, created_by)
          select company, company_key, contact_name, title, mobile, phone, phone_ext, email, province, city, industry,
            intent, expected_amount, source_channel, exhibition_id, coalesce(custom, '{}'::jsonb), ${opts.createdBy}::text
          from input order by n
          returning *),
        viewed as (select l.id, l.company_key, ${leadViewJson} as lead ${leadViewFrom(sql`inserted`)}),
        logged as (${appendEventsSql(sql`select id as lead_id, 'lead.created' as type, ${opts.actor.type}::text as actor_type,
          ${opts.actor.id}::text as actor_id, ${opts.actor.name}::text as actor_name, null::text as owner_id, null::text as team_id,
          jsonb_build_object('lead', lead) as data, id as n from viewed`)})
        select v.id::float8 as id, v.company_key, (select max(seq)::float8 from logged) as last_seq from viewed v`),
    );
    // Company keys are unique among the batch's new leads (a repeated one is a duplicate above).
    const byKey = new Map(inserted.map((r) => [r.company_key, Number(r.id)]));
    for (const n of fresh) leadIdOf.set(n, byKey.get(keys[n]!)!);
    lastSeq = inserted[0]?.last_seq != null ? Number(inserted[0].last_seq) : null;
  }

  const outcomes: IngestOutcome[] = candidates.map((c, n) => {
    const dup = dupOf[n];
    if (!dup) return { rowNo: c.rowNo, outcome: 'created', leadId: leadIdOf.get(n)! };
    const duplicateOfId = 'leadId' in dup.ref ? dup.ref.leadId : leadIdOf.get(dup.ref.pending)!;
    return { rowNo: c.rowNo, outcome: opts.onDuplicate === 'merge' ? 'merged' : 'duplicate', duplicateOfId, reason: dup.reason };
  });

  if (opts.onDuplicate === 'merge') {
    const mergedSeq = await mergeInto(tx, candidates, outcomes, opts.actor);
    if (mergedSeq !== null) lastSeq = Math.max(lastSeq ?? 0, mergedSeq);
  }
  return { outcomes, lastSeq };
}

/** Merging fills what the existing lead lacks (contact, title, region, industry, custom values); it never overwrites. */
async function mergeInto(tx: Db, candidates: LeadCandidate[], outcomes: IngestOutcome[], actor: Actor): Promise<number | null> {
  const byLead = new Map<number, LeadCandidate>();
  outcomes.forEach((o, n) => {
    if (o.outcome === 'merged' && !byLead.has(o.duplicateOfId)) byLead.set(o.duplicateOfId, candidates[n]!);
  });
  if (byLead.size === 0) return null;
  const current = rowsOf<{ id: number } & Record<(typeof filledColumns)[number][1], string | null> & { custom: Record<string, CustomValue> }>(
    await tx.execute(sql`select id::float8 as id, contact_name, title, province, city, industry, custom from leads
      where id in (select jsonb_array_elements_text(${JSON.stringify([...byLead.keys()])}::jsonb)::bigint) for update`),
  );
  const labels = new Map<string, string>();
  const changed: { id: number; set: Record<string, unknown>; changes: LeadChanges }[] = [];
  for (const lead of current) {
    const row = byLead.get(Number(lead.id))!;
    const fields = filledColumns.flatMap(([field, column]) =>
      lead[column] === null && row[field] ? [{ field, column, from: null, to: row[field] as string }] : [],
    );
    const added = Object.entries(row.custom).filter(([key, value]) => !(key in lead.custom) && value !== undefined) as [string, CustomValue][];
    if (fields.length === 0 && added.length === 0) continue;
    if (added.length > 0 && labels.size === 0) {
      for (const f of rowsOf<{ key: string; label: string }>(await tx.execute(sql`select key, label from custom_fields`))) labels.set(f.key, f.label);
    }
    changed.push({
      id: Number(lead.id),
      set: { ...Object.fromEntries(fields.map((f) => [f.column, f.to])), custom: { ...Object.fromEntries(added), ...lead.custom } },
      changes: {
        ...(fields.length > 0 ? { fields: fields.map(({ field, from, to }) => ({ field, from, to })) } : {}),
        ...(added.length > 0 ? { custom: added.map(([key, to]) => ({ key, label: labels.get(key) ?? key, from: null, to })) } : {}),
      },
    });
  }
  if (changed.length === 0) return null;
  const rows = JSON.stringify(changed.map((c) => ({ id: c.id, changes: c.changes, ...c.set })));
  // Fill the gaps, build the new views and append one lead.updated per lead, in one statement.
  const [logged] = rowsOf<{ last_seq: number | null }>(
    await tx.execute(sql`with input as (
        select * from jsonb_to_recordset(${rows}::jsonb) as r(id bigint, changes jsonb, contact_name text, title text, province text, city text,
          industry text, custom jsonb)),
      updated as (
        update leads l set contact_name = coalesce(l.contact_name, r.contact_name), title = coalesce(l.title, r.title),
          province = coalesce(l.province, r.province), city = coalesce(l.city, r.city), industry = coalesce(l.industry, r.industry),
          custom = r.custom
        from input r where l.id = r.id
        returning l.*),
      viewed as (select l.id, l.owner_id, l.team_id, ${leadViewJson} as lead ${leadViewFrom(sql`updated`)}),
      logged as (${appendEventsSql(sql`select v.id as lead_id, 'lead.updated' as type, ${actor.type}::text as actor_type,
        ${actor.id}::text as actor_id, ${actor.name}::text as actor_name, v.owner_id, v.team_id,
        jsonb_build_object('lead', v.lead, 'changes', i.changes) as data, v.id as n from viewed v join input i on i.id = v.id`)})
      select max(seq)::float8 as last_seq from logged`),
  );
  return logged?.last_seq != null ? Number(logged.last_seq) : null;
}

const filledColumns = [
  ['contactName', 'contact_name'],
  ['title', 'title'],
  ['province', 'province'],
  ['city', 'city'],
  ['industry', 'industry'],
] as const satisfies readonly (readonly [FilledField, string])[];
