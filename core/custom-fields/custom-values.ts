import { z } from 'zod';
import type { CustomField } from '../../db/schema/index.ts';

/**
 * The one rule for a lead's custom-field values (`leads.custom`), used by the lead form's API,
 * the import and the intake doors. Values are stored by field key: text and a select's option as
 * strings, numbers as numbers, dates as `YYYY-MM-DD`, a multiselect as a string array.
 */
export function customValueSchema(field: Pick<CustomField, 'type' | 'options'>): z.ZodType<string | number | string[]> {
  switch (field.type) {
    case 'text':
      return z.string().trim().min(1, 'required').max(1000);
    case 'number':
      return z.coerce.number({ error: 'invalid_number' }).finite('invalid_number');
    case 'date':
      return z.iso.date('invalid_date');
    case 'select':
      return z.enum(field.options as [string, ...string[]], 'unknown_option');
    case 'multiselect':
      return z
        .array(z.enum(field.options as [string, ...string[]], 'unknown_option'))
        .transform((picked) => [...new Set(picked)]);
  }
}

/** Values for the live (not archived) fields; unknown keys are an error, a missing required field too. */
export function customValuesSchema(fields: Pick<CustomField, 'key' | 'type' | 'options' | 'required' | 'archivedAt'>[]) {
  const live = fields.filter((f) => f.archivedAt === null);
  return z.strictObject(
    Object.fromEntries(
      live.map((f) => {
        const value = customValueSchema(f);
        // '' and [] from a form mean "no value".
        const empty = (v: unknown) => v === '' || v === null || (Array.isArray(v) && v.length === 0);
        // A required field's missing value says `required`, whatever its type would say of undefined.
        const required = z.unknown().refine((v): boolean => v !== undefined, { message: 'required', abort: true }).pipe(value);
        return [f.key, z.preprocess((v) => (empty(v) ? undefined : v), f.required ? required : value.optional())];
      }),
    ),
  );
}

/** A spreadsheet cell (as text) for a custom field: a multiselect's options split on , ， ; ； 、 or |. */
export function customCellValue(field: Pick<CustomField, 'type'>, cell: string): unknown {
  const text = cell.trim();
  if (text === '') return undefined;
  return field.type === 'multiselect' ? text.split(/[,，;；、|]/).map((s) => s.trim()).filter(Boolean) : text;
}

/**
 * Values checked against the fields, or the field errors keyed `custom.<key>` (what a 422
 * `request.invalid` carries in `details.fields`).
 */
export function parseCustomValues(
  fields: Pick<CustomField, 'key' | 'type' | 'options' | 'required' | 'archivedAt'>[],
  input: Record<string, unknown>,
): { ok: true; values: Record<string, string | number | string[]> } | { ok: false; fields: Record<string, string[]> } {
  const result = customValuesSchema(fields).safeParse(input);
  if (result.success) {
    const values = Object.fromEntries(Object.entries(result.data).filter(([, v]) => v !== undefined));
    return { ok: true, values: values as Record<string, string | number | string[]> };
  }
  const errors: Record<string, string[]> = {};
  for (const issue of result.error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [String(issue.path[0] ?? '')];
    const code = issue.code === 'unrecognized_keys' ? 'unknown_field' : /^[a-z_]+$/.test(issue.message) ? issue.message : issue.code;
    for (const key of keys) (errors[`custom.${key}`] ??= []).push(code);
  }
  return { ok: false, fields: errors };
}
