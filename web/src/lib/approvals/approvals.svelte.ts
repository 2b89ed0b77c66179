import { api, call } from '#lib/api/client.js';
import type { ApprovalView, NotificationView } from '#lib/api/types.js';
import { followLog } from '#lib/live/live-sync.svelte.js';
import { getLive, liveSocket } from '#lib/live/live.svelte.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

/** Approves or rejects a request's current step with a comment; answers the request as it now is, or null when refused (said in a toast). */
export async function decide(approval: Pick<ApprovalView, 'id'>, approved: boolean, comment: string): Promise<ApprovalView | null> {
  try {
    const json = { approved, ...(comment.trim() ? { comment: comment.trim() } : {}) };
    const result = await call(api.approvals[':id'].decision.$post({ param: { id: String(approval.id) }, json }));
    toasts.success(approved ? m.approval_approved_toast() : m.approval_rejected_toast());
    return result.approval;
  } catch (err) {
    handleError(err);
    return null;
  }
}

export type ApprovalInboxView = 'pending' | 'decided';

/** The approver's inbox (审批): requests waiting for my decision, live as they arrive; or those I decided. */
export class ApprovalInbox {
  view = $state<ApprovalInboxView>('pending');
  items = $state.raw<ApprovalView[]>([]);
  loading = $state(true);
  /** Comments being written, by request id. */
  comments = $state<Record<number, string>>({});
  busy = $state<number | null>(null);

  start(): () => void {
    const socket = liveSocket();
    // A request for me arrives, or one of my team's is decided by another approver: fetch the list again.
    const arrived = (n: NotificationView) => {
      if (n.kind === 'approval.requested') void this.load();
    };
    socket?.on('notification', arrived);
    const stop = followLog(getLive(), {
      apply: (events) => {
        if (events.some((e) => e.type === 'lead.approval_requested' || e.type === 'lead.approval_decided')) void this.load();
      },
      reload: () => this.load(),
    });
    return () => {
      socket?.off('notification', arrived);
      stop();
    };
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.items = (await call(api.approvals.$get({ query: { status: this.view } }))).items;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  setView(view: ApprovalInboxView): void {
    this.view = view;
    void this.load();
  }

  async decide(approval: ApprovalView, approved: boolean): Promise<void> {
    this.busy = approval.id;
    const decided = await decide(approval, approved, this.comments[approval.id] ?? '');
    this.busy = null;
    if (decided) this.items = this.items.filter((a) => a.id !== approval.id);
  }
}
