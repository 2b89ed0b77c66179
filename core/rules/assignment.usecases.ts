import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { rowsOf, sqlArray, type Db } from '../../db/client.ts';
import { assignmentRules, pools, users, type Door } from '../../db/schema/index.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import type { Actor, RuleRef } from '../events/lead-event.ts';
import { transactWithEvents } from '../events/event-log.ts';
import type { LeadView } from '../leads/lead-view.ts';
import { findLeadViews } from '../leads/leads.repository.ts';
import type { NewNotification } from '../notifications/notification.ts';
import { NotificationOutbox } from '../notifications/notifications.usecases.ts';
import { assertTeamsExist } from '../teams/teams.usecases.ts';
import { matches, type AssignmentAction, type AssignmentRuleInput, type ConditionGroup } from './assignment-rule.ts';

/** A saved rule. */
export interface AssignmentRuleView extends AssignmentRuleInput {
  id: string;
  door: Door;
  position: number;
}

const ruleActor = (rule: RuleRef): Actor => ({ type: 'rule', id: `assign.${rule.id}`, name: rule.name });

export async function listAssignmentRules(db: Db, door: Door, onlyEnabled = false): Promise<(AssignmentRuleView & { lastAssigneeId: string | null })[]> {
  const rows = await db
    .select()
    .from(assignmentRules)
    .where(and(eq(assignmentRules.door, door), onlyEnabled ? eq(assignmentRules.enabled, true) : undefined))
    .orderBy(asc(assignmentRules.position));
  return rows.map((r) => ({
    id: r.id,
    door: r.door,
    position: r.position,
    name: r.name,
    enabled: r.enabled,
    condition: r.condition as ConditionGroup,
    action: r.action as AssignmentAction,
    lastAssigneeId: r.lastAssigneeId,
  }));
}

/** Checks that every rep, team and pool a rule names exists (422 `rules.<i>.action` otherwise). */
async function assertTargetsExist(db: Db, rules: AssignmentRuleInput[]): Promise<void> {
  const fields: Record<string, string[]> = {};
  const userIds = rules.flatMap((r) => (r.action.type === 'rep' ? [r.action.userId] : []));
  const poolIds = rules.flatMap((r) => (r.action.type === 'pool' ? [r.action.poolId] : []));
  const [knownUsers, knownPools] = await Promise.all([
    userIds.length ? db.select({ id: users.id }).from(users).where(inArray(users.id, userIds)) : [],
    poolIds.length ? db.select({ id: pools.id }).from(pools).where(inArray(pools.id, poolIds)) : [],
  ]);
  rules.forEach(({ action }, i) => {
    if (action.type === 'rep' && !knownUsers.some((u) => u.id === action.userId)) fields[`rules.${i}.action`] = ['unknown_user'];
    if (action.type === 'pool' && !knownPools.some((p) => p.id === action.poolId)) fields[`rules.${i}.action`] = ['unknown_pool'];
  });
  if (Object.keys(fields).length > 0) throw new AppError('request.invalid', { fields });
  await assertTeamsExist(db, rules.flatMap((r) => (r.action.type === 'team' ? [r.action.teamId] : [])), 'rules');
}

/** Replaces a door's rules with these, in this order (round-robin turns restart). */
export async function saveAssignmentRules(db: Db, door: Door, rules: AssignmentRuleInput[]): Promise<AssignmentRuleView[]> {
  await assertTargetsExist(db, rules);
  await db.transaction(async (tx) => {
    await tx.delete(assignmentRules).where(eq(assignmentRules.door, door));
    if (rules.length > 0) await tx.insert(assignmentRules).values(rules.map((r, position) => ({ ...r, door, position })));
  });
  return listAssignmentRules(db, door);
}

interface Member {
  id: string;
  name: string;
  teamId: string | null;
  role: string;
  active: boolean;
  away: boolean;
}

/** What the rules did (or, in a dry run, would do) with one lead. */
export type Placement =
  | { kind: 'unmatched' }
  | { kind: 'pool'; rule: RuleRef; poolId: string }
  | { kind: 'assigned'; rule: RuleRef; user: { id: string; name: string; teamId: string | null } }
  /** The rule matched but nobody it names may take the lead now (away, inactive, at their limit): it stays in its pool. */
  | { kind: 'nobody'; rule: RuleRef };

type Rule = AssignmentRuleInput & { id: string; lastAssigneeId: string | null };

/**
 * Places leads by a door's rules against the reps' current holdings, keeping count as it goes
 * (a dry run sees its own earlier placements, as the live run would).
 */
