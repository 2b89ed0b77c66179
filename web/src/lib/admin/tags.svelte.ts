import { api, call } from '#lib/api/client.js';
import type { TagGroupView } from '#lib/api/types.js';
import { m } from '#lib/paraglide/messages.js';
import { toasts } from '#lib/toast/toasts.svelte.js';
import { handleError } from '#lib/utils/handle-error.js';
import { FormState } from './form-state.svelte.js';

/** Admin › Tags: tag groups and their tags. */
export class TagsAdmin extends FormState {
  groups = $state.raw<TagGroupView[]>([]);
  loading = $state(true);

  async load() {
    try {
      this.groups = (await call(api.tags.$get())).groups;
    } catch (err) {
      handleError(err);
    } finally {
      this.loading = false;
    }
  }

  /** Which input the last change came from (`group`, a group id or a tag id): its field errors show there. */
  active = $state('');

  errorsFor(key: string): string[] | undefined {
    return this.active === key ? Object.values(this.fieldErrors).flat() : undefined;
  }

  /** Runs a change, then reloads the groups (counts and order come from the server); true when done. */
  #change(key: string, change: () => Promise<unknown>): Promise<boolean> {
    this.active = key;
    return this.submit(async () => {
      await change();
      await this.load();
    });
  }

  addGroup(name: string) {
    return this.#change('group', () => call(api.tags.groups.$post({ json: { name: name.trim() } })));
  }

  renameGroup(id: string, name: string) {
    return this.#change(id, () => call(api.tags.groups[':id'].$put({ param: { id }, json: { name: name.trim() } })));
  }

  async deleteGroup(id: string) {
    if (await this.#change(id, () => call(api.tags.groups[':id'].$delete({ param: { id } })))) toasts.success(m.tags_deleted_toast());
  }

  addTag(groupId: string, name: string) {
    return this.#change(groupId, () => call(api.tags.$post({ json: { groupId, name: name.trim() } })));
  }

  renameTag(id: string, name: string) {
    return this.#change(id, () => call(api.tags[':id'].$patch({ param: { id }, json: { name: name.trim() } })));
  }

  async deleteTag(id: string) {
    if (await this.#change(id, () => call(api.tags[':id'].$delete({ param: { id } })))) toasts.success(m.tags_deleted_toast());
  }
}
