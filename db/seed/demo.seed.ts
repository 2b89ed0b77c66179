import { hashPassword } from 'better-auth/crypto';
import { sql } from 'drizzle-orm';
import { companyKey } from '../../core/dedup/cleaning.ts';
import { sqlArray, type Db } from '../client.ts';
import { organisationDay } from '../../core/settings/settings.repository.ts';
import { accounts, assignmentRules, calls, type CallOutcome, COMPANY_POOL_ID, customFields, deals, exhibitions, leadEvents, leads, leadTags, lostReasons, pools, poolTeams, settings, tagGroups, tags, teams, users, type NewLead, type Stage } from '../schema/index.ts';
import * as words from './demo-data.ts';

export const demoPassword = 'demo1234';

/** The demo logins, as printed at start and in the README. */
export const demoLogins = {
  admin: 'admin@demo.local',
  managers: ['manager1@demo.local', 'manager2@demo.local'],
  reps: Array.from({ length: 20 }, (_, i) => `rep${i + 1}@demo.local`),
};

// A small deterministic generator, so every fresh start shows the same demo.
function prng(seed: number) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!,
  };
}

const repNames = ['王磊', '李娜', '张伟', '刘洋', '陈静', '杨帆', '赵敏', '黄涛', '周杰', '吴芳', '徐强', '孙丽', '胡军', '朱琳', '高鹏', '林雪', '何勇', '郭婷', '马超', '罗佳'];