class Placer {
  readonly #rules: Rule[];
  readonly #members: Member[];
  readonly #limits: Map<string, number>;
  readonly #held = new Map<string, number>();
  readonly turns = new Map<string, string | null>();

  constructor(rules: Rule[], members: Member[], limits: Map<string, number>, held: { owner_id: string; pool_id: string; n: number }[]) {
    this.#rules = rules;
    this.#members = [...members].sort((a, b) => a.id.localeCompare(b.id));
    this.#limits = limits;
    for (const h of held) this.#held.set(`${h.owner_id}:${h.pool_id}`, Number(h.n));
    for (const r of rules) this.turns.set(r.id, r.lastAssigneeId);
  }

  #heldIn = (userId: string, poolId: string) => this.#held.get(`${userId}:${poolId}`) ?? 0;
  #heldAll = (userId: string) => [...this.#held].reduce((n, [key, count]) => (key.startsWith(`${userId}:`) ? n + count : n), 0);
  #canTake = (m: Member | undefined, poolId: string, exclude?: string): m is Member =>
    !!m && m.active && !m.away && m.role !== 'display' && m.id !== exclude && this.#heldIn(m.id, poolId) < (this.#limits.get(poolId) ?? 0);

  #pick(rule: Rule, lead: LeadView, exclude?: string): Member | undefined {
    const action = rule.action;
    if (action.type === 'rep') {
      const m = this.#members.find((x) => x.id === action.userId);
      return this.#canTake(m, lead.poolId, exclude) ? m : undefined;
    }
    if (action.type !== 'team') return undefined;
    const team = this.#members.filter((m) => m.teamId === action.teamId && m.role === 'rep');
    const able = team.filter((m) => this.#canTake(m, lead.poolId, exclude));
    if (able.length === 0) return undefined;
    if (action.strategy === 'least_loaded') {
      return able.reduce((best, m) => (this.#heldAll(m.id) < this.#heldAll(best.id) ? m : best));
    }
    // Round robin: the next able member after the one who got the last lead, by id order.
    const last = this.turns.get(rule.id);
    return able.find((m) => last === null || last === undefined || m.id > last) ?? able[0];
  }

  place(lead: LeadView, exclude?: string): Placement {
    const rule = this.#rules.find((r) => r.enabled && matches(lead, r.condition));
    if (!rule) return { kind: 'unmatched' };
    const ref = { id: rule.id, name: rule.name };
    if (rule.action.type === 'pool') return { kind: 'pool', rule: ref, poolId: rule.action.poolId };
    const user = this.#pick(rule, lead, exclude);
    if (!user) return { kind: 'nobody', rule: ref };
    this.#held.set(`${user.id}:${lead.poolId}`, this.#heldIn(user.id, lead.poolId) + 1);
    if (rule.action.type === 'team') this.turns.set(rule.id, user.id);
    return { kind: 'assigned', rule: ref, user: { id: user.id, name: user.name, teamId: user.teamId } };
  }
}

/** The reps the rules name, their holdings and the pools' limits; `lock` takes their rows as a claim does. */
async function loadPlacer(db: Db, rules: Rule[], lock: boolean): Promise<Placer> {
  const userIds = rules.flatMap((r) => (r.action.type === 'rep' ? [r.action.userId] : []));
  const teamIds = rules.flatMap((r) => (r.action.type === 'team' ? [r.action.teamId] : []));
  const members = rowsOf<Member>(
    await db.execute(sql`select id, name, team_id as "teamId", role, active, away from users
      where id = any(${sqlArray(userIds, 'text')}) or team_id = any(${sqlArray(teamIds, 'text')})
      order by id ${lock ? sql`for no key update` : sql``}`),
  );
  const [held, limits] = await Promise.all([
    db.execute(sql`select owner_id, pool_id, count(*)::int as n from leads
      where owner_id = any(${sqlArray(members.map((m) => m.id), 'text')}) group by owner_id, pool_id`),
    db.select({ id: pools.id, limit: pools.holdingLimit }).from(pools),
  ]);
  return new Placer(rules, members, new Map(limits.map((p) => [p.id, p.limit])), rowsOf(held));
}

/**
 * Runs a door's enabled rules over leads that just came in (or came back, by recycling) and are
 * still unclaimed: the first matching rule moves each into a pool or assigns it to a rep, with
 * `lead.moved` / `lead.assigned` (naming the rule) and a notification to the rep. A lead claimed
 * in the meantime is left alone. `exclude`: a lead's previous owner, never given it back.
 * Returns the leads as they are after it.
 */
export async function assignArrivals(ctx: CoreContext, door: Door, leadIds: number[], exclude = new Map<number, string>()): Promise<Map<number, LeadView>> {
  const placed = new Map<number, LeadView>();
  if (leadIds.length === 0) return placed;
  const rules = await listAssignmentRules(ctx.db, door, true);
  if (rules.length === 0) return placed;
  const outbox = new NotificationOutbox(ctx);
  // The leads are in already: a rule that cannot act (its pool deleted since) leaves them where they are.
  try {
    await transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
      // One door's rules act one batch at a time across nodes: round-robin turns stay in order.
      await tx.execute(sql`select id from assignment_rules where door = ${door} order by id for update`);
      const fresh = await listAssignmentRules(tx, door, true);
      const placer = await loadPlacer(tx, fresh, true);
      const arrivals = (await findLeadViews(tx, leadIds)).filter((l) => l.ownerId === null).sort((a, b) => a.id - b.id);
      const now = ctx.clock.now();
      const done: { lead: LeadView; placement: Placement & { kind: 'pool' | 'assigned' } }[] = [];
      for (const lead of arrivals) {
        const placement = placer.place(lead, exclude.get(lead.id));
        if (placement.kind === 'pool' && placement.poolId !== lead.poolId) {
          const moved = await tx.execute(sql`update leads set pool_id = ${placement.poolId} where id = ${lead.id} and owner_id is null returning id`);
          if (rowsOf(moved).length > 0) done.push({ lead, placement });
        } else if (placement.kind === 'assigned') {
          const taken = await tx.execute(sql`update leads set owner_id = ${placement.user.id}, team_id = ${placement.user.teamId}, claimed_at = ${now.toISOString()}::timestamptz
            where id = ${lead.id} and owner_id is null returning id`);
          if (rowsOf(taken).length > 0) done.push({ lead, placement });
        }
      }
      for (const [ruleId, last] of placer.turns) {
        await tx.update(assignmentRules).set({ lastAssigneeId: last }).where(eq(assignmentRules.id, ruleId));
      }
      const after = new Map((await findLeadViews(tx, done.map((d) => d.lead.id))).map((l) => [l.id, l]));
      const notes: NewNotification[] = [];
      for (const { lead: before, placement } of done) {
        const lead = after.get(before.id)!;
        placed.set(lead.id, lead);
        if (placement.kind === 'pool') {
          emit({ type: 'lead.moved', leadId: lead.id, actor: ruleActor(placement.rule), data: { lead, fromPoolId: before.poolId, rule: placement.rule, door }, ownerId: null, teamId: null });
        } else {
          emit({ type: 'lead.assigned', leadId: lead.id, actor: ruleActor(placement.rule), data: { lead, rule: placement.rule, door }, ownerId: lead.ownerId, teamId: lead.teamId });
          notes.push({ userId: placement.user.id, kind: 'lead.assigned', leadId: lead.id, data: { company: lead.company, rule: placement.rule.name } });
        }
      }
      await outbox.write(tx, now, notes);
    });
  } catch (err) {
    console.error(`[assignment] ${door} rules could not place leads ${leadIds.slice(0, 5).join(', ')}…`, err);
    return new Map();
  }
  outbox.send();
  return placed;
}

