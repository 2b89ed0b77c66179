import { FormState } from '#lib/admin/form-state.svelte.js';
import { api, ApiError, call } from '#lib/api/client.js';
import type { CallOutcome, LeadView } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

/** Someone else is on the line: who, since when (the second caller's warning). */
export interface Busy {
  by: string;
  since: string;
}

/**
 * The call panel of a lead page: idle → on the line (a running timer; everyone watching sees the
 * marker) → hung up (the outcome form) → idle. A second caller is warned first.
 */
export class CallState extends FormState {
  phase = $state<'idle' | 'warned' | 'on' | 'outcome'>('idle');
  warning = $state<Busy | null>(null);
  callId = $state<number | null>(null);
  since = $state<string | null>(null);
  outcome = $state<CallOutcome>('connected');
  notes = $state('');
  nextStep = $state('');
  /** A `datetime-local` value, for a callback. */
  callbackAt = $state('');
  readonly #leadId: number;
  readonly #saved: (lead: LeadView) => void;

  constructor(leadId: number, saved: (lead: LeadView) => void) {
    super();
    this.#leadId = leadId;
    this.#saved = saved;
  }

  /** The page loaded while this person is on the line (another tab, a reload): pick the call up again. */
  resume(lead: LeadView, me: string): void {
    if (this.phase === 'idle' && lead.onCall?.userId === me) void this.start(false);
  }

  /** Starts the call (or takes up one already open for this person); `force` after the warning. */
  async start(force: boolean): Promise<void> {
    try {
      const started = await call(api.leads[':id'].calls.$post({ param: { id: String(this.#leadId) }, json: force ? { force } : {} }));
      this.callId = started.call.id;
      this.since = started.call.startedAt;
      this.phase = 'on';
      this.warning = null;
      this.#saved(started.lead);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'call.in_progress') {
        this.warning = { by: String(err.details?.by ?? ''), since: String(err.details?.since ?? '') };
        this.phase = 'warned';
      } else handleError(err);
    }
  }

  hangUp(): void {
    this.phase = 'outcome';
  }

  cancelWarning(): void {
    this.phase = 'idle';
    this.warning = null;
  }

  save(): Promise<boolean> {
    if (this.outcome === 'callback' && this.callbackAt === '') {
      this.fieldErrors = { callbackAt: ['required'] };
      return Promise.resolve(false);
    }
    return this.submit(async () => {
      const json = {
        outcome: this.outcome,
        ...(this.notes.trim() ? { notes: this.notes.trim() } : {}),
        ...(this.nextStep.trim() ? { nextStep: this.nextStep.trim() } : {}),
        ...(this.outcome === 'callback' ? { callbackAt: new Date(this.callbackAt).toISOString() } : {}),
      };
      const ended = await call(api.calls[':id'].end.$post({ param: { id: String(this.callId) }, json }));
      this.#saved(ended.lead);
      toasts.success(m.call_logged_toast());
      this.phase = 'idle';
      this.callId = null;
      this.since = null;
      this.outcome = 'connected';
      this.notes = '';
      this.nextStep = '';
      this.callbackAt = '';
    });
  }
}