/** Seeds 1 admin, 2 managers, 2 teams of 10 reps, 4 exhibitions and about 500 leads. */
export async function seedDemo(db: Db, options: { leadCount?: number } = {}): Promise<void> {
  const rnd = prng(20261123);
  // Tags and custom values draw from their own sequence, so the leads stay the ones they always were.
  const extra = prng(4);
  const password = await hashPassword(demoPassword);
  const teamRows = await db.insert(teams).values(words.teamsSeed.map((name) => ({ name }))).returning();
  // The second team works South China: its shows, and its own pool of the region's new leads,
  // with contacts shown, a daily claim limit and a re-claim cooldown.
  const exhibitionRows = await db
    .insert(exhibitions)
    .values(words.exhibitionsSeed.map((e) => ({ ...e, teamId: teamRows[words.southCities.includes(e.city) ? 1 : 0]!.id })))
    .returning();
  const [southPool] = await db
    .insert(pools)
    .values({
      name: words.southPoolSeed,
      holdingLimit: 30,
      dailyClaimLimit: 20,
      reclaimCooldownDays: 7,
      protectNewHours: 24,
      masksContacts: false,
      recycleNoFollowUpHours: 48,
      recycleIdleDays: 10,
      recycleWarnHours: 6,
    })
    .returning();
  // The requirements' recycling: 48 h without a follow-up, or 15 days idle, back to the pool; big open deals stay.
  await db
    .update(pools)
    .set({ recycleNoFollowUpHours: 48, recycleIdleDays: 15, recycleWarnHours: 12, recycleKeepAmount: 1_000_000 })
    .where(sql`${pools.id} = ${COMPANY_POOL_ID}`);
  await db.insert(poolTeams).values({ poolId: southPool!.id, teamId: teamRows[1]!.id });
  // Booth leads from Guangdong and Fujian go to the South China pool (Admin › Assignment shows it).
  await db.insert(assignmentRules).values({
    door: 'booth',
    position: 0,
    name: words.southBoothRuleSeed,
    condition: { match: 'any', items: [{ field: 'province', op: 'in', value: words.southProvinces }] },
    action: { type: 'pool', poolId: southPool!.id },
  });
  const groupRows = await db.insert(tagGroups).values(words.tagGroupsSeed.map((g, position) => ({ name: g.name, position }))).returning();
  const tagRows = await db
    .insert(tags)
    .values(words.tagGroupsSeed.flatMap((g, i) => g.tags.map((name, position) => ({ groupId: groupRows[i]!.id, name, position }))))
    .returning();
  await db.insert(customFields).values(words.customFieldsSeed.map((f, position) => ({ ...f, position })));
  const tagNamed = (group: number, name: string) => {
    const groupId = groupRows[group]!.id;
    const tag = tagRows.find((t) => t.groupId === groupId && t.name === name)!;
    return { id: tag.id, name: tag.name, groupId, groupName: groupRows[group]!.name };
  };
  const [sources, levels, products, sectors] = words.tagGroupsSeed.map((g, i) => g.tags.map((name) => tagNamed(i, name)));

  type Person = { id: string; name: string; email: string; role: 'admin' | 'manager' | 'rep'; teamId: string | null };
  const people: Person[] = [
    { id: crypto.randomUUID(), name: '系统管理员', email: demoLogins.admin, role: 'admin', teamId: null },
    ...demoLogins.managers.map((email, i) => ({ id: crypto.randomUUID(), name: i === 0 ? '赵经理' : '钱经理', email, role: 'manager' as const, teamId: teamRows[i]!.id })),
    ...demoLogins.reps.map((email, i) => ({ id: crypto.randomUUID(), name: repNames[i]!, email, role: 'rep' as const, teamId: teamRows[i < 10 ? 0 : 1]!.id })),
  ];
  await db.insert(users).values(people.map((p) => ({ ...p, emailVerified: true })));
  await db.insert(accounts).values(people.map((p) => ({ id: crypto.randomUUID(), userId: p.id, accountId: p.id, providerId: 'credential', password })));
  const reps = people.filter((p) => p.role === 'rep');

  const ownedStages: Stage[] = ['new', 'contacted', 'contacted', 'qualified', 'qualified', 'quoted', 'negotiation', 'won', 'lost'];
  const count = options.leadCount ?? 500;
  const now = Date.now();
  const rows: NewLead[] = [];
  const usedMobiles = new Set<string>();
  // A lead's tags by its (unique) mobile, in group order as the lead view lists them.
  const tagsOf = new Map<string, ReturnType<typeof tagNamed>[]>();
  for (let i = 0; i < count; i++) {
    const region = rnd.pick(words.regions);
    const city = rnd.pick(region.cities);
    const [brand, brandPinyin] = rnd.pick(words.brands);
    const industry = rnd.pick(words.industries);
    const company = `${rnd.next() < 0.5 ? city : region.short}${brand}${rnd.pick(industry.words)}${rnd.pick(words.legalForms)}`;
    const [surname, surnamePinyin] = rnd.pick(words.surnames);
    const [given, givenPinyin] = rnd.pick(words.givenNames);
    let mobile: string;
    do mobile = `+86${rnd.pick(words.mobilePrefixes)}${String(rnd.int(0, 99_999_999)).padStart(8, '0')}`;
    while (usedMobiles.has(mobile));
    usedMobiles.add(mobile);
    const exhibition = rnd.next() < 0.7 ? rnd.pick(exhibitionRows) : null;
    const createdAt = new Date(now - rnd.int(0, 60 * 24 * 3600) * 1000);
    const leadTagList = [
      exhibition ? sources![exhibitionRows.indexOf(exhibition)]! : extra.next() < 0.5 ? extra.pick(sources!.slice(4)) : null,
      extra.next() < 0.7 ? extra.pick(levels!) : null,
      ...(extra.next() < 0.5 ? [...new Set([extra.pick(products!), extra.pick(products!)])].sort((a, b) => products!.indexOf(a) - products!.indexOf(b)) : []),
      sectors!.find((t) => t.name === industry.name) ?? null,
    ].filter((t) => t !== null);
    tagsOf.set(mobile, leadTagList);
    const custom: Record<string, string | number | string[]> = {};
    if (extra.next() < 0.5) custom.budget = extra.int(5, 300) * 10_000;
    if (extra.next() < 0.3) custom.purchase_date = new Date(now + extra.int(7, 180) * 24 * 3600 * 1000).toISOString().slice(0, 10);
    if (extra.next() < 0.4) custom.products = [...new Set([extra.pick(words.customFieldsSeed[2]!.options), extra.pick(words.customFieldsSeed[2]!.options)])];
    const owned = rnd.next() < 0.4;
    const owner = owned ? rnd.pick(reps) : null;
    const claimedAt = owned ? new Date(Math.min(now, createdAt.getTime() + rnd.int(600, 5 * 24 * 3600) * 1000)) : null;
    rows.push({
      company,
      companyKey: companyKey(company),
      contactName: `${surname}${given}`,
      title: rnd.pick(words.titles),
      mobile,
      phone: rnd.next() < 0.4 ? `+86${rnd.pick(['531', '532', '20', '755', '512', '571', '21'])}${rnd.int(6000_0000, 8999_9999)}` : null,
      email: rnd.next() < 0.7 ? `${surnamePinyin}.${givenPinyin}@${brandPinyin}${rnd.int(1, 99)}.com` : null,
      province: region.province,
      city,
      industry: industry.name,
      sourceChannel: exhibition ? 'exhibition' : rnd.pick(['manual', 'web', 'referral', 'import'] as const),
      exhibitionId: exhibition?.id ?? null,
      poolId: !owned && words.southProvinces.includes(region.province) ? southPool!.id : COMPANY_POOL_ID,
      intent: rnd.pick(['A', 'B', 'B', 'C', 'C', 'D'] as const),
      stage: owned ? rnd.pick(ownedStages) : 'new',
      ownerId: owner?.id ?? null,
      teamId: owner?.teamId ?? null,
      claimedAt,
      lastActivityAt: claimedAt && rnd.next() < 0.8 ? new Date(Math.min(now, claimedAt.getTime() + rnd.int(600, 10 * 24 * 3600) * 1000)) : null,
      expectedAmount: rnd.next() < 0.6 ? rnd.int(2, 200) * 10_000 : null,
      custom,
      createdAt,
    });
  }
  // Recycling counts from the claim: a held lead was followed up when last active (at most 12 days ago),
  // and one never followed up was claimed within the last two days, so the demo opens on countdowns,
  // a few warnings and reminders rather than a mass recycle.
  const timing = prng(5);
  for (const row of rows) {
    if (!row.ownerId) continue;
    if (row.lastActivityAt) {
      const floor = now - timing.int(1, 12 * 24) * 3_600_000;
      if (row.lastActivityAt.getTime() < floor) row.lastActivityAt = new Date(floor);
      row.lastFollowUpAt = row.lastActivityAt;
      // Half of them planned the next call: some came due this morning, the rest fall due while the demo runs.
      if (timing.next() < 0.5) row.nextFollowUpAt = new Date(now + timing.int(-6, 72) * 3_600_000);
    } else {
      row.claimedAt = new Date(Math.min(now, Math.max(row.createdAt!.getTime() + 600_000, now - timing.int(2, 46) * 3_600_000)));
    }
  }
  rows.sort((a, b) => a.createdAt!.getTime() - b.createdAt!.getTime());
  const system = { actorType: 'system' as const, actorId: null, actorName: 'demo seed' };

  await db.transaction(async (tx) => {
    for (let start = 0; start < rows.length; start += 250) {
      const inserted = await tx.insert(leads).values(rows.slice(start, start + 250)).returning();
      const leadTagRows = inserted.flatMap((l) => tagsOf.get(l.mobile!)!.map((t) => ({ leadId: l.id, tagId: t.id })));
      if (leadTagRows.length > 0) await tx.insert(leadTags).values(leadTagRows);
      const ownerName = new Map(people.map((p) => [p.id, p.name]));
      const exhibitionName = new Map(exhibitionRows.map((e) => [e.id, e.name]));
      const view = (l: (typeof inserted)[number], owned: boolean) => ({
        ...l,
        ownerId: owned ? l.ownerId : null,
        ownerName: owned && l.ownerId ? ownerName.get(l.ownerId)! : null,
        teamId: owned ? l.teamId : null,
        claimedAt: owned ? (l.claimedAt?.toISOString() ?? null) : null,
        lastActivityAt: l.lastActivityAt?.toISOString() ?? null,
        lastFollowUpAt: l.lastFollowUpAt?.toISOString() ?? null,
        nextFollowUpAt: owned ? (l.nextFollowUpAt?.toISOString() ?? null) : null,
        recycleDueAt: owned ? (l.recycleDueAt?.toISOString() ?? null) : null,
        recycleRule: owned ? l.recycleRule : null,
        remindDueAt: owned ? (l.remindDueAt?.toISOString() ?? null) : null,
        remindKind: owned ? l.remindKind : null,
        createdAt: l.createdAt.toISOString(),
        stage: owned ? l.stage : ('new' as const),
        exhibitionName: l.exhibitionId ? exhibitionName.get(l.exhibitionId)! : null,
        tags: tagsOf.get(l.mobile!)!,
        contactMasked: false, onCall: null, sharedWith: [], approvedAmount: null,
      });
      await tx.insert(leadEvents).values(
        inserted.flatMap((l) => [
          { ...system, leadId: l.id, type: 'lead.created' as const, ownerId: null, teamId: null, data: { lead: view(l, false) }, at: l.createdAt },
          ...(l.ownerId
            ? [{ actorType: 'user' as const, actorId: l.ownerId, actorName: ownerName.get(l.ownerId)!, leadId: l.id, type: 'lead.claimed' as const, ownerId: l.ownerId, teamId: l.teamId, data: { lead: view(l, true) }, at: l.claimedAt! }]
            : []),
        ]),
      );
    }
  });
  await seedOutcomes(db, people.find((p) => p.role === 'admin')!.id, now);
  await seedCalls(db, now);
  // Identity columns were filled by the inserts; nothing to fix up, but keep ANALYZE fresh for the pool queries.
  await db.execute(sql`analyze leads`);
}

