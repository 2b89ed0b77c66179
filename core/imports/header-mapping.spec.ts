import { describe, expect, it } from 'vitest';
import { suggestMapping } from './header-mapping.ts';

describe('header recognition', () => {
  it('maps common Chinese and English headers, whatever their spacing, case or width', () => {
    expect(suggestMapping(['公司名称', '联系人', '手机号码', '座机', '电子邮箱', '省份', '城市', '所属行业', '来源', '展会', '职位', '备注'], [])).toEqual({
      0: 'company', 1: 'contactName', 2: 'mobile', 3: 'phone', 4: 'email', 5: 'province', 6: 'city', 7: 'industry', 8: 'source', 9: 'exhibition', 10: 'title',
    });
    expect(suggestMapping(['Company Name', 'E-mail', 'Mobile Phone', 'Ｔｅｌ'], [])).toEqual({ 0: 'company', 1: 'email', 2: 'mobile', 3: 'phone' });
  });

  it('maps a live custom field by its label, and takes each field once', () => {
    const fields = [{ key: 'budget_year', label: '预算年度', archivedAt: null }, { key: 'old', label: '旧字段', archivedAt: new Date() }];
    expect(suggestMapping(['公司', '预算年度', '旧字段', '公司名称'], fields)).toEqual({ 0: 'company', 1: 'custom:budget_year' });
  });
});
