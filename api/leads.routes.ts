import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import { z } from 'zod';
import { followUpInput, logFollowUp } from '../core/follow-ups/follow-ups.usecases.ts';
import { listPipeline, pipelineQuery } from '../core/pipeline/pipeline.usecases.ts';
import { addTask, addTaskInput, listLeadTasks } from '../core/tasks/tasks.usecases.ts';
import { startCallInput } from '../core/calls/calls.usecases.ts';
import { callLead } from '../core/telephony/telephony.usecases.ts';
import { changeStage, stageChangeInput } from '../core/pipeline/stage.usecases.ts';
import { listLeadApprovals, requestApproval, requestApprovalInput } from '../core/approvals/approvals.usecases.ts';
import { findDeal, instalmentPaidInput, setInstalmentPaid } from '../core/deals/deals.usecases.ts';
import { listRelated } from '../core/leads/related.usecases.ts';
import { fileCollision, fileCollisionInput } from '../core/collisions/collisions.usecases.ts';
import { leadTimeline } from '../core/events/event-log.ts';
import { mergeInput, mergeLeads } from '../core/leads/merge.usecases.ts';
import { listOwnedBy } from '../core/leads/leads.repository.ts';
import { findDuplicates } from '../core/dedup/duplicates.ts';
import { tagCustomConditions } from '../core/leads/lead-filter.ts';
import { updateLeadProfile } from '../core/leads/lead-profile.usecases.ts';
import { createLeadInput, duplicateCheckInput, mineQuery, releaseInput, updateLeadInput } from '../core/leads/leads.schemas.ts';
import { userActor } from '../core/events/lead-event.ts';
import { claimLead, createLead, getLead, releaseLead } from '../core/pool/pool.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { publicOrigin } from './doors.ts';
import { validate } from './validate.ts';

const idParam = z.object({ id: z.coerce.number().int().positive() });
const workers = allow('rep', 'manager', 'admin');

