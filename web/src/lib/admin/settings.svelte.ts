import { api, call } from '#lib/api/client.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { FormState } from './form-state.svelte.js';

/** The time zones the browser knows (the server accepts the same IANA names). */
export const timeZones = ['UTC', ...Intl.supportedValuesOf('timeZone')];

/** Admin › Settings. */
export class SettingsAdmin extends FormState {
  timeZone = $state('Asia/Shanghai');
  loading = $state(true);

  async load() {
    try {
      this.timeZone = (await call(api.settings.$get())).settings.timeZone;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  save(): Promise<boolean> {
    return this.submit(async () => {
      this.timeZone = (await call(api.settings.$put({ json: { timeZone: this.timeZone } }))).settings.timeZone;
      toasts.success(m.saved_toast());
    });
  }
}
