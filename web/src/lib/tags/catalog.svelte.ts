import { api, call } from '#lib/api/client.js';
import type { CustomFieldView, TagGroupView } from '#lib/api/types.js';
import { handleError } from '#lib/utils/handle-error.js';

/** The admin-defined tag groups and custom fields, as pickers, filters and lead pages show them. */
export class TagCatalog {
  groups = $state.raw<TagGroupView[]>([]);
  fields = $state.raw<CustomFieldView[]>([]);
  loaded = $state(false);

  /** Fields a lead form asks for (archived ones keep their values but leave the form). */
  get liveFields(): CustomFieldView[] {
    return this.fields.filter((f) => f.archivedAt === null);
  }

  /** Fields the lists can filter by with a pick from their options. */
  get choiceFields(): CustomFieldView[] {
    return this.liveFields.filter((f) => f.type === 'select' || f.type === 'multiselect');
  }

  /** Fields the lists can filter by a range. */
  get rangeFields(): CustomFieldView[] {
    return this.liveFields.filter((f) => f.type === 'number' || f.type === 'date');
  }

  async load(): Promise<void> {
    try {
      const [tags, fields] = await Promise.all([call(api.tags.$get()), call(api['custom-fields'].$get())]);
      this.groups = tags.groups;
      this.fields = fields.items;
    } catch (err) {
      handleError(err);
    } finally {
      this.loaded = true;
    }
  }
}
