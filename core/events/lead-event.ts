import type { ApprovalDecision, Door, LeadEventType, RecycleRule, Stage } from '../../db/schema/index.ts';
import type { CollisionView } from '../collisions/collision-view.ts';
import type { LeadTag, LeadView } from '../leads/lead-view.ts';
import type { ApprovalView } from '../approvals/approvals.usecases.ts';
import type { CallView } from '../calls/calls.usecases.ts';
import type { DealView } from '../deals/deals.usecases.ts';
import type { TaskView } from '../tasks/tasks.usecases.ts';
import type { Viewer } from '../viewer.ts';

export type { LeadEventType };

export interface Actor {
  type: 'user' | 'rule' | 'system';
  id: string | null;
  name: string;
}

/** A signed-in person as the actor of what they do. */
export const userActor = (viewer: Pick<Viewer, 'id' | 'name'>): Actor => ({ type: 'user', id: viewer.id, name: viewer.name });

/** What each event type carries in `data`. */
export interface LeadEventData {
  /**
   * `possibleDuplicateOf`: leads with a similar company the creator saw and overrode, with their reason;
   * without a reason when an unattended door (booth form, intake API) created it and nobody has looked yet.
   * `note`: what the door carried besides the lead's fields (a booth visitor's product interest).
   */
  'lead.created': { lead: LeadView; possibleDuplicateOf?: { leadIds: number[]; reason?: string }; note?: string };
  'lead.claimed': { lead: LeadView };
  /** `previousOwnerId`: whose it was (a pool's re-claim cooldown applies to them); absent in events older than pools. */
  'lead.released': { lead: LeadView; reason: string; previousOwnerName: string | null; previousOwnerId?: string | null };
  /** A rep found the customer is another rep's lead (撞单) and asked the owner's manager to decide. */
  'lead.collision_filed': { lead: LeadView; collision: CollisionView };
  /** The manager decided: keep (with the owner), transfer (to the requester) or share (both work it). */
  'lead.collision_decided': { lead: LeadView; collision: CollisionView; previousOwnerId: string | null };
  /** `merged` was merged into `lead` (the survivor), which now carries its history. */
  'lead.merged': { lead: LeadView; merged: LeadView };
  'lead.updated': { lead: LeadView; changes: LeadChanges };
  /**
   * The pool's recycling took the lead back from `previousOwnerId` (whose re-claim cooldown now runs):
   * `rule` came due, with its `limit` (hours for no_follow_up, days for the others).
   */
  'lead.recycled': { lead: LeadView; rule: RecycleRule; limit: number; previousOwnerId: string; previousOwnerName: string | null };
  /** An assignment rule of the door the lead came in by gave it to a rep (`lead.ownerId`). */
  'lead.assigned': { lead: LeadView; rule: RuleRef; door: Door };
  /** An assignment rule moved the unclaimed lead from `fromPoolId` into `lead.poolId`. */
  'lead.moved': { lead: LeadView; fromPoolId: string; rule: RuleRef; door: Door };
  /** Someone working the lead recorded a follow-up (it resets the recycling clock). */
  'lead.followed_up': { lead: LeadView; followUp: FollowUp };
  /** A reminder came due (an SLA breached, a stage idle, a planned follow-up, a big lead gone quiet) and these people were told. */
  'lead.reminded': { lead: LeadView; reminder: Reminder; notified: { id: string; name: string }[] };
  /**
   * Someone working the lead (or the last approver) moved it from one pipeline stage to another.
   * `fromName`/`toName`: the admin's names of the stages, when they have them. `lostReason`: why it was
   * lost (a plain string in events older than the admin's list), `lostNote` a few words more.
   */
  'lead.stage_changed': { lead: LeadView; from: Stage; to: Stage; fromName?: string | null; toName?: string | null; lostReason?: LostReasonRef | string; lostNote?: string };
  /** A task was added to the lead (by hand; by the system for a care reminder). */
  'lead.task_added': { lead: LeadView; task: TaskView };
  /** A task of the lead was done. */
  'lead.task_done': { lead: LeadView; task: TaskView };
  /** Someone started a call with the lead: they are on the line (`lead.onCall`). */
  'lead.call_started': { lead: LeadView; call: CallView };
  /**
   * A call ended (by its caller, or by the telephony provider that placed it), or its caller logged
   * outcome and notes afterwards; with its duration and outcome.
   */
  'lead.called': { lead: LeadView; call: CallView };
  /** A big lead's move into the approval stage waits for the chain. */
  'lead.approval_requested': { lead: LeadView; approval: ApprovalView };
  /** An approver decided a step (`approval.status` tells whether the request is still on its way). */
  'lead.approval_decided': { lead: LeadView; approval: ApprovalView; decision: ApprovalDecision };
  /** The lead was won with this order. */
  'deal.won': { lead: LeadView; deal: DealView };
  /** An instalment of the order's payment plan was marked paid (or not). */
  'deal.paid': { lead: LeadView; deal: DealView; instalment: number; paid: boolean };
  /** A recording was attached to an ended call (uploaded, or fetched from the telephony provider): `call.recording`. */
  'lead.call_recorded': { lead: LeadView; call: CallView };
  /** Someone edited the shared notes (once per person per editing session; the text is in the notes). */
  'lead.notes_edited': { lead: LeadView };
}

