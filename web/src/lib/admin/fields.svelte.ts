import { api, call } from '#lib/api/client.js';
import type { CustomFieldType, CustomFieldView } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { FormState } from './form-state.svelte.js';

export interface FieldDraft {
  label: string;
  key: string;
  type: CustomFieldType;
  /** One option per line. */
  options: string;
  required: boolean;
}

export const blankField = (): FieldDraft => ({ label: '', key: '', type: 'text', options: '', required: false });
export const draftOfField = (f: CustomFieldView): FieldDraft => ({ label: f.label, key: f.key, type: f.type, options: f.options.join('\n'), required: f.required });
export const isChoice = (type: CustomFieldType) => type === 'select' || type === 'multiselect';

const optionList = (text: string) =>
  text
    .split(/\n/)
    .map((o) => o.trim())
    .filter(Boolean);

/** Admin › Custom fields. */
export class FieldsAdmin extends FormState {
  items = $state.raw<CustomFieldView[]>([]);
  loading = $state(true);

  async load() {
    try {
      this.items = (await call(api['custom-fields'].$get())).items;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  /** Creates (no id) or changes a field (its key and type stay); true when saved. */
  save(id: string | null, draft: FieldDraft): Promise<boolean> {
    const options = isChoice(draft.type) ? optionList(draft.options) : undefined;
    return this.submit(async () => {
      if (id) {
        await call(api['custom-fields'][':id'].$patch({ param: { id }, json: { label: draft.label.trim(), required: draft.required, ...(options ? { options } : {}) } }));
      } else {
        const key = draft.key.trim();
        await call(api['custom-fields'].$post({ json: { label: draft.label.trim(), type: draft.type, required: draft.required, options: options ?? [], ...(key ? { key } : {}) } }));
      }
      toasts.success(m.saved_toast());
      await this.load();
    });
  }

  setArchived(id: string, archived: boolean): Promise<boolean> {
    return this.submit(async () => {
      await call(api['custom-fields'][':id'].$patch({ param: { id }, json: { archived } }));
      await this.load();
    });
  }

  /** Deletes a field; one with values is archived instead (and says so). */
  remove(id: string): Promise<boolean> {
    return this.submit(async () => {
      const { deleted } = await call(api['custom-fields'][':id'].$delete({ param: { id } }));
      toasts.success(deleted ? m.tags_deleted_toast() : m.fields_archived_toast());
      await this.load();
    });
  }
}
