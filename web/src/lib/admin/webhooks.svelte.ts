import { api, call } from '#lib/api/client.js';
import type { InferResponseType } from 'hono/client';
import type { LeadEventType, webhookKinds } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { FormState } from './form-state.svelte.js';

export type WebhookView = InferResponseType<typeof api.webhooks.$get, 200>['items'][number];
export type DeliveryView = InferResponseType<(typeof api.webhooks)[':id']['deliveries']['$get'], 200>['items'][number];

export interface WebhookDraft {
  name: string;
  kind: (typeof webhookKinds)[number];
  url: string;
  secret: string;
  events: LeadEventType[];
  enabled: boolean;
}

export const blankWebhook = (): WebhookDraft => ({ name: '', kind: 'generic', url: '', secret: '', events: ['lead.created', 'lead.assigned', 'lead.recycled'], enabled: true });
export const webhookDraftOf = (w: WebhookView): WebhookDraft => ({ name: w.name, kind: w.kind, url: w.url, secret: '', events: [...w.events] as LeadEventType[], enabled: w.enabled });

/** Admin › Webhooks: the list, the editor, the test button and each webhook's delivery log. */
export class WebhooksAdmin extends FormState {
  items = $state.raw<WebhookView[]>([]);
  loading = $state(true);
  /** The open delivery log: whose, and what it holds. */
  log = $state.raw<{ id: string; items: DeliveryView[] } | null>(null);
  /** A new generic webhook's secret, shown once. */
  newSecret = $state<string | null>(null);

  async load(): Promise<void> {
    try {
      this.items = (await call(api.webhooks.$get())).items;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  save(id: string | null, draft: WebhookDraft): Promise<boolean> {
    // An empty secret: made for a new generic webhook, kept on a change.
    const json = { name: draft.name, kind: draft.kind, url: draft.url.trim(), events: draft.events, enabled: draft.enabled, ...(draft.secret.trim() ? { secret: draft.secret.trim() } : {}) };
    return this.submit(async () => {
      if (id) {
        const { webhook } = await call(api.webhooks[':id'].$put({ param: { id }, json }));
        this.items = this.items.map((w) => (w.id === id ? webhook : w));
      } else {
        const { webhook } = await call(api.webhooks.$post({ json }));
        this.items = [...this.items, webhook];
        this.newSecret = webhook.kind === 'generic' ? webhook.secret : null;
      }
      toasts.success(m.saved_toast());
    });
  }

  async remove(webhook: WebhookView): Promise<void> {
    try {
      await call(api.webhooks[':id'].$delete({ param: { id: webhook.id } }));
      this.items = this.items.filter((w) => w.id !== webhook.id);
      if (this.log?.id === webhook.id) this.log = null;
    } catch (err) {
      handleError(err);
    }
  }

  async test(webhook: WebhookView): Promise<void> {
    try {
      const { delivery } = await call(api.webhooks[':id'].test.$post({ param: { id: webhook.id } }));
      if (delivery.status === 'delivered') toasts.success(m.webhook_test_ok());
      else toasts.error(m.webhook_test_failed({ reason: delivery.response ?? String(delivery.responseStatus ?? '') }));
      await this.openLog(webhook.id);
    } catch (err) {
      handleError(err);
    }
  }

  async openLog(id: string): Promise<void> {
    try {
      this.log = { id, items: (await call(api.webhooks[':id'].deliveries.$get({ param: { id } }))).items };
    } catch (err) {
      handleError(err);
    }
  }
}
