import type { LeadView } from '#lib/api/types.js';

/** A lead as the API shows it, unheld in the company pool, with `patch` on top: for the web's tests. */
export const leadView = (id: number, patch: Partial<LeadView> = {}): LeadView => ({
  id, company: `C${id}`, contactName: null, title: null, mobile: null, phone: null, phoneExt: null, email: null, province: null, city: null,
  industry: null, sourceChannel: 'manual', exhibitionId: null, exhibitionName: null, poolId: 'company', intent: null, stage: 'new', ownerId: null,
  ownerName: null, teamId: null, claimedAt: null, lastActivityAt: null, lastFollowUpAt: null, nextFollowUpAt: null, recycleDueAt: null,
  recycleRule: null, recycleLocked: false, remindDueAt: null, remindKind: null, expectedAmount: null, approvedAmount: null, createdBy: null, createdAt: '2026-01-01T00:00:00.000Z', tags: [], custom: {},
  contactMasked: false, onCall: null, sharedWith: [], ...patch,
});
