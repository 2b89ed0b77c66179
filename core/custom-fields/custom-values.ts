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
      return z.array(z.enum(field.options as [string, ...string[]], 'unknown_option')).max(field.options.length);
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
        return [f.key, z.preprocess((v) => (empty(v) ? undefined : v), f.required ? value : value.optional())];
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
