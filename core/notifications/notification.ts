import type { NotificationKind, RecycleRule, Stage } from '../../db/schema/index.ts';
import type { Reminder } from '../events/lead-event.ts';

export type { NotificationKind };

/** What each kind of notification carries: enough to write its line in the reader's language. */
export interface NotificationData {
  /** The lead you hold will be recycled at `dueAt` unless you follow it up. */
  'lead.recycle_warning': { company: string; dueAt: string; rule: RecycleRule; limit: number };
  /** The lead you held went back to its pool. */
  'lead.recycled': { company: string; rule: RecycleRule; limit: number; poolId: string };
  /** An assignment rule (named) gave you the lead. */
  'lead.assigned': { company: string; rule: string };
  /** A reminder about a lead `ownerName` holds (the reader's own when `ownerId` is theirs). */
  'lead.reminder': { company: string; ownerId: string; ownerName: string | null; reminder: Reminder };
  /** `by` gave you a task on the lead (`title` null: the system's own, e.g. a care task). */
  'task.assigned': { company: string; taskId: number; title: string | null; dueAt: string; by: string };
  /** `by` asks you to approve moving a lead worth `amount` into `stage`. */
  'approval.requested': { approvalId: number; company: string; amount: number; stage: Stage; by: string };
  /** `by` approved or rejected your request (the last decision on it), with their comment. */
  'approval.decided': { approvalId: number; company: string; approved: boolean; by: string; comment: string | null; stage: Stage };
}

/** One notification as the API lists it and the socket `notification` message carries it. */
export type NotificationView = {
  [K in NotificationKind]: { id: number; kind: K; leadId: number | null; data: NotificationData[K]; createdAt: string; readAt: string | null };
}[NotificationKind];

/** A notification to write, for one person. */
export type NewNotification = {
  [K in NotificationKind]: { userId: string; kind: K; leadId: number | null; data: NotificationData[K] };
}[NotificationKind];

/** A written notification and whose it is. */
export interface Delivered {
  userId: string;
  notification: NotificationView;
}

/** Hands written notifications, after their transaction commits, to whoever shows them live (the socket hub). */
export interface NotificationPublisher {
  notify(delivered: Delivered[]): void;
  /** A person read notifications in one tab: their other tabs update the badge. */
  readChanged(userId: string, unread: number): void;
}
