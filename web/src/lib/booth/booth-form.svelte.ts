import { get } from 'svelte/store';
import type { InferResponseType } from 'hono/client';
import { defaults, setError, superForm, type SuperValidated } from 'sveltekit-superforms';
import { zod4, zod4Client } from 'sveltekit-superforms/adapters';
import { api, ApiError, call } from '#lib/api/client.js';
import { describeError } from '#lib/i18n/errors.js';
import { blankBooth, boothPayload, boothSchema, type BoothFields } from './booth-form.js';

export type BoothView = InferResponseType<(typeof api.booth)[':token']['$get'], 200>['booth'];

const draftKey = (token: string) => `leadpool.booth.${token}`;

function readDraft(token: string): BoothFields {
  try {
    const saved = globalThis.sessionStorage?.getItem(draftKey(token));
    return saved ? { ...blankBooth(), ...(JSON.parse(saved) as Partial<BoothFields>) } : blankBooth();
  } catch {
    return blankBooth();
  }
}

/**
 * The public booth form: loads its exhibition, validates as the visitor types (superforms, SPA mode),
 * keeps what was typed in this tab until it is sent, and shows the thank-you.
 * Create it during component initialisation (superforms needs the component's lifecycle).
 */
export class BoothForm {
  readonly token: string;
  exhibition = $state.raw<BoothView | null>(null);
  status = $state<'loading' | 'missing' | 'failed' | 'ready' | 'sent'>('loading');
  /** A failure that is not about a field (offline, rate limit), in the visitor's language. */
  failure = $state<string | null>(null);
  readonly form;

  constructor(token: string) {
    this.token = token;
    this.form = superForm(defaults(readDraft(token), zod4(boothSchema)), {
      SPA: true,
      dataType: 'json',
      validators: zod4Client(boothSchema),
      resetForm: false,
      onUpdate: ({ form }) => this.send(form),
    });
  }

  async load(): Promise<void> {
    this.status = 'loading';
    try {
      this.exhibition = (await call(api.booth[':token'].$get({ param: { token: this.token } }))).booth;
      this.status = 'ready';
    } catch (err) {
      this.status = err instanceof ApiError && err.code === 'booth.not_found' ? 'missing' : 'failed';
    }
  }

  /** Remembers the typing in this tab, so a reload or a failed send loses nothing. */
  keep(): void {
    try {
      globalThis.sessionStorage?.setItem(draftKey(this.token), JSON.stringify(get(this.form.form)));
    } catch {
      // Private mode: the draft stays in memory only.
    }
  }

  private async send(form: SuperValidated<BoothFields>): Promise<void> {
    this.failure = null;
    if (!form.valid) return;
    this.keep();
    try {
      await call(api.booth[':token'].leads.$post({ param: { token: this.token }, json: boothPayload(form.data) }));
      this.status = 'sent';
      // superforms applies the submitted form after onUpdate: blank it for the next visitor.
      form.data = blankBooth();
      globalThis.sessionStorage?.removeItem(draftKey(this.token));
    } catch (err) {
      const fields = err instanceof ApiError && err.code === 'request.invalid' ? Object.entries(err.fields) : [];
      for (const [field, codes] of fields) if (field in form.data) setError(form, field as keyof BoothFields, codes);
      if (fields.length === 0) this.failure = describeError(err);
    }
  }

  /** The next visitor at the same phone (the booth's own tablet). */
  again(): void {
    this.status = 'ready';
  }
}