/** Which leads a dry run replays: the door's last arrivals. */
const doorLeads: Record<Door, ReturnType<typeof sql>> = {
  manual: sql`l.source_channel in ('manual', 'web', 'referral')`,
  booth: sql`l.source_channel = 'exhibition'`,
  api: sql`l.source_channel = 'api'`,
  import: sql`l.source_channel = 'import'`,
  recycle: sql`l.id in (select lead_id from lead_events where type = 'lead.recycled' order by seq desc limit 2000)`,
};

export interface DryRunRow {
  leadId: number;
  company: string;
  placement: Placement;
}

/**
 * What these rules (not yet saved) would have done with the door's last `limit` leads, oldest
 * first, against the reps' holdings now. Nothing is written.
 */
export async function dryRunAssignment(db: Db, door: Door, rules: AssignmentRuleInput[], limit: number): Promise<DryRunRow[]> {
  await assertTargetsExist(db, rules);
  const ids = rowsOf<{ id: number }>(await db.execute(sql`select l.id from leads l where ${doorLeads[door]} order by l.created_at desc, l.id desc limit ${limit}`));
  const leads = (await findLeadViews(db, ids.map((r) => Number(r.id)))).sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  const placer = await loadPlacer(db, rules.map((r, i) => ({ ...r, id: `draft-${i}`, lastAssigneeId: null })), false);
  return leads.map((lead) => ({ leadId: lead.id, company: lead.company, placement: placer.place(lead) }));
}
