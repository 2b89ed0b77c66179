// node bench/dashboard-seed.ts [--reseed] [--leads 1000000] [--calls 5000000]
// The dashboard bench's data set on PostgreSQL: a year of a 250-rep sales floor, written by
// set-based SQL (generate_series, INSERT … SELECT) with the secondary indexes dropped and built once
// at the end. A seeded database is reused (the marker table says what it holds) unless --reseed;
// a reused one gets today's calls and claims topped up, so "today" on the leaderboard is never empty.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { hashPassword } from 'better-auth/crypto';
import postgres from 'postgres';
import { migrateDatabase, openDatabase } from '../db/client.ts';
import * as words from '../db/seed/demo-data.ts';
import { benchPassword, freshPostgres } from './bench-seed.ts';
import { now } from './stats.ts';

export const dashboardDatabaseUrl = 'postgres://postgres@127.0.0.1:5432/leadpool_dashboard';
/** Bumped whenever the generated data changes shape: an older seed is then replaced. */
const SEED_VERSION = 1;
// The organisation's time zone: the settings' default (the seed writes no settings row).
const zone = 'Asia/Shanghai';

export interface DashboardSeedPlan {
  leads: number;
  calls: number;
  teams: number;
  repsPerTeam: number;
  exhibitions: number;
}

export const defaultPlan: DashboardSeedPlan = { leads: 1_000_000, calls: 5_000_000, teams: 10, repsPerTeam: 25, exhibitions: 40 };

/** Who the bench signs in as, and the figures it checks its readings against. */
export interface DashboardSeed {
  plan: DashboardSeedPlan;
  adminEmail: string;
  managerEmails: string[];
  /** Rep emails, team by team (repsPerTeam each, in the managers' order). */
  repEmails: string[];
  counts: Record<string, number>;
  seededSeconds: number;
  reused: boolean;
  /** Today's top-up on this run (calls and claims), if any. */
  toppedUp: { calls: number; claims: number } | null;
}

const emails = (plan: DashboardSeedPlan) => ({
  adminEmail: 'dash-admin@bench.local',
  managerEmails: Array.from({ length: plan.teams }, (_, t) => `dash-manager${t + 1}@bench.local`),
  repEmails: Array.from({ length: plan.teams * plan.repsPerTeam }, (_, r) => `dash-rep${r + 1}@bench.local`),
});

// The funnel's shape for held leads (cumulative shares), and where lost leads were lost from.
const heldStages: [string, number][] = [['new', 0.2], ['contacted', 0.45], ['qualified', 0.6], ['quoted', 0.7], ['negotiation', 0.76], ['won', 0.84], ['lost', 1]];
const lostFrom: [string, number][] = [['new', 0.25], ['contacted', 0.55], ['qualified', 0.75], ['quoted', 0.9], ['negotiation', 1]];
const sources: [string, number][] = [['exhibition', 0.45], ['import', 0.65], ['web', 0.8], ['manual', 0.9], ['referral', 0.96], ['api', 1]];
// Outcomes of calls (cumulative shares) and their talk or ring time in seconds [min, max].
const outcomes: [string, number, number, number][] = [
  ['connected', 0.35, 60, 900],
  ['no_answer', 0.65, 10, 40],
  ['busy', 0.75, 5, 20],
  ['callback', 0.83, 20, 180],
  ['not_interested', 0.93, 15, 120],
  ['wrong_number', 0.97, 5, 40],
  ['invalid_number', 1, 0, 10],
];

/** `case when r < p1 then k1 when r < p2 then k2 ... end` over cumulative shares. */
const pickBy = (r: string, shares: [string, number, ...unknown[]][]) =>
  `(case ${shares.map(([key, p]) => `when ${r} < ${p} then '${key}'`).join(' ')} else '${shares.at(-1)![0]}' end)`;

/**
 * Migration 0017's backfill of rep_daily from the log and the calls, read from the migration itself
 * so the seed counts exactly as the migration does (one statement, not a copy that drifts).
 */
