import { api, call } from '#lib/api/client.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { FormState } from './form-state.svelte.js';

/** Admin › Settings. */
export class SettingsAdmin extends FormState {
  holdingLimit = $state(50);
  loading = $state(true);

  async load() {
    try {
      this.holdingLimit = (await call(api.settings.$get())).settings.holdingLimit;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  save(): Promise<boolean> {
    return this.submit(async () => {
      this.holdingLimit = (await call(api.settings.$put({ json: { holdingLimit: Number(this.holdingLimit) } }))).settings.holdingLimit;
      toasts.success(m.saved_toast());
    });
  }

}
