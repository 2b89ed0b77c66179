import { api, ApiError, call } from '#lib/api/client.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';

/** Admin › Settings. */
export class SettingsAdmin {
  holdingLimit = $state(50);
  loading = $state(true);
  busy = $state(false);
  fieldErrors = $state<Record<string, string[]>>({});

  async load() {
    try {
      this.holdingLimit = (await call(api.settings.$get())).settings.holdingLimit;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  async save() {
    this.busy = true;
    this.fieldErrors = {};
    try {
      this.holdingLimit = (await call(api.settings.$put({ json: { holdingLimit: Number(this.holdingLimit) } }))).settings.holdingLimit;
      toasts.success(m.saved_toast());
    } catch (err) {
      if (err instanceof ApiError && err.code === 'request.invalid') this.fieldErrors = err.fields;
      else handleError(err);
    } finally {
      this.busy = false;
    }
  }
}