export function repDailyBackfillSql(): string {
  const folder = path.join(import.meta.dirname, '..', 'db', 'migrations');
  for (const file of readdirSync(folder).filter((f) => f.endsWith('.sql')).sort()) {
    const statements = readFileSync(path.join(folder, file), 'utf8').split('--> statement-breakpoint');
    const backfill = statements.find((s) => /INSERT INTO rep_daily \(/.test(s) && /FROM calls k/.test(s));
    if (backfill) return backfill;
  }
  throw new Error('No migration holds the rep_daily backfill (INSERT INTO rep_daily … FROM calls k): the seed cannot count rep_daily.');
}

async function databaseExists(url: string): Promise<boolean> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const sql = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    return (await sql`select 1 from pg_database where datname = ${name}`).length > 0;
  } finally {
    await sql.end();
  }
}

interface Marker {
  version: number;
  plan: DashboardSeedPlan;
  counts: Record<string, number>;
  seconds: number;
  topped_up_day: string;
}

async function readMarker(sql: postgres.Sql): Promise<Marker | null> {
  const [table] = await sql`select to_regclass('bench_dashboard_seed') as t`;
  if (!table?.t) return null;
  const [row] = await sql<Marker[]>`select version, plan, counts, seconds, to_char(topped_up_day, 'YYYY-MM-DD') as topped_up_day from bench_dashboard_seed`;
  return row ?? null;
}

// Key by key: jsonb does not keep the keys' order.
const samePlan = (a: DashboardSeedPlan, b: DashboardSeedPlan) => (Object.keys(b) as (keyof DashboardSeedPlan)[]).every((k) => a[k] === b[k]);

/**
 * Seeds (or reuses) the dashboard data set at `url`. `log` prints progress lines.
 * Re-seeds when `reseed`, when no complete seed of this version and plan is there.
 */
export async function seedDashboard(url: string, plan: DashboardSeedPlan, options: { reseed?: boolean; log?: (line: string) => void } = {}): Promise<DashboardSeed> {
  const log = options.log ?? ((line: string) => console.log(line));
  if (!options.reseed && (await databaseExists(url))) {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const marker = await readMarker(sql);
      if (marker && marker.version === SEED_VERSION && samePlan(marker.plan, plan)) {
        const toppedUp = await topUpToday(sql, plan, log);
        log(`  reusing the seeded database (${Object.entries(marker.counts).map(([k, v]) => `${k} ${v.toLocaleString()}`).join(', ')}; seeded in ${marker.seconds.toFixed(0)} s)`);
        return { plan, ...emails(plan), counts: marker.counts, seededSeconds: marker.seconds, reused: true, toppedUp };
      }
      log(marker ? '  the database holds another seed version or plan: seeding afresh' : '  the database holds no complete seed: seeding afresh');
    } finally {
      await sql.end();
    }
  }
  await freshPostgres(url);
  const database = await openDatabase({ url, poolSize: 1 });
  await migrateDatabase(database);
  await database.close();
  const sql = postgres(url, { max: 1, onnotice: () => {}, connection: { application_name: 'dashboard-seed' } });
  try {
    const started = now();
    await seedAll(sql, plan, log);
    const toppedUp = await topUpToday(sql, plan, log);
    const step = stepper(log);
    await sql.unsafe('vacuum analyze');
    step('vacuum analyze');
    const counts: Record<string, number> = {};
    for (const table of countedTables) counts[table] = Number((await sql.unsafe(`select count(*)::int as n from ${table}`))[0]!.n);
    const seconds = (now() - started) / 1000;
    await sql`create table bench_dashboard_seed (version int not null, plan jsonb not null, counts jsonb not null, seconds float8 not null, seeded_at timestamptz not null default now(), topped_up_day date not null)`;
    await sql`insert into bench_dashboard_seed (version, plan, counts, seconds, topped_up_day) values (${SEED_VERSION}, ${sql.json(plan as never)}, ${sql.json(counts)}, ${seconds}, org_day(now()))`;
    log(`  seeded in ${seconds.toFixed(0)} s: ${Object.entries(counts).map(([k, v]) => `${k} ${v.toLocaleString()}`).join(', ')}`);
    return { plan, ...emails(plan), counts, seededSeconds: seconds, reused: false, toppedUp };
  } finally {
    await sql.end();
  }
}

