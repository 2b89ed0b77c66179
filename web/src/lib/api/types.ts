import type { InferResponseType } from 'hono/client';
import type { api } from './client.js';

export type { LeadEvent, LeadEventType, LeadView, NotificationView } from '../../../../realtime/contract.ts';
export type { BuiltInLostReason, BuiltInStage, CollisionStatus, DealInstalment, DealItem, Intent, Role, SourceChannel, Stage, StageTaskTemplate, TaskPreset } from '../../../../db/schema/index.ts';
export type { ApprovalSettings, ApprovalStepView, LostReasonView, PipelineConfig, StageView } from '../../../../core/pipeline/pipeline-config.usecases.ts';
export type { ApprovalView } from '../../../../core/approvals/approvals.usecases.ts';
export type { DealView } from '../../../../core/deals/deals.usecases.ts';
export type { RelatedLead } from '../../../../core/leads/related.usecases.ts';

export type UserView = InferResponseType<typeof api.users.me.$get, 200>['user'];
export type TeamView = InferResponseType<typeof api.teams.$get, 200>['items'][number];
export type ExhibitionView = InferResponseType<typeof api.exhibitions.$get, 200>['items'][number];
export type WallScreenView = InferResponseType<(typeof api)['wall-screens']['$get'], 200>['items'][number];
export type PoolFacets = InferResponseType<typeof api.pool.facets.$get, 200>;
export type PoolView = InferResponseType<typeof api.pools.$get, 200>['items'][number];
export type TagGroupView = InferResponseType<typeof api.tags.$get, 200>['groups'][number];
export type TagView = TagGroupView['tags'][number];
export type CustomFieldView = InferResponseType<(typeof api)['custom-fields']['$get'], 200>['items'][number];
export type CustomFieldType = CustomFieldView['type'];
export type { FollowUpChannel, LeadChanges, LostReasonRef, Reminder } from '../../../../core/events/lead-event.ts';
export type { ReminderSettings } from '../../../../core/settings/settings.repository.ts';
export type { TaskView } from '../../../../core/tasks/tasks.usecases.ts';
export type { CallView, RecordingView } from '../../../../core/calls/calls.usecases.ts';
export type { CallOutcome, RecycleRule, ReminderKind } from '../../../../db/schema/index.ts';
export type { AssignmentRuleInput, ConditionGroup, LeafCondition } from '../../../../core/rules/assignment-rule.ts';
export type { LeadTag } from '../../../../core/leads/lead-view.ts';

/** Value lists mirrored from db/schema (the web may not import it at run time). */
export const intents = ['A', 'B', 'C', 'D'] as const;
/** The stages a new install starts with; the organisation's own come from `pipeline` (#lib/pipeline/pipeline-config.svelte.js). */
export const builtInStages = ['new', 'contacted', 'qualified', 'quoted', 'negotiation', 'won', 'lost'] as const;
export const builtInLostReasons = ['price', 'competitor', 'no_budget', 'no_need', 'unreachable', 'other'] as const;
export const roles = ['display', 'rep', 'manager', 'admin'] as const;
export const sourceChannels = ['exhibition', 'manual', 'import', 'web', 'api', 'referral'] as const;
export const followUpChannels = ['phone', 'wechat', 'email', 'visit', 'other'] as const;
export const leadEventTypes = ['lead.created', 'lead.claimed', 'lead.released', 'lead.updated', 'lead.collision_filed', 'lead.collision_decided', 'lead.merged', 'lead.recycled', 'lead.followed_up', 'lead.assigned', 'lead.moved', 'lead.reminded', 'lead.stage_changed', 'lead.task_added', 'lead.task_done', 'lead.call_started', 'lead.called', 'lead.approval_requested', 'lead.approval_decided', 'deal.won', 'deal.paid', 'lead.call_recorded', 'lead.notes_edited'] as const;
export const callOutcomes = ['connected', 'no_answer', 'busy', 'wrong_number', 'invalid_number', 'callback', 'not_interested'] as const;
export const doors = ['manual', 'booth', 'api', 'import', 'recycle'] as const;
export const conditionOps = ['eq', 'neq', 'in', 'contains', 'gte', 'lte'] as const;
export const webhookKinds = ['generic', 'dingtalk', 'wecom'] as const;
export const customFieldTypes = ['text', 'number', 'date', 'select', 'multiselect'] as const;
