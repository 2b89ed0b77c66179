import { api, call } from '#lib/api/client.js';
import type { InferResponseType } from 'hono/client';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { FormState } from './form-state.svelte.js';

export type TelephonySettings = InferResponseType<(typeof api.telephony)[':provider']['$get'], 200>['settings'];

const generic = { param: { provider: 'generic' as const } };

/** Admin › Telephony: the generic call-centre adapter — on or off, where calls are requested, its signing secret. */
export class TelephonyAdmin extends FormState {
  settings = $state.raw<TelephonySettings | null>(null);
  enabled = $state(false);
  url = $state('');

  #show(settings: TelephonySettings) {
    this.settings = settings;
    this.enabled = settings.enabled;
    this.url = settings.url ?? '';
  }

  async load(): Promise<void> {
    try {
      this.#show((await call(api.telephony[':provider'].$get(generic))).settings);
    } catch (err) {
      handleError(err);
    }
  }

  save(): Promise<boolean> {
    return this.submit(async () => {
      const json = { enabled: this.enabled, url: this.url.trim() || null };
      this.#show((await call(api.telephony[':provider'].$put({ ...generic, json }))).settings);
      toasts.success(m.saved_toast());
    });
  }

  async regenerate(): Promise<void> {
    this.busy = true;
    try {
      this.#show((await call(api.telephony[':provider'].secret.$post(generic))).settings);
      toasts.success(m.telephony_regenerated_toast());
    } catch (err) {
      handleError(err);
    } finally {
      this.busy = false;
    }
  }
}