export const leadsRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .post('/', describeRoute({ tags: ['leads'], summary: 'Create a lead (into the pool, or kept with assignToMe)' }), workers, validate('json', createLeadInput), async (c) => {
      const viewer = c.get('viewer');
      const lead = await createLead(deps, userActor(viewer), c.req.valid('json'), { viewer });
      return c.json({ lead }, 201);
    })
    .post(
      '/duplicates',
      describeRoute({ tags: ['leads'], summary: 'Existing leads a lead being entered would duplicate (same phone or email), or possibly (similar company)' }),
      workers,
      validate('json', duplicateCheckInput),
      async (c) => c.json({ matches: await findDuplicates(deps.db, c.req.valid('json')) }, 200),
    )
    .get('/mine', describeRoute({ tags: ['leads'], summary: "The caller's own leads, filtered by tags (tag) and custom fields (cf) as the pool is" }), validate('query', mineQuery), async (c) => {
      const extra = await tagCustomConditions(deps.db, c.req.valid('query'));
      return c.json({ items: await listOwnedBy(deps.db, c.get('viewer').id, extra) }, 200);
    })
    .get(
      '/pipeline',
      describeRoute({ tags: ['leads'], summary: "Held leads for a pipeline board: the caller's own (scope=mine), or their team's (scope=team: managers; admins get every held lead)" }),
      validate('query', pipelineQuery),
      async (c) => c.json({ items: await listPipeline(deps.db, c.get('viewer'), c.req.valid('query').scope) }, 200),
    )
    .get('/:id', describeRoute({ tags: ['leads'], summary: 'One lead' }), validate('param', idParam), async (c) => {
      return c.json({ lead: await getLead(deps, c.get('viewer'), c.req.valid('param').id) }, 200);
    })
    .patch(
      '/:id',
      describeRoute({ tags: ['leads'], summary: "Change a lead's tags and custom values (owner, their team's manager, admin; pool leads: managers); appends lead.updated" }),
      workers,
      validate('param', idParam),
      validate('json', updateLeadInput),
      async (c) => c.json({ lead: await updateLeadProfile(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json')) }, 200),
    )
    .get('/:id/events', describeRoute({ tags: ['leads'], summary: "The lead's timeline, oldest first" }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      await getLead(deps, c.get('viewer'), id);
      return c.json({ events: await leadTimeline(deps.db, c.get('viewer'), id) }, 200);
    })
    .post(
      '/:id/claim',
      describeRoute({ tags: ['pool'], summary: 'Claim a pool lead; 409 pool.already_claimed names the winner' }),
      workers,
      validate('param', idParam),
      async (c) => {
        return c.json({ lead: await claimLead(deps, c.get('viewer'), c.req.valid('param').id) }, 200);
      },
    )
    .post(
      '/:id/release',
      describeRoute({ tags: ['pool'], summary: 'Return a lead to the pool with a reason' }),
      workers,
      validate('param', idParam),
      validate('json', releaseInput),
      async (c) => {
        const lead = await releaseLead(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json').reason);
        return c.json({ lead }, 200);
      },
    )
    .post(
      '/:id/follow-ups',
      describeRoute({ tags: ['leads'], summary: 'Record a follow-up (channel, summary, next time); it restarts the recycling clock; 409 follow_up.lead_in_pool once recycled' }),
      workers,
      validate('param', idParam),
      validate('json', followUpInput),
      async (c) => c.json({ lead: await logFollowUp(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json')) }, 201),
    )
    .get('/:id/tasks', describeRoute({ tags: ['tasks'], summary: "A lead's tasks, open ones first" }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      await getLead(deps, c.get('viewer'), id);
      return c.json({ items: await listLeadTasks(deps.db, id) }, 200);
    })
    .post(
      '/:id/tasks',
      describeRoute({ tags: ['tasks'], summary: 'Add a task to a held lead (title, due time, assignee: the owner or a rep it is shared with)' }),
      workers,
      validate('param', idParam),
      validate('json', addTaskInput),
      async (c) => c.json({ task: await addTask(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json')) }, 201),
    )
    .post(
      '/:id/calls',
      describeRoute({
        tags: ['calls'],
        summary:
          'Start a call (everyone watching sees the rep on the line); 409 call.in_progress names whoever already is, unless force. With a telephony adapter on (and no selfDial), the provider places it; 502 telephony.not_placed when it does not',
      }),
      workers,
      validate('param', idParam),
      validate('json', startCallInput),
      async (c) => {
        const resultUrl = (provider: string) => `${publicOrigin(c, deps.doors)}/api/telephony/${provider}/result`;
        return c.json(await callLead(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json'), resultUrl), 201);
      },
    )
    .post(
      '/:id/stage',
      describeRoute({ tags: ['leads'], summary: 'Move a held lead to another pipeline stage (lost needs a reason; quoted, negotiation and won an expected amount)' }),
      workers,
      validate('param', idParam),
      validate('json', stageChangeInput),
      async (c) => c.json({ lead: await changeStage(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json')) }, 200),
    )
    .get('/:id/approvals', describeRoute({ tags: ['approvals'], summary: "A lead's approval requests, newest first" }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      await getLead(deps, c.get('viewer'), id);
      return c.json({ items: await listLeadApprovals(deps.db, id) }, 200);
    })
    .post(
      '/:id/approvals',
      describeRoute({ tags: ['approvals'], summary: "Ask the approval chain to let a big lead into the approval stage (409 approval.pending, approval.not_needed)" }),
      workers,
      validate('param', idParam),
      validate('json', requestApprovalInput),
      async (c) => c.json({ approval: await requestApproval(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json')) }, 201),
    )
    .get('/:id/deal', describeRoute({ tags: ['deals'], summary: "The order a won lead became (null before it is won)" }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      await getLead(deps, c.get('viewer'), id);
      return c.json({ deal: await findDeal(deps.db, id) }, 200);
    })
    .patch(
      '/:id/deal/instalments/:index',
      describeRoute({ tags: ['deals'], summary: 'Mark an instalment of the payment plan paid or unpaid' }),
      workers,
      validate('param', z.object({ id: z.coerce.number().int().positive(), index: z.coerce.number().int().min(0).max(99) })),
      validate('json', instalmentPaidInput),
      async (c) => {
        const { id, index } = c.req.valid('param');
        return c.json({ deal: await setInstalmentPaid(deps, c.get('viewer'), id, index, c.req.valid('json').paid) }, 200);
      },
    )
    .get('/:id/related', describeRoute({ tags: ['leads'], summary: 'Other leads of the same company (same company key), as the caller may see them' }), validate('param', idParam), async (c) => {
      const { id } = c.req.valid('param');
      await getLead(deps, c.get('viewer'), id);
      return c.json({ items: await listRelated(deps.db, c.get('viewer'), id) }, 200);
    })
    .post(
      '/:id/collisions',
      describeRoute({ tags: ['collisions'], summary: "File a collision request (撞单) on another rep's lead, with the requester's evidence" }),
      workers,
      validate('param', idParam),
      validate('json', fileCollisionInput),
      async (c) => {
        const collision = await fileCollision(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json').note);
        return c.json({ collision }, 201);
      },
    )
    .post(
      '/:id/merge',
      describeRoute({ tags: ['leads'], summary: 'Merge another lead into this one (managers, admins): this one keeps both histories' }),
      allow('manager', 'admin'),
      validate('param', idParam),
      validate('json', mergeInput),
      async (c) => c.json({ lead: await mergeLeads(deps, c.get('viewer'), c.req.valid('param').id, c.req.valid('json').mergedId) }, 200),
    );
