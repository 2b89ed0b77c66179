import { numberOrNull } from '#lib/admin/number-draft.js';
import { api, ApiError, call } from '#lib/api/client.js';
import type { LeadView, Stage } from '#lib/api/types.js';
import { DealDraft } from '#lib/deals/deal-draft.svelte.js';
import { m } from '#lib/paraglide/messages.js';
import { pipeline } from '#lib/pipeline/pipeline-config.svelte.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { LeadActionForm } from './lead-action-form.svelte.js';

/**
 * Moving a lead's stage: a lost lead needs a reason from the admin's list, some stages an amount, won
 * the order; above the approval threshold the move becomes a request to the approval chain.
 */
export class StageForm extends LeadActionForm {
  stage = $state<Stage>('new');
  lostReasonId = $state<number | null>(null);
  lostNote = $state('');
  /** As typed ('' = none); asked for only when the lead has no amount yet. */
  amount = $state('');
  deal = $state(new DealDraft());
  /** A word to the approvers. */
  comment = $state('');
  /** The server said this move needs approval (the config here may be older than the server's). */
  approvalRequired = $state(false);

  /** Starts from where the lead is. */
  reset(lead: LeadView): void {
    this.stage = lead.stage;
    this.lostReasonId = null;
    this.lostNote = '';
    this.amount = '';
    this.deal = new DealDraft();
    this.comment = '';
    this.approvalRequired = false;
    this.fieldErrors = {};
  }

  get kind() {
    return pipeline.stage(this.stage)?.kind ?? 'open';
  }

  /** Whether moving `lead` to the chosen stage asks for an amount. */
  asksAmount(lead: LeadView): boolean {
    return this.kind !== 'won' && !!pipeline.stage(this.stage)?.requiresAmount && lead.expectedAmount === null;
  }

  /** The amount the move would carry. */
  amountFor(lead: LeadView): number | null {
    if (this.kind === 'won') return this.deal.total || lead.expectedAmount;
    return (this.asksAmount(lead) ? numberOrNull(this.amount) : null) ?? lead.expectedAmount;
  }

  /** Whether the move goes to the approval chain instead. */
  asksApproval(lead: LeadView): boolean {
    return this.moves(lead) && (this.approvalRequired || pipeline.needsApproval(this.stage, this.amountFor(lead), lead.approvedAmount));
  }

  /** Whether another stage than the lead's is chosen (only a move asks for anything). */
  moves(lead: LeadView): boolean {
    return this.stage !== lead.stage;
  }

  /** Whether the move needs more than the stage (the board then opens its dialog). */
  needsMore(lead: LeadView): boolean {
    return this.moves(lead) && (this.kind !== 'open' || this.asksAmount(lead) || this.asksApproval(lead));
  }

  save(lead: LeadView): Promise<boolean> {
    return this.submit(async () => {
      const id = String(this.leadId);
      if (this.asksApproval(lead)) {
        const amount = this.amountFor(lead);
        const json = { stage: this.stage, ...(amount !== null ? { expectedAmount: amount } : {}), ...(this.comment.trim() ? { comment: this.comment.trim() } : {}) };
        await call(api.leads[':id'].approvals.$post({ param: { id }, json }));
        this.reset(lead);
        toasts.success(m.approval_requested_toast());
        return;
      }
      const amount = numberOrNull(this.amount);
      const json = {
        stage: this.stage,
        ...(this.kind === 'lost' ? { lostReasonId: this.lostReasonId ?? undefined, lostNote: this.lostNote.trim() || undefined } : {}),
        ...(this.kind === 'won' ? { deal: this.deal.toInput() } : {}),
        ...(this.asksAmount(lead) && amount !== null ? { expectedAmount: amount } : {}),
      };
      try {
        const { lead: moved } = await call(api.leads[':id'].stage.$post({ param: { id }, json }));
        this.saved(moved);
        this.reset(moved);
        toasts.success(m.stage_changed_toast());
      } catch (err) {
        // The server's threshold or chain changed since this page loaded: offer the request instead.
        if (err instanceof ApiError && err.code === 'stage.approval_required' && !err.details?.pendingId) this.approvalRequired = true;
        throw err;
      }
    });
  }
}
