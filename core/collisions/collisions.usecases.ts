import { sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { rowsOf, type Db } from '../../db/client.ts';
import type { CoreContext } from '../context.ts';
import { AppError } from '../errors.ts';
import { transactWithEvents } from '../events/event-log.ts';
import { userActor } from '../events/lead-event.ts';
import { findLeadView, historyOf, iso } from '../leads/leads.repository.ts';
import type { LeadView } from '../leads/lead-view.ts';
import type { Viewer } from '../viewer.ts';
import type { CollisionView } from './collision-view.ts';

export const fileCollisionInput = z.strictObject({
  /** The requester's evidence: when and how they met the customer. */
  note: z.string().trim().min(1, 'required').max(1000),
});

export const decideCollisionInput = z.strictObject({
  decision: z.enum(['kept', 'transferred', 'shared']),
  note: z.string().trim().max(1000).optional(),
});
export type CollisionDecision = z.infer<typeof decideCollisionInput>['decision'];

export const collisionListQuery = z.object({ status: z.enum(['open', 'all']).default('open') });

const firstTouch = (user: SQL) => sql`(select jsonb_build_object(
    'userId', ${user}, 'name', (select name from users where id = ${user}),
    'firstAt', ${iso(sql`min(ev.at)`)}, 'firstType', (array_agg(ev.type order by ev.seq))[1], 'activities', count(ev.seq))
  from lead_events ev where ev.lead_id in ${historyOf(sql`c.lead_id`)} and ev.actor_id = ${user})`;

const collisionViewJson = sql`jsonb_build_object(
  'id', c.id, 'leadId', c.lead_id, 'company', l.company, 'requesterId', c.requester_id, 'requesterName', r.name,
  'ownerId', c.owner_id, 'ownerName', o.name, 'teamId', c.team_id, 'note', c.note, 'status', c.status,
  'decidedBy', c.decided_by, 'decidedByName', d.name, 'decisionNote', c.decision_note,
  'createdAt', ${iso(sql`c.created_at`)}, 'decidedAt', ${iso(sql`c.decided_at`)},
  'evidence', jsonb_build_object('owner', ${firstTouch(sql`c.owner_id`)}, 'requester', ${firstTouch(sql`c.requester_id`)}))`;

async function collisionViews(db: Db, where: SQL): Promise<CollisionView[]> {
  const rows = rowsOf<{ view: CollisionView }>(
    await db.execute(sql`select ${collisionViewJson} as view from collision_requests c
      join leads l on l.id = c.lead_id join users r on r.id = c.requester_id
      left join users o on o.id = c.owner_id left join users d on d.id = c.decided_by
      ${where} order by c.created_at desc, c.id desc limit 200`),
  );
  return rows.map((r) => r.view);
}

async function mustFindCollision(db: Db, id: number): Promise<CollisionView> {
  const [view] = await collisionViews(db, sql`where c.id = ${id}`);
  if (!view) throw new AppError('collision.not_found', { id });
  return view;
}

/** Who decides a collision: an admin, or a manager of the team that owned the lead when it was filed. */
export const mayDecide = (viewer: Viewer, collision: Pick<CollisionView, 'teamId'>) =>
  viewer.role === 'admin' || (viewer.role === 'manager' && collision.teamId !== null && collision.teamId === viewer.teamId);

/**
 * Files a collision request on another rep's lead. One open request per lead and requester; the
 * owner, the owner's team managers and the requester all see it live (a `lead.collision_filed` event).
 */
export async function fileCollision(ctx: CoreContext, viewer: Viewer, leadId: number, note: string): Promise<CollisionView> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const [held] = rowsOf<{ owner_id: string | null; team_id: string | null }>(
      await tx.execute(sql`select owner_id, team_id from leads where id = ${leadId} for update`),
    );
    if (!held) throw new AppError('lead.not_found', { id: leadId });
    if (held.owner_id === null) throw new AppError('collision.lead_in_pool');
    if (held.owner_id === viewer.id) throw new AppError('collision.own_lead');
    const [open] = rowsOf<{ id: number }>(
      await tx.execute(sql`select id::float8 as id from collision_requests where lead_id = ${leadId} and requester_id = ${viewer.id} and status = 'open'`),
    );
    if (open) throw new AppError('collision.already_open', { id: Number(open.id) });
    const [row] = rowsOf<{ id: number }>(
      await tx.execute(sql`insert into collision_requests (lead_id, requester_id, owner_id, team_id, note)
        values (${leadId}, ${viewer.id}, ${held.owner_id}, ${held.team_id}, ${note}) returning id::float8 as id`),
    );
    const collision = await mustFindCollision(tx, Number(row!.id));
    const lead = (await findLeadView(tx, leadId))!;
    emit({ type: 'lead.collision_filed', leadId, actor: userActor(viewer), data: { lead, collision }, ownerId: lead.ownerId, teamId: lead.teamId });
    return collision;
  });
}

