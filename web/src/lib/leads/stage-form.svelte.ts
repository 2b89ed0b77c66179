import { numberOrNull } from '#lib/admin/number-draft.js';
import { api, call } from '#lib/api/client.js';
import type { LeadView, Stage } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { LeadActionForm } from './lead-action-form.svelte.js';

/** Stages that need an expected amount (core/pipeline/stage.usecases.ts `stagesNeedingAmount`). */
const needAmount: readonly Stage[] = ['quoted', 'negotiation', 'won'];

/** Moving a lead's stage on its page: a lost lead needs a reason, and from a quote on an amount. */
export class StageForm extends LeadActionForm {
  stage = $state<Stage>('new');
  lostReason = $state('');
  /** As typed ('' = none); asked for only when the lead has no amount yet. */
  amount = $state('');

  /** Starts from where the lead is. */
  reset(lead: LeadView): void {
    this.stage = lead.stage;
    this.lostReason = '';
    this.amount = '';
    this.fieldErrors = {};
  }

  /** Whether moving `lead` to the chosen stage asks for an amount. */
  asksAmount(lead: LeadView): boolean {
    return needAmount.includes(this.stage) && lead.expectedAmount === null;
  }

  save(lead: LeadView): Promise<boolean> {
    const amount = numberOrNull(this.amount);
    return this.submit(async () => {
      const json = {
        stage: this.stage,
        ...(this.stage === 'lost' ? { lostReason: this.lostReason.trim() || undefined } : {}),
        ...(this.asksAmount(lead) && amount !== null ? { expectedAmount: amount } : {}),
      };
      const { lead: moved } = await call(api.leads[':id'].stage.$post({ param: { id: String(this.leadId) }, json }));
      this.saved(moved);
      this.reset(moved);
      toasts.success(m.stage_changed_toast());
    });
  }
}