function stepper(log: (line: string) => void) {
  let last = now();
  return (what: string) => {
    const t = now();
    log(`    ${what.padEnd(58)} ${((t - last) / 1000).toFixed(1).padStart(6)} s`);
    last = t;
  };
}

async function seedAll(sql: postgres.Sql, plan: DashboardSeedPlan, log: (line: string) => void): Promise<void> {
  const step = stepper(log);
  // Bulk load: no per-row triggers (rep_daily is counted after, by the migration's own backfill; FK
  // triggers are off too, the generated rows are consistent), and no WAL flush per statement.
  await sql.unsafe(`set session_replication_role = replica; set synchronous_commit = off; set maintenance_work_mem = '256MB'; set work_mem = '64MB'`);
  const indexes = await sql<{ name: string; def: string }[]>`
    select i.indexrelid::regclass::text as name, pg_get_indexdef(i.indexrelid) as def
    from pg_index i join pg_class t on t.oid = i.indrelid
    where t.relname in ('leads', 'lead_events', 'calls', 'deals') and not exists (select 1 from pg_constraint c where c.conindid = i.indexrelid)`;
  for (const { name } of indexes) await sql.unsafe(`drop index ${name}`);
  step(`dropped ${indexes.length} secondary indexes`);

  // ---- people ----
  const { adminEmail, managerEmails, repEmails } = emails(plan);
  const password = await hashPassword(benchPassword);
  const teamIds = Array.from({ length: plan.teams }, () => crypto.randomUUID());
  await sql`insert into teams ${sql(teamIds.map((id, t) => ({ id, name: `压测销售${t + 1}组` })))}`;
  const names = words.surnames.flatMap(([s]) => words.givenNames.map(([g]) => s + g));
  const people = [
    { id: crypto.randomUUID(), name: '压测管理员', email: adminEmail, role: 'admin', team_id: null as string | null },
    ...managerEmails.map((email, t) => ({ id: crypto.randomUUID(), name: `经理${names[(t * 7) % names.length]}`, email, role: 'manager', team_id: teamIds[t]! })),
    ...repEmails.map((email, r) => ({ id: crypto.randomUUID(), name: `${names[r % names.length]}${r >= names.length ? Math.floor(r / names.length) + 1 : ''}`, email, role: 'rep', team_id: teamIds[Math.floor(r / plan.repsPerTeam)]! })),
  ].map((p) => ({ ...p, email_verified: true }));
  await sql`insert into users ${sql(people)}`;
  await sql`insert into accounts ${sql(people.map((p) => ({ id: crypto.randomUUID(), user_id: p.id, account_id: p.id, provider_id: 'credential', password })))}`;
  const repIds = people.filter((p) => p.role === 'rep').map((p) => p.id);
  const repTeams = people.filter((p) => p.role === 'rep').map((p) => p.team_id!);
  // Reps hold hundreds of leads each; held leads idle for 30 days go back to the pool (the health board's "about to recycle").
  await sql`update pools set holding_limit = 1000000, recycle_idle_days = 30 where id = 'company'`;

  // ---- exhibitions: one every ~9 days over the last year, 3 days each ----
  const cities = words.regions.flatMap((r) => r.cities);
  const provinces = words.regions.flatMap((r) => r.cities.map(() => r.province));
  const showIds = Array.from({ length: plan.exhibitions }, () => crypto.randomUUID());
  const every = 365 / plan.exhibitions;
  await sql`insert into exhibitions (id, name, city, starts_on, ends_on, cost, team_id)
    select (${showIds}::text[])[i], c.city || '国际' || (${words.industries.map((i) => i.name)}::text[])[1 + i % ${words.industries.length}] || '博览会 ' || to_char(d, 'YYYY'),
      c.city, d, d + 2, round((20000 + random() * 480000)::numeric, -3), (${teamIds}::text[])[1 + i % ${plan.teams}]
    from generate_series(1, ${plan.exhibitions}) i
      cross join lateral (select (org_day(now()) - 365 + floor((i - 1) * ${every}::float8)::int) as d) s
      cross join lateral (select (${cities}::text[])[1 + (i * 7) % ${cities.length}] as city) c`;
  step(`${people.length} users, ${plan.teams} teams, ${plan.exhibitions} exhibitions`);

  // ---- leads: ids in creation order over the last 365 days ----
  const reasons = (await sql<{ id: number }[]>`select id from lost_reasons order by position`).map((r) => r.id);
  const steps = (await sql<{ key: string }[]>`select key from pipeline_stages where kind <> 'lost' order by position`).map((r) => r.key);
  const allWords = words.industries.flatMap((i) => i.words);
  const chunk = 200_000;
  for (let first = 1; first <= plan.leads; first += chunk) {
    const last = Math.min(plan.leads, first + chunk - 1);
    await sql`
      with b as (
        select g, now() - interval '365 days' + (g - 1 + random()) / ${plan.leads}::float8 * interval '365 days' as created_at,
          random() as r_src, random() < 0.6 as held, floor(random() * ${repIds.length})::int as rep, random() as r_stage,
          random() as r_claim, random() as r_chg, random() as r_act, random() as r_fu, random() as r_amt, random() as r_lost, random() as r_name
        from generate_series(${first}::int, ${last}::int) g
      ), s as (
        select b.*, ${sql.unsafe(pickBy('r_src', sources))} as source,
          case when held then ${sql.unsafe(pickBy('r_stage', heldStages))} else 'new' end as stage,
          case when held then least(now(), created_at + r_claim * r_claim * interval '3 days') end as claimed_at,
          case when held then (${repIds}::text[])[rep + 1] end as owner_id, case when held then (${repTeams}::text[])[rep + 1] end as team_id
        from b
      ), t as (
        select s.*,
          case when stage <> 'new' then claimed_at + (now() - claimed_at) * (r_chg * 0.6) end as stage_changed_at,
          case when stage = 'lost' then ${sql.unsafe(pickBy('r_lost', lostFrom))} end as furthest_stage,
          case when stage in ('quoted', 'negotiation', 'won') then round((20000 + r_amt * r_amt * 1980000)::numeric, -3) end as expected_amount
        from s
      ), u as (
        select t.*,
          case when not held then null when stage in ('won', 'lost') then coalesce(stage_changed_at, claimed_at)
               else greatest(coalesce(stage_changed_at, claimed_at), now() - r_act * interval '31 days') end as last_activity_at
        from t
      )
      insert into leads (company, company_key, contact_name, title, mobile, province, city, industry, source_channel, exhibition_id,
        intent, stage, furthest_stage, owner_id, team_id, claimed_at, last_activity_at, last_follow_up_at, next_follow_up_at, stage_changed_at,
        expected_amount, lost_reason_id, recycle_due_at, recycle_rule, created_at)
      select n.company, n.key, (${words.surnames.map((s) => s[0])}::text[])[1 + g % ${words.surnames.length}] || (${words.givenNames.map((s) => s[0])}::text[])[1 + (g / 7) % ${words.givenNames.length}],
        (${words.titles}::text[])[1 + g % ${words.titles.length}], '+861' || lpad(g::text, 10, '0'), n.province, n.city, n.industry, u.source,
        case when u.source = 'exhibition' then (${showIds}::text[])[least(${plan.exhibitions}, 1 + floor(extract(epoch from u.created_at - (now() - interval '365 days')) / 86400 / ${every}::float8)::int)] end,
        (array['A','B','B','C','C','D'])[1 + g % 6], u.stage, u.furthest_stage,
        u.owner_id, u.team_id,
        u.claimed_at, u.last_activity_at, case when u.held and r_fu < 0.9 then u.last_activity_at end,
        case when u.held and u.stage not in ('won', 'lost') and r_fu < 0.4 then now() + (r_fu * 25 - 3) * interval '1 day' end,
        u.stage_changed_at, u.expected_amount,
        case when u.stage = 'lost' then (${reasons}::int[])[1 + floor(r_lost * 1000)::int % ${reasons.length}] end,
        r.due, r.rule, u.created_at
      from u
        cross join lateral (
          select c || (${words.brands.map((b) => b[0])}::text[])[1 + floor(r_name * ${words.brands.length})::int] || w as key, c as city, pr as province, i as industry,
            c || (${words.brands.map((b) => b[0])}::text[])[1 + floor(r_name * ${words.brands.length})::int] || w || (${words.legalForms}::text[])[1 + g % ${words.legalForms.length}] as company
          from (select (${cities}::text[])[1 + g % ${cities.length}] as c, (${provinces}::text[])[1 + g % ${cities.length}] as pr, (${allWords}::text[])[1 + (g / 3) % ${allWords.length}] as w,
                       (${words.industries.map((i) => i.name)}::text[])[1 + (g / 5) % ${words.industries.length}] as i) x
        ) n
        cross join lateral lead_recycle_schedule('company', u.owner_id, u.stage, false, u.expected_amount, u.claimed_at,
          case when u.held and r_fu < 0.9 then u.last_activity_at end, u.last_activity_at, u.stage_changed_at) r
      order by g`;
    step(`leads ${first.toLocaleString()}–${last.toLocaleString()}`);
  }

  // ---- deals for won leads ----
  await sql`
    insert into deals (lead_id, contract_no, amount, items, instalments, signed_on, owner_id, created_by, won_at)
    select l.id, 'YC-' || to_char(l.stage_changed_at at time zone ${zone}, 'YYYY') || '-' || lpad(l.id::text, 7, '0'), l.expected_amount,
      jsonb_build_array(jsonb_build_object('name', '设备', 'quantity', 1, 'unitPrice', l.expected_amount)),
      jsonb_build_array(
        jsonb_build_object('dueOn', to_char(l.stage_changed_at + interval '7 days', 'YYYY-MM-DD'), 'amount', round(l.expected_amount * 0.3), 'paidAt', to_char(l.stage_changed_at + interval '5 days', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')),
        jsonb_build_object('dueOn', to_char(l.stage_changed_at + interval '60 days', 'YYYY-MM-DD'), 'amount', l.expected_amount - round(l.expected_amount * 0.3), 'paidAt', null)),
      (l.stage_changed_at at time zone ${zone})::date, l.owner_id, l.owner_id, l.stage_changed_at
    from leads l where l.stage = 'won'`;
  step('deals of won leads');

  // ---- the log: claims, stage changes (new → … → furthest, then lost), wins; in time order ----
  await sql`
    insert into lead_events (lead_id, type, actor_type, actor_id, actor_name, owner_id, team_id, data, at)
    select e.lead_id, e.type, 'user', e.owner_id, u.name, e.owner_id, e.team_id, e.data, e.at
    from (
      select l.id as lead_id, 'lead.claimed' as type, l.owner_id, l.team_id, jsonb_build_object('lead', jsonb_build_object('id', l.id)) as data, l.claimed_at as at
        from leads l where l.owner_id is not null
      union all
      select l.id, 'lead.stage_changed', l.owner_id, l.team_id,
        jsonb_build_object('lead', jsonb_build_object('id', l.id), 'from', (${steps}::text[])[i], 'to', case when i < x.f then (${steps}::text[])[i + 1] else 'lost' end),
        l.claimed_at + (l.stage_changed_at - l.claimed_at) * i / (x.f - 1 + x.lost)
        from leads l
          cross join lateral (select coalesce(array_position(${steps}::text[], coalesce(l.furthest_stage, l.stage)), 1) as f, (l.stage = 'lost')::int as lost) x
          cross join lateral generate_series(1, x.f - 1 + x.lost) i
        where l.owner_id is not null and l.stage <> 'new'
      union all
      select d.lead_id, 'deal.won', d.owner_id, l.team_id, jsonb_build_object('lead', jsonb_build_object('id', l.id), 'deal', jsonb_build_object('id', d.id, 'amount', d.amount)), d.won_at
        from deals d join leads l on l.id = d.lead_id
    ) e join users u on u.id = e.owner_id
    order by e.at`;
  step('lead_events (claims, stage changes, wins)');

  // ---- calls: each at a working hour of a day before today, on a lead held by then (recent ones more) ----
  await sql`create temp table held_by_claim as select row_number() over (order by claimed_at) as rn, id, owner_id, claimed_at from leads where owner_id is not null`;
  await sql`create index on held_by_claim (rn)`;
  await sql`analyze held_by_claim`;
  const [held] = await sql<{ n: number; first: Date }[]>`select count(*)::int as n, min(claimed_at) as first from held_by_claim`;
  const bulkCalls = Math.max(0, plan.calls - dailyCalls(plan));
  const callChunk = 1_000_000;
  for (let first = 1; first <= bulkCalls; first += callChunk) {
    const last = Math.min(bulkCalls, first + callChunk - 1);
    await sql`
      with t as (
        select k, random() as r_out, random() as r_dur,
          (((org_day(now()) - 1 - floor(random() * (org_day(now()) - org_day(${held!.first}::timestamptz)))::int)::timestamp
            + interval '9 hours' + random() * interval '9 hours 30 minutes') at time zone ${zone}) as at
        from generate_series(${first}::int, ${last}::int) k
      ), p as (
        select t.*, greatest(1, ceil(${held!.n}::float8 * least(1, extract(epoch from t.at - ${held!.first}::timestamptz) / extract(epoch from now() - ${held!.first}::timestamptz)) * sqrt(random())))::bigint as rn,
          ${sql.unsafe(pickBy('r_out', outcomes))} as outcome
        from t
      )
      insert into calls (lead_id, user_id, started_at, ended_at, duration_seconds, outcome, logged_at)
      select h.id, h.owner_id, s.started, s.started + make_interval(secs => s.secs), s.secs, p.outcome, s.started + make_interval(secs => s.secs + 30)
      from p join held_by_claim h on h.rn = p.rn
        cross join lateral (select least(greatest(p.at, h.claimed_at + interval '2 minutes'), now() - interval '1 hour') as started,
          (case p.outcome ${sql.unsafe(outcomes.map(([o, , lo, hi]) => `when '${o}' then ${lo} + floor(p.r_dur * ${hi - lo + 1})`).join(' '))} end)::int as secs) s`;
    step(`calls ${first.toLocaleString()}–${last.toLocaleString()}`);
  }

  // ---- rep_daily, counted as migration 0017 counts what came before it ----
  await sql.unsafe(`set session_replication_role = origin`);
  await sql.unsafe(repDailyBackfillSql());
  step('rep_daily (migration 0017 backfill)');

  for (const { def } of indexes) await sql.unsafe(def);
  step(`rebuilt ${indexes.length} indexes`);
}

