import { FormState } from '#lib/admin/form-state.svelte.js';
import { api, ApiError, call } from '#lib/api/client.js';
import type { CallOutcome, CallView, LeadEvent, LeadView } from '#lib/api/types.js';
import { awaitsLog, latestCalls } from './call-events.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

/** Someone else is on the line: who, since when (the second caller's warning). */
export interface Busy {
  by: string;
  since: string;
}

/** How the telephony provider ended the call: the outcome it reported and the talk time. */
export interface ProviderEnd {
  outcome: CallOutcome | null;
  seconds: number;
}

/**
 * The call panel of a lead page: idle → on the line (a running timer; everyone watching sees the
 * marker) → hung up (the outcome form) → idle. A second caller is warned first. With a call centre
 * placing the call, it may end the call first: the outcome form opens with what it reported.
 */
export class CallState extends FormState {
  phase = $state<'idle' | 'warned' | 'on' | 'outcome'>('idle');
  /** Waiting for the server (and the call centre, when one places calls) to start the call. */
  starting = $state(false);
  warning = $state<Busy | null>(null);
  callId = $state<number | null>(null);
  since = $state<string | null>(null);
  /** The call centre placed this call ('generic'); null when the rep dials. */
  provider = $state<string | null>(null);
  /** The call centre ended the call before the rep logged it. */
  providerEnd = $state<ProviderEnd | null>(null);
  outcome = $state<CallOutcome>('connected');
  notes = $state('');
  nextStep = $state('');
  /** A `datetime-local` value, for a callback. */
  callbackAt = $state('');
  readonly #leadId: number;
  readonly #saved: (lead: LeadView) => void;
  /** Calls logged from this panel (the timeline may not show it yet). */
  readonly #logged = new Set<number>();

  constructor(leadId: number, saved: (lead: LeadView) => void) {
    super();
    this.#leadId = leadId;
    this.#saved = saved;
  }

  /**
   * The page loaded while this person is on the line (another tab, a reload): pick the call up again;
   * or a call of theirs the call centre ended still awaits its log: open the form for it.
   */
  resume(lead: LeadView, me: string, timeline: readonly LeadEvent[]): void {
    if (this.phase !== 'idle') return;
    if (lead.onCall?.userId === me) return void this.start(false);
    const pending = [...latestCalls(timeline).values()].find(({ call }) => call.userId === me && awaitsLog(call) && !this.#logged.has(call.id));
    if (pending) this.#awaitLog(pending.call);
  }

  #awaitLog(ended: CallView): void {
    if (this.phase !== 'outcome' && ended.outcome) this.outcome = ended.outcome;
    this.callId = ended.id;
    this.providerEnd = { outcome: ended.outcome, seconds: ended.durationSeconds ?? 0 };
    this.phase = 'outcome';
  }

  /**
   * Starts the call (or takes up one already open for this person); `force` after the warning;
   * `selfDial` when the phone dials it (a `tel:` link), so no call centre places it.
   */
  async start(force: boolean, selfDial = false): Promise<void> {
    this.starting = true;
    try {
      const json = { ...(force ? { force } : {}), ...(selfDial ? { selfDial } : {}) };
      const started = await call(api.leads[':id'].calls.$post({ param: { id: String(this.#leadId) }, json }));
      this.callId = started.call.id;
      this.since = started.call.startedAt;
      this.provider = started.call.provider;
      this.phase = 'on';
      this.warning = null;
      this.#saved(started.lead);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'call.in_progress') {
        this.warning = { by: String(err.details?.by ?? ''), since: String(err.details?.since ?? '') };
        this.phase = 'warned';
      } else handleError(err);
    } finally {
      this.starting = false;
    }
  }

  /** Live events: the call centre ending this call opens the outcome form with what it reported. */
  apply(events: LeadEvent[]): void {
    for (const event of events) {
      if (event.type === 'lead.called' && event.data.call.id === this.callId && this.phase !== 'idle' && awaitsLog(event.data.call)) this.#awaitLog(event.data.call);
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
      this.#logged.add(ended.call.id);
      this.#saved(ended.lead);
      toasts.success(m.call_logged_toast());
      this.phase = 'idle';
      this.callId = null;
      this.since = null;
      this.provider = null;
      this.providerEnd = null;
      this.outcome = 'connected';
      this.notes = '';
      this.nextStep = '';
      this.callbackAt = '';
    });
  }
}