/**
 * Decides an open collision: keep it with the owner, transfer the lead to the requester (a
 * manager's decision, so the requester's holding limit does not apply), or share it with them.
 */
export async function decideCollision(
  ctx: CoreContext,
  viewer: Viewer,
  id: number,
  decision: CollisionDecision,
  note: string | undefined,
): Promise<CollisionView> {
  return transactWithEvents(ctx.db, ctx.events, async (tx, emit) => {
    const [request] = rowsOf<{ lead_id: number; requester_id: string; team_id: string | null; status: string; requester_team: string | null }>(
      await tx.execute(sql`select c.lead_id::float8 as lead_id, c.requester_id, c.team_id, c.status, u.team_id as requester_team
        from collision_requests c join users u on u.id = c.requester_id where c.id = ${id} for update of c`),
    );
    if (!request) throw new AppError('collision.not_found', { id });
    if (!mayDecide(viewer, { teamId: request.team_id })) throw new AppError('auth.forbidden', { role: viewer.role });
    if (request.status !== 'open') throw new AppError('collision.already_decided', { status: request.status });
    const leadId = Number(request.lead_id);
    const [held] = rowsOf<{ owner_id: string | null }>(await tx.execute(sql`select owner_id from leads where id = ${leadId} for update`));
    const previousOwnerId = held?.owner_id ?? null;
    if (decision === 'transferred') {
      await tx.execute(sql`update leads set owner_id = ${request.requester_id}, team_id = ${request.requester_team}, claimed_at = now()
        where id = ${leadId}`);
      await tx.execute(sql`delete from lead_shares where lead_id = ${leadId} and user_id = ${request.requester_id}`);
    } else if (decision === 'shared') {
      await tx.execute(sql`insert into lead_shares (lead_id, user_id) values (${leadId}, ${request.requester_id}) on conflict do nothing`);
    }
    await tx.execute(sql`update collision_requests set status = ${decision}, decided_by = ${viewer.id}, decision_note = ${note ?? null},
      decided_at = now() where id = ${id}`);
    const collision = await mustFindCollision(tx, id);
    const lead = (await findLeadView(tx, leadId)) as LeadView;
    emit({
      type: 'lead.collision_decided',
      leadId,
      actor: userActor(viewer),
      data: { lead, collision, previousOwnerId },
      ownerId: lead.ownerId,
      teamId: lead.teamId,
    });
    return collision;
  });
}

/**
 * The collisions a viewer takes part in: an admin sees all; a manager those of their team; everyone
 * those they filed or that are about their leads.
 */
export function listCollisions(db: Db, viewer: Viewer, status: 'open' | 'all'): Promise<CollisionView[]> {
  const scope =
    viewer.role === 'admin'
      ? sql`true`
      : sql`(c.requester_id = ${viewer.id} or c.owner_id = ${viewer.id}
          ${viewer.role === 'manager' && viewer.teamId ? sql`or c.team_id = ${viewer.teamId}` : sql``})`;
  return collisionViews(db, sql`where ${scope} ${status === 'open' ? sql`and c.status = 'open'` : sql``}`);
}

