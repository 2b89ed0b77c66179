import type { Intent, RecycleRule, ReminderKind, SourceChannel, Stage } from '../../db/schema/index.ts';
import type { Viewer } from '../viewer.ts';
import { canSeeContact, maskEmail, maskPhone } from './visibility.ts';

/** A tag on a lead, with its group. */
export interface LeadTag {
  id: string;
  name: string;
  groupId: string;
  groupName: string;
}

/** A lead as the API and the event log carry it: names resolved, dates as ISO strings. */
export interface LeadView {
  id: number;
  company: string;
  contactName: string | null;
  title: string | null;
  mobile: string | null;
  phone: string | null;
  /** The landline's extension. */
  phoneExt: string | null;
  email: string | null;
  province: string | null;
  city: string | null;
  industry: string | null;
  sourceChannel: SourceChannel;
  exhibitionId: string | null;
  exhibitionName: string | null;
  /** The pool it sits in while unclaimed, and returns to when released or recycled. */
  poolId: string;
  intent: Intent | null;
  stage: Stage;
  ownerId: string | null;
  ownerName: string | null;
  teamId: string | null;
  claimedAt: string | null;
  lastActivityAt: string | null;
  lastFollowUpAt: string | null;
  /** When the last follow-up planned the next one (its owner is reminded then). */
  nextFollowUpAt: string | null;
  /** When its pool's recycling takes it back (回收), by which rule; null: it will not (unheld, won, locked, exempt, no rule). */
  recycleDueAt: string | null;
  recycleRule: RecycleRule | null;
  /** A manager keeps it with its owner: recycling leaves it alone. */
  recycleLocked: boolean;
  /** The next reminder (SLA) it comes due for and when (core/rules/reminders.usecases.ts); null: none. */
  remindDueAt: string | null;
  remindKind: ReminderKind | null;
  expectedAmount: number | null;
  /** The largest amount an approval request of the lead was approved for: moves up to it need no new approval. */
  approvedAmount: number | null;
  createdBy: string | null;
  createdAt: string;
  /** Reps the lead is shared with (a collision decided as "share"): they work it too. */
  sharedWith: { id: string; name: string }[];
  /** The tags the lead carries, in group order. */
  tags: LeadTag[];
  /** Custom-field values by field key (core/custom-fields/custom-values.ts says their shape). */
  custom: Record<string, string | number | string[]>;
  /** True when mobile, phone and email are masked for this viewer. */
  contactMasked: boolean;
  /** Someone is on the line with the lead now ("李强 通话中"), since when; null: nobody. */
  onCall: { userId: string; name: string; since: string } | null;
}

export function maskLead(lead: LeadView): LeadView {
  return {
    ...lead,
    mobile: maskPhone(lead.mobile),
    phone: maskPhone(lead.phone),
    phoneExt: null,
    email: maskEmail(lead.email),
    contactMasked: true,
  };
}

/** The lead as this viewer may see it. */
export function leadFor(viewer: Viewer, lead: LeadView): LeadView {
  return canSeeContact(viewer, lead) ? lead : maskLead(lead);
}
