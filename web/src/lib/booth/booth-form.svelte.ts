import { api, ApiError, call } from '#lib/api/client.js';
import type { InferResponseType } from 'hono/client';
import { describeError } from '#lib/i18n/errors.js';

export type BoothView = InferResponseType<(typeof api.booth)[':token']['$get'], 200>['booth'];

export interface BoothDraft {
  company: string;
  contactName: string;
  mobile: string;
  email: string;
  title: string;
  interest: string;
  /** The honeypot: hidden from people, filled by bots. */
  website: string;
}

const blank = (): BoothDraft => ({ company: '', contactName: '', mobile: '', email: '', title: '', interest: '', website: '' });
const draftKey = (token: string) => `leadpool.booth.${token}`;

function readDraft(token: string): BoothDraft {
  try {
    const saved = globalThis.sessionStorage?.getItem(draftKey(token));
    return saved ? { ...blank(), ...(JSON.parse(saved) as Partial<BoothDraft>) } : blank();
  } catch {
    return blank();
  }
}

/** The public booth form: loads its exhibition, keeps what was typed until it is sent, shows the thank-you. */
export class BoothForm {
  readonly token: string;
  booth = $state.raw<BoothView | null>(null);
  status = $state<'loading' | 'missing' | 'failed' | 'ready' | 'sent'>('loading');
  draft = $state<BoothDraft>(blank());
  busy = $state(false);
  fieldErrors = $state<Record<string, string[]>>({});
  /** A failure that is not about a field (offline, rate limit), in the visitor's language. */
  failure = $state<string | null>(null);

  constructor(token: string) {
    this.token = token;
    this.draft = readDraft(token);
  }

  async load(): Promise<void> {
    this.status = 'loading';
    try {
      this.booth = (await call(api.booth[':token'].$get({ param: { token: this.token } }))).booth;
      this.status = 'ready';
    } catch (err) {
      this.status = err instanceof ApiError && err.code === 'booth.not_found' ? 'missing' : 'failed';
    }
  }

  /** Remembers the typing in this tab, so a reload or a failed send loses nothing. */
  keep(): void {
    try {
      globalThis.sessionStorage?.setItem(draftKey(this.token), JSON.stringify(this.draft));
    } catch {
      // Private mode: the draft stays in memory only.
    }
  }

  async submit(): Promise<void> {
    this.busy = true;
    this.fieldErrors = {};
    this.failure = null;
    this.keep();
    const d = this.draft;
    const json = {
      company: d.company,
      contactName: d.contactName,
      mobile: d.mobile,
      email: d.email,
      title: d.title,
      interest: d.interest,
      ...(d.website ? { website: d.website } : {}),
    };
    try {
      await call(api.booth[':token'].leads.$post({ param: { token: this.token }, json }));
      this.status = 'sent';
      this.draft = blank();
      globalThis.sessionStorage?.removeItem(draftKey(this.token));
    } catch (err) {
      if (err instanceof ApiError && err.code === 'request.invalid') this.fieldErrors = err.fields;
      else this.failure = describeError(err);
    } finally {
      this.busy = false;
    }
  }

  /** Another visitor at the same phone (the booth's own tablet). */
  again(): void {
    this.status = 'ready';
  }
}
