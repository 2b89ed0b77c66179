import { api, call } from '#lib/api/client.js';
import type { InferResponseType } from 'hono/client';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { FormState } from './form-state.svelte.js';

export type ApiKeyView = InferResponseType<(typeof api)['api-keys']['$get'], 200>['items'][number];

/** Admin › API keys: create (the secret shown once), list, revoke. */
export class ApiKeysAdmin extends FormState {
  items = $state.raw<ApiKeyView[]>([]);
  loading = $state(true);
  /** The secret of the key just created: shown until dismissed, never again. */
  secret = $state<{ name: string; value: string } | null>(null);

  async load() {
    try {
      this.items = (await call(api['api-keys'].$get())).items;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  create(name: string): Promise<boolean> {
    return this.submit(async () => {
      const { apiKey, secret } = await call(api['api-keys'].$post({ json: { name: name.trim() } }));
      this.items = [apiKey, ...this.items];
      this.secret = { name: apiKey.name, value: secret };
    });
  }

  async revoke(id: string) {
    try {
      const { apiKey } = await call(api['api-keys'][':id'].revoke.$post({ param: { id } }));
      this.items = this.items.map((k) => (k.id === id ? apiKey : k));
      toasts.success(m.apikeys_revoked_toast({ name: apiKey.name }));
    } catch (err) {
      handleError(err);
    }
  }

  async copySecret() {
    if (!this.secret) return;
    try {
      await navigator.clipboard.writeText(this.secret.value);
      toasts.success(m.apikeys_copied());
    } catch {
      toasts.error(m.booth_qr_copy_failed());
    }
  }
}
