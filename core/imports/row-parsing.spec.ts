import { describe, expect, it } from 'vitest';
import { rowParser } from './row-parsing.ts';

const parse = rowParser({
  mapping: { 0: 'company', 1: 'contactName', 2: 'mobile', 3: 'phone', 4: 'email' },
  customFields: [],
  exhibitionsByName: new Map(),
  exhibitionId: null,
});

describe('import row parsing', () => {
  it('cleans a row as the lead form would', () => {
    const row = parse({ rowNo: 2, cells: ['济南重工有限公司', '李娜', '+86 138 0531 2288', '（0531）8888-6666 转 123', ' LI@JNZG.CN '] });
    expect(row).toEqual({ ok: true, candidate: expect.objectContaining({ company: '济南重工有限公司', mobile: '+8613805312288', phone: '+8653188886666', phoneExt: '123', email: 'li@jnzg.cn' }) });
  });
});

describe('custom fields in an import', () => {
  const fields = [
    { key: 'visit_date', type: 'date' as const, options: [], required: false, archivedAt: null },
    { key: 'products', type: 'multiselect' as const, options: ['泵', '阀门', '管件'], required: true, archivedAt: null },
  ];
  const parseCustom = rowParser({ mapping: { 0: 'company', 1: 'custom:visit_date', 2: 'custom:products' }, customFields: fields, exhibitionsByName: new Map(), exhibitionId: null });

  it('reads a date cell saved as its Excel serial and a multiselect written with Chinese separators', () => {
    const row = parseCustom({ rowNo: 2, cells: ['甲公司', '45658', '泵、阀门'] });
    expect(row).toEqual({ ok: true, candidate: expect.objectContaining({ custom: { visit_date: '2025-01-01', products: ['泵', '阀门'] } }) });
  });

  it('rejects an unknown option and a missing required field with their codes', () => {
    expect(parseCustom({ rowNo: 3, cells: ['乙公司', '', '螺丝'] })).toEqual({ ok: false, rejected: { rowNo: 3, errors: { 'custom:products': ['unknown_option'] } } });
    expect(parseCustom({ rowNo: 4, cells: ['丙公司', '2025-13-40', ''] })).toEqual({
      ok: false,
      rejected: { rowNo: 4, errors: { 'custom:visit_date': ['invalid_date'], 'custom:products': [expect.any(String)] } },
    });
  });
});
