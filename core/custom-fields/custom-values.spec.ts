import { describe, expect, it } from 'vitest';
import type { CustomField } from '../../db/schema/index.ts';
import { keyFromLabel } from './custom-fields.schemas.ts';
import { customCellValue, parseCustomValues } from './custom-values.ts';

type Field = Pick<CustomField, 'key' | 'type' | 'options' | 'required' | 'archivedAt'>;
const f = (key: string, type: CustomField['type'], more: Partial<Field> = {}): Field => ({ key, type, options: [], required: false, archivedAt: null, ...more });

const fields: Field[] = [
  f('budget', 'number'),
  f('due', 'date'),
  f('grade', 'select', { options: ['A', 'B'] }),
  f('products', 'multiselect', { options: ['laser', 'press'] }),
  f('decider', 'text', { required: true }),
  f('old', 'text', { required: true, archivedAt: new Date() }),
];

describe('custom values', () => {
  it('stores numbers as numbers, dates as YYYY-MM-DD, a multiselect once per option, and drops empty values', () => {
    expect(parseCustomValues(fields, { budget: '120000', due: '2026-12-01', products: ['press', 'laser', 'press'], grade: '', decider: ' 王总 ' })).toEqual({
      ok: true,
      values: { budget: 120000, due: '2026-12-01', products: ['press', 'laser'], decider: '王总' },
    });
  });

  it('names each bad value by custom.<key> with a stable code', () => {
    expect(parseCustomValues(fields, { budget: 'lots', due: '01/12/2026', grade: 'C', products: ['drill'], decider: '王总', nope: 1 })).toEqual({
      ok: false,
      fields: {
        'custom.budget': ['invalid_number'],
        'custom.due': ['invalid_date'],
        'custom.grade': ['unknown_option'],
        'custom.products': ['unknown_option'],
        'custom.nope': ['unknown_field'],
      },
    });
  });

  it('asks for a required live field, blank or missing, but not for an archived one', () => {
    expect(parseCustomValues(fields, {})).toEqual({ ok: false, fields: { 'custom.decider': ['required'] } });
    expect(parseCustomValues(fields, { decider: '   ' })).toEqual({ ok: false, fields: { 'custom.decider': ['required'] } });
    expect(parseCustomValues(fields, { decider: 'x', old: 'y' })).toEqual({ ok: false, fields: { 'custom.old': ['unknown_field'] } });
  });

  it('splits a spreadsheet cell of a multiselect on Chinese and Latin separators', () => {
    expect(customCellValue({ type: 'multiselect' }, '激光切割机，折弯机、 机器人')).toEqual(['激光切割机', '折弯机', '机器人']);
    expect(customCellValue({ type: 'text' }, '  ')).toBeUndefined();
  });

  it('makes a key from a Latin label and nothing from a Chinese one', () => {
    expect(keyFromLabel('Purchase Budget (CNY)')).toBe('purchase_budget_cny');
    expect(keyFromLabel('2026 Plan')).toBe('plan');
    expect(keyFromLabel('采购预算')).toBe('');
  });
});
