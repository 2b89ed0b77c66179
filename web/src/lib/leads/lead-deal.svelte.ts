import { api, call } from '#lib/api/client.js';
import type { ApprovalView, DealView, LeadEvent, RelatedLead } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

/** A lead's order, approval requests and related leads on its page, kept live by the lead's events. */
export class LeadDealState {
  deal = $state.raw<DealView | null>(null);
  approvals = $state.raw<ApprovalView[]>([]);
  related = $state.raw<RelatedLead[]>([]);
  busy = $state(false);
  readonly #param: { id: string };

  constructor(leadId: number) {
    this.#param = { id: String(leadId) };
  }

  async load(): Promise<void> {
    const param = this.#param;
    try {
      const [deal, approvals, related] = await Promise.all([
        call(api.leads[':id'].deal.$get({ param })),
        call(api.leads[':id'].approvals.$get({ param })),
        call(api.leads[':id'].related.$get({ param })),
      ]);
      this.deal = deal.deal;
      this.approvals = approvals.items;
      this.related = related.items;
    } catch (err) {
      handleError(err);
    }
  }

  apply(events: LeadEvent[]): void {
    for (const event of events) {
      if (event.type === 'deal.won' || event.type === 'deal.paid') this.deal = event.data.deal;
      if (event.type === 'lead.approval_requested' || event.type === 'lead.approval_decided') {
        const approval = event.data.approval;
        this.approvals = [approval, ...this.approvals.filter((a) => a.id !== approval.id)].sort((a, b) => b.id - a.id);
      }
    }
  }

  /** Marks an instalment paid or not. */
  async setPaid(index: number, paid: boolean): Promise<void> {
    this.busy = true;
    try {
      this.deal = (await call(api.leads[':id'].deal.instalments[':index'].$patch({ param: { ...this.#param, index: String(index) }, json: { paid } }))).deal;
      toasts.success(paid ? m.deal_paid_toast() : m.deal_unpaid_toast());
    } catch (err) {
      handleError(err);
    } finally {
      this.busy = false;
    }
  }
}
