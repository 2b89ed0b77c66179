import { Hono } from 'hono';
import { describeRoute } from 'hono-openapi';
import {
  approvalInput,
  getPipelineConfig,
  lostReasonsInput,
  stagesInput,
  updateApprovalSettings,
  updateLostReasons,
  updateStages,
} from '../core/pipeline/pipeline-config.usecases.ts';
import { allow, signedIn, type ApiDeps, type ApiEnv } from './context.ts';
import { validate } from './validate.ts';

export const pipelineRoutes = (deps: ApiDeps) =>
  new Hono<ApiEnv>()
    .use(signedIn(deps))
    .get('/config', describeRoute({ tags: ['pipeline'], summary: 'The stages in order (with requirements and SOP tasks), the lost reasons and the approval settings' }), async (c) =>
      c.json({ config: await getPipelineConfig(deps.db) }, 200),
    )
    .put(
      '/stages',
      describeRoute({ tags: ['admin'], summary: 'Replace the stages in order (new first, won and lost last); 409 pipeline.stage_in_use for a removed stage with leads' }),
      allow('admin'),
      validate('json', stagesInput),
      async (c) => c.json({ stages: await updateStages(deps.db, c.req.valid('json')) }, 200),
    )
    .put(
      '/lost-reasons',
      describeRoute({ tags: ['admin'], summary: 'Replace the lost-reason list in order (a reason left out is retired)' }),
      allow('admin'),
      validate('json', lostReasonsInput),
      async (c) => c.json({ lostReasons: await updateLostReasons(deps.db, c.req.valid('json')) }, 200),
    )
    .put(
      '/approval',
      describeRoute({ tags: ['admin'], summary: 'The approval threshold (null: off), the stage it guards and the chain of approvers' }),
      allow('admin'),
      validate('json', approvalInput),
      async (c) => c.json({ approval: await updateApprovalSettings(deps.db, c.req.valid('json')) }, 200),
    );