/**
 * Won leads carry their orders (a product line, 30% paid, the rest due in two months) and lost ones a
 * reason; big leads go to the team's manager and then the admin (standing in for a director) for approval.
 */
async function seedOutcomes(db: Db, adminId: string, now: number) {
  const rnd = prng(11);
  const products = words.customFieldsSeed[2]!.options;
  const won = await db.select({ id: leads.id, ownerId: leads.ownerId, amount: leads.expectedAmount }).from(leads).where(sql`${leads.stage} = 'won' and ${leads.ownerId} is not null`);
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  for (const [i, lead] of won.entries()) {
    const quantity = rnd.int(1, 4);
    const unitPrice = Math.round((lead.amount ?? rnd.int(5, 150) * 10_000) / quantity);
    const amount = unitPrice * quantity;
    const firstPart = Math.round(amount * 0.3);
    const signed = now - rnd.int(1, 40) * 86_400_000;
    await db.insert(deals).values({
      leadId: lead.id,
      contractNo: `HT-2026-${String(i + 1).padStart(4, '0')}`,
      amount,
      items: [{ name: rnd.pick(products), quantity, unitPrice }],
      instalments: [
        { dueOn: day(signed + 7 * 86_400_000), amount: firstPart, paidAt: new Date(signed + 5 * 86_400_000).toISOString() },
        { dueOn: day(signed + 60 * 86_400_000), amount: amount - firstPart, paidAt: null },
      ],
      signedOn: day(signed),
      ownerId: lead.ownerId,
      wonAt: new Date(signed),
    });
    await db.update(leads).set({ expectedAmount: amount }).where(sql`${leads.id} = ${lead.id}`);
    // Seeded without its deal.won event: its win is counted for the leaderboards here.
    await db.execute(sql`select rep_daily_add(org_day(${new Date(signed).toISOString()}::timestamptz), ${lead.ownerId}, 0, 0, 0, 0, 0, 1, ${amount})`);
  }
  const reasons = await db.select({ id: lostReasons.id }).from(lostReasons);
  const lost = await db.select({ id: leads.id }).from(leads).where(sql`${leads.stage} = 'lost'`);
  for (const lead of lost) await db.update(leads).set({ lostReasonId: rnd.pick(reasons).id }).where(sql`${leads.id} = ${lead.id}`);
  const approvalChain = [{ kind: 'team_manager' as const }, { kind: 'user' as const, userId: adminId }];
  await db.insert(settings).values({ id: 1, approvalChain }).onConflictDoUpdate({ target: settings.id, set: { approvalChain } });
}