const countedTables = ['users', 'exhibitions', 'leads', 'deals', 'lead_events', 'calls', 'rep_daily'];

/** A working day's calls across the floor (the year's calls over ~365 days). */
const dailyCalls = (plan: DashboardSeedPlan) => Math.round(plan.calls / 365);

/**
 * Today's share, through the app's own triggers: some pool leads claimed today (with their
 * `lead.claimed`), and a day's calls started today, inserted open then ended (migration 0017 counts
 * a call when it ends). Runs once per organisation day; a later day adds its own.
 */
async function topUpToday(sql: postgres.Sql, plan: DashboardSeedPlan, log: (line: string) => void): Promise<{ calls: number; claims: number } | null> {
  const [marker] = await sql`select 1 from pg_class where relname = 'bench_dashboard_seed'`;
  if (marker) {
    const [due] = await sql`select 1 from bench_dashboard_seed where topped_up_day < org_day(now())`;
    if (!due) return null;
  }
  const step = stepper(log);
  const claims = Math.round((plan.leads * 0.6) / 365);
  const calls = dailyCalls(plan);
  await sql.begin(async (tx) => {
    // The day so far: from 09:00 (or 10 hours ago, if later), never before the day began.
    const [day] = await tx<{ from: Date }[]>`select greatest((org_day(now())::timestamp at time zone ${zone}), least(now() - interval '10 hours', (org_day(now())::timestamp + interval '9 hours') at time zone ${zone})) as from`;
    await tx`
      with picked as (
        select l.id, r.id as owner_id, r.team_id, ${day!.from}::timestamptz + random() * (now() - ${day!.from}::timestamptz) as at
        from (select id, row_number() over () as n from leads where owner_id is null order by random() limit ${claims}) l
          join (select id, team_id, row_number() over (order by id) - 1 as n from users where role = 'rep') r on r.n = l.n % (select count(*) from users where role = 'rep')
      ), claimed as (
        update leads l set owner_id = p.owner_id, team_id = p.team_id, claimed_at = p.at from picked p where l.id = p.id
        returning l.id, l.owner_id, l.team_id, l.claimed_at
      )
      insert into lead_events (lead_id, type, actor_type, actor_id, actor_name, owner_id, team_id, data, at)
      select c.id, 'lead.claimed', 'user', c.owner_id, u.name, c.owner_id, c.team_id, jsonb_build_object('lead', jsonb_build_object('id', c.id)), c.claimed_at
      from claimed c join users u on u.id = c.owner_id order by c.claimed_at`;
    const opened = await tx<{ id: number }[]>`
      insert into calls (lead_id, user_id, started_at)
      select h.id, h.owner_id, ${day!.from}::timestamptz + random() * (now() - interval '15 minutes' - ${day!.from}::timestamptz)
      from (select id, owner_id from leads where owner_id is not null and stage not in ('won', 'lost') order by random() limit ${calls}) h
      returning id`;
    await tx`
      update calls c set ended_at = c.started_at + make_interval(secs => s.secs), duration_seconds = s.secs, outcome = s.outcome, logged_at = c.started_at + make_interval(secs => s.secs + 30)
      from (select id, o.outcome, (o.lo + floor(random() * (o.hi - o.lo + 1)))::int as secs
            from (select id, random() as r from calls where id = any(${opened.map((c) => c.id)}::bigint[])) x
              cross join lateral (select ${sql.unsafe(pickBy('x.r', outcomes))} as outcome) p
              join (values ${sql.unsafe(outcomes.map(([o, , lo, hi]) => `('${o}', ${lo}, ${hi})`).join(', '))}) as o(outcome, lo, hi) on o.outcome = p.outcome) s
      where c.id = s.id`;
    if (marker) await tx`update bench_dashboard_seed set topped_up_day = org_day(now())`;
  });
  step(`today: ${claims.toLocaleString()} claims and ${calls.toLocaleString()} calls, through the triggers`);
  return { calls, claims };
}

if (import.meta.main) {
  const { values } = parseArgs({
    options: {
      reseed: { type: 'boolean', default: false },
      leads: { type: 'string', default: String(defaultPlan.leads) },
      calls: { type: 'string', default: String(defaultPlan.calls) },
    },
  });
  const url = process.env.BENCH_DATABASE_URL || dashboardDatabaseUrl;
  const plan = { ...defaultPlan, leads: Number(values.leads), calls: Number(values.calls) };
  console.log(`dashboard seed → ${url}: ${plan.leads.toLocaleString()} leads, ${plan.calls.toLocaleString()} calls${values.reseed ? ' (reseed)' : ''}`);
  await seedDashboard(url, plan, { reseed: values.reseed });
}
