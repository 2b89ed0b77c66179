import type { InferResponseType } from 'hono/client';
import type { api } from './client.js';

export type { LeadEvent, LeadEventType, LeadView } from '../../../../realtime/contract.ts';
export type { CollisionStatus, Intent, Role, SourceChannel, Stage } from '../../../../db/schema/index.ts';

export type UserView = InferResponseType<typeof api.users.me.$get, 200>['user'];
export type TeamView = InferResponseType<typeof api.teams.$get, 200>['items'][number];
export type ExhibitionView = InferResponseType<typeof api.exhibitions.$get, 200>['items'][number];
export type PoolFacets = InferResponseType<typeof api.pool.facets.$get, 200>;

/** Value lists mirrored from db/schema (the web may not import it at run time). */
export const intents = ['A', 'B', 'C', 'D'] as const;
export const stages = ['new', 'contacted', 'qualified', 'quoted', 'negotiation', 'won', 'lost'] as const;
export const roles = ['display', 'rep', 'manager', 'admin'] as const;
export const sourceChannels = ['exhibition', 'manual', 'import', 'web', 'api', 'referral'] as const;
