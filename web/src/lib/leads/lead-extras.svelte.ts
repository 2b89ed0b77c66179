import { ApiError } from '#lib/api/client.js';
import type { CustomFieldView, LeadView } from '#lib/api/types.js';

type FormValue = string | string[];

/** A lead's tags and custom values being edited (new-lead form, lead page), with the API's errors for them. */
export class LeadExtras {
  tagIds = $state<string[]>([]);
  /** Values as the inputs hold them: text, or a multiselect's picked options. */
  custom = $state<Record<string, FormValue>>({});
  /** Errors by `tagIds` or field key. */
  errors = $state<Record<string, string[]>>({});

  /** Starts from a lead's current tags and values. */
  static of(lead: Pick<LeadView, 'tags' | 'custom'>): LeadExtras {
    const extras = new LeadExtras();
    extras.tagIds = lead.tags.map((t) => t.id);
    extras.custom = Object.fromEntries(Object.entries(lead.custom).map(([key, v]) => [key, Array.isArray(v) ? [...v] : String(v)]));
    return extras;
  }

  value(field: CustomFieldView): FormValue {
    return this.custom[field.key] ?? (field.type === 'multiselect' ? [] : '');
  }

  set(field: CustomFieldView, value: FormValue) {
    this.custom = { ...this.custom, [field.key]: value };
    if (this.errors[field.key]) this.errors = Object.fromEntries(Object.entries(this.errors).filter(([k]) => k !== field.key));
  }

  /**
   * The body part for the API: values of the given (live) fields only, '' or [] for an emptied one
   * (the server reads those as "no value"). Numbers and dates go as typed; the server checks them.
   */
  json(fields: CustomFieldView[]): { tagIds: string[]; custom: Record<string, FormValue> } {
    const custom = Object.fromEntries(fields.map((f) => [f.key, typeof this.value(f) === 'string' ? (this.value(f) as string).trim() : this.value(f)]));
    return { tagIds: this.tagIds, custom };
  }

  /** Takes a 422's `tagIds` and `custom.<key>` errors; true when there were any. */
  showErrors(err: unknown): boolean {
    if (!(err instanceof ApiError) || err.code !== 'request.invalid') return false;
    const mine = Object.entries(err.fields)
      .filter(([path]) => path === 'tagIds' || path.startsWith('custom.'))
      .map(([path, codes]) => [path.replace(/^custom\./, ''), codes] as const);
    this.errors = Object.fromEntries(mine);
    return mine.length > 0;
  }
}
