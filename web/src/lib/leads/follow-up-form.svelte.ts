import { api, call } from '#lib/api/client.js';
import type { FollowUpChannel } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { LeadActionForm } from './lead-action-form.svelte.js';

/** The follow-up being written on a lead page; saved, it restarts the lead's recycling clock. */
export class FollowUpForm extends LeadActionForm {
  channel = $state<FollowUpChannel>('phone');
  summary = $state('');
  /** A `datetime-local` value ('' = none). */
  nextAt = $state('');

  save(): Promise<boolean> {
    // Checked here too, so an empty note never makes a round trip.
    if (this.summary.trim() === '') {
      this.fieldErrors = { summary: ['required'] };
      return Promise.resolve(false);
    }
    return this.submit(async () => {
      const json = { channel: this.channel, summary: this.summary.trim(), nextAt: this.nextAt ? new Date(this.nextAt).toISOString() : null };
      const { lead } = await call(api.leads[':id']['follow-ups'].$post({ param: { id: String(this.leadId) }, json }));
      this.saved(lead);
      this.summary = '';
      this.nextAt = '';
      toasts.success(m.follow_up_saved());
    });
  }
}
