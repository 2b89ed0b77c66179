import { z } from 'zod';
import { customFieldTypes } from '../../db/schema/index.ts';

const label = z.string().trim().min(1, 'required').max(50, 'too_big');
const options = z
  .array(z.string().trim().min(1, 'required').max(50, 'too_big'))
  .max(100, 'too_big')
  .refine((list) => new Set(list).size === list.length, 'duplicate_option');

/** A new field; the key is generated from the label when not given, and never changes afterwards. */
export const customFieldInput = z
  .strictObject({
    label,
    key: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,39}$/, 'invalid_key')
      .optional(),
    type: z.enum(customFieldTypes),
    options: options.default([]),
    required: z.boolean().default(false),
    position: z.number().int().min(0).max(10_000).optional(),
  })
  .refine((f) => !isChoice(f.type) || f.options.length > 0, { path: ['options'], message: 'options_required' });
export type CustomFieldInput = z.infer<typeof customFieldInput>;

/** A change to a field: its key and type stay (stored values depend on them). */
export const customFieldPatch = z.strictObject({
  label: label.optional(),
  options: options.optional(),
  required: z.boolean().optional(),
  position: z.number().int().min(0).max(10_000).optional(),
  /** Archive (leaves the forms, keeps the values) or bring back. */
  archived: z.boolean().optional(),
});
export type CustomFieldPatch = z.infer<typeof customFieldPatch>;

export const isChoice = (type: (typeof customFieldTypes)[number]) => type === 'select' || type === 'multiselect';

/**
 * A key from a label: lower-case ASCII words joined by `_`. Labels written only in Chinese give
 * nothing here, and the caller falls back to `field_<n>`.
 */
export function keyFromLabel(text: string): string {
  return text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^[^a-z]+|_+$/g, '')
    .slice(0, 40);
}