// How calls went (cumulative shares) and how long they lasted, in seconds [min, max].
const callMix: [CallOutcome, number, number, number][] = [
  ['connected', 0.4, 60, 900],
  ['no_answer', 0.7, 10, 40],
  ['busy', 0.8, 5, 20],
  ['not_interested', 0.95, 15, 120],
  ['wrong_number', 1, 5, 40],
];

/**
 * Two weeks of calls on the reps' open held leads, and today's so far, so the leaderboard and the
 * activity table open alive. They are inserted open and then ended in one statement: migration
 * 0017's trigger counts each into rep_daily as it counts a rep's hang-up.
 */
async function seedCalls(db: Db, now: number) {
  const rnd = prng(17);
  const held = await db
    .select({ id: leads.id, ownerId: leads.ownerId, claimedAt: leads.claimedAt })
    .from(leads)
    .where(sql`${leads.ownerId} is not null and ${leads.stage} not in ('won', 'lost')`)
    .orderBy(leads.id);
  const byRep = new Map<string, { id: number; claimedAt: number }[]>();
  for (const lead of held) byRep.set(lead.ownerId!, [...(byRep.get(lead.ownerId!) ?? []), { id: lead.id, claimedAt: lead.claimedAt!.getTime() }]);
  const today = (await organisationDay(db, new Date(now))).start.getTime();
  const rows: (typeof calls.$inferInsert)[] = [];
  for (const [userId, own] of byRep) {
    for (let day = 14; day >= 0; day--) {
      // A working day from 09:00 for 9 hours; today's calls run until a few minutes ago.
      const from = today - day * 86_400_000 + 9 * 3_600_000;
      const until = Math.min(from + 9 * 3_600_000, now - 5 * 60_000);
      for (let n = rnd.int(2, 9); n > 0 && until > from; n--) {
        const startedAt = from + rnd.next() * (until - from);
        const callable = own.filter((l) => l.claimedAt < startedAt - 60_000);
        if (callable.length === 0) continue;
        const r = rnd.next();
        const [outcome, , min, max] = callMix.find(([, share]) => r < share)!;
        const seconds = rnd.int(min, max);
        rows.push({ leadId: rnd.pick(callable).id, userId, startedAt: new Date(startedAt), durationSeconds: seconds, outcome, loggedAt: new Date(startedAt + (seconds + 20) * 1000) });
      }
    }
  }
  if (rows.length === 0) return;
  const opened = await db.insert(calls).values(rows).returning({ id: calls.id });
  await db.execute(sql`update calls set ended_at = started_at + make_interval(secs => duration_seconds) where id = any(${sqlArray(opened.map((c) => c.id), 'bigint')})`);
}
