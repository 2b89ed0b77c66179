import { FormState } from '#lib/admin/form-state.svelte.js';
import type { LeadView } from '#lib/api/types.js';

/** A form that acts on one lead (a follow-up, a stage move) and hands the changed lead back. */
export class LeadActionForm extends FormState {
  protected readonly leadId: number;
  protected readonly saved: (lead: LeadView) => void;

  constructor(leadId: number, saved: (lead: LeadView) => void) {
    super();
    this.leadId = leadId;
    this.saved = saved;
  }
}