/** A lost reason as events name it: a built-in one by `key` (named by the web), an admin's by `name`. */
export interface LostReasonRef {
  id: number;
  key: string | null;
  name: string | null;
}

/** A reminder as it came due, with the threshold that was passed. */
export type Reminder =
  /** Taken `hours` ago and not followed up. */
  | { kind: 'unhandled'; hours: number }
  /** In `stage` for `days` days. */
  | { kind: 'stage_idle'; stage: Stage; days: number }
  /** The follow-up planned for `dueAt` is due. */
  | { kind: 'follow_up_due'; dueAt: string }
  /** Worth at least `amount` and untouched for `days` days: time to look after the customer. */
  | { kind: 'care'; amount: number; days: number };

/** An admin's assignment rule, as events name it. */
export interface RuleRef {
  id: string;
  name: string;
}

export const followUpChannels = ['phone', 'wechat', 'email', 'visit', 'other'] as const;
export type FollowUpChannel = (typeof followUpChannels)[number];

/** A follow-up record: how the customer was reached, what was said, when to follow up next. */
export interface FollowUp {
  channel: FollowUpChannel;
  summary: string;
  nextAt: string | null;
}

export type CustomValue = string | number | string[];

/** Standard fields another source may fill in (an import row merged into the lead). */
export type FilledField = 'contactName' | 'title' | 'province' | 'city' | 'industry';

/** What a `lead.updated` changed: tags added and removed, fields and custom values from → to (null: none). */
export interface LeadChanges {
  tags?: { added: LeadTag[]; removed: LeadTag[] };
  fields?: { field: FilledField; from: string | null; to: string | null }[];
  custom?: { key: string; label: string; from: CustomValue | null; to: CustomValue | null }[];
  /** A manager locked the lead against recycling (true) or unlocked it (false). */
  recycleLocked?: boolean;
}

/**
 * One entry of the event log, as `GET /api/events` returns it and the socket `event`
 * message carries it. Apply once: ignore `seq <= cursor`.
 */
export type LeadEvent = {
  [T in LeadEventType]: { seq: number; type: T; leadId: number; actor: Actor; at: string; data: LeadEventData[T] };
}[LeadEventType];

/** An appended event with who may see its contact data (never sent as is). */
export interface StoredEvent {
  event: LeadEvent;
  ownerId: string | null;
  teamId: string | null;
}

/** Hands committed events to whoever fans them out (the socket hub). */
export interface EventPublisher {
  publish(events: StoredEvent[]): void;
}

export function assertUnreachable(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}
