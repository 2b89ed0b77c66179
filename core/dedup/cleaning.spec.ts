import { describe, expect, it } from 'vitest';
import { cleanEmail, cleanPhone, companyKey } from './cleaning.ts';

describe('cleanPhone', () => {
  it.each([
    ['+86 138-0013-8000'],
    ['0086 13800138000'],
    ['138 0013 8000'],
    ['１３８００１３８０００'],
    ['+86（138）0013 8000'],
  ])('understands the mobile %s', (raw) => {
    expect(cleanPhone(raw)).toEqual({ number: '+8613800138000', kind: 'mobile', extension: null });
  });

  it.each([
    ['（0531）8888-6666 转 123', '123'],
    ['0531-88886666 分机 8', '8'],
    ['0531 8888 6666 ext. 45', '45'],
    ['(0531)8888-6666', null],
    ['０５３１－８８８８６６６６', null],
  ])('keeps a landline and its extension apart: %s', (raw, extension) => {
    expect(cleanPhone(raw)).toEqual({ number: '+8653188886666', kind: 'landline', extension });
  });

  it('reads international numbers too', () => {
    expect(cleanPhone('+1 650 253 0000')).toMatchObject({ number: '+16502530000', kind: 'mobile' });
    expect(cleanPhone('+44 20 7946 0958')).toMatchObject({ number: '+442079460958', kind: 'landline' });
  });

  it.each([['8888-6666'], ['12345'], ['138001380001'], ['电话待补'], ['']])('refuses %j', (raw) => {
    expect(cleanPhone(raw)).toBeNull();
  });
});

describe('cleanEmail', () => {
  it('trims, folds full-width and lower-cases', () => {
    expect(cleanEmail('  Li.Wei@HuaXin-Machinery.CN ')).toBe('li.wei@huaxin-machinery.cn');
    expect(cleanEmail('ｓａｌｅｓ＠ｅｘａｍｐｌｅ．ｃｏｍ')).toBe('sales@example.com');
  });
});

describe('companyKey', () => {
  it('gives every spelling of one company the same key', () => {
    const spellings = [
      '山东华信机械有限公司',
      '华信机械（山东）有限公司',
      '华信机械(山东)有限公司',
      '山东省华信机械有限责任公司',
      '华信机械公司',
      ' 华信 机械 股份有限公司 ',
      '华信机械集团',
      '济南华信机械有限公司',
      '山东济南华信机械有限公司',
    ];
    for (const name of spellings) expect(companyKey(name), name).toBe('华信机械');
  });

  it('folds full-width letters, case, punctuation and English legal forms', () => {
    expect(companyKey('Huaxin Machinery Co., Ltd.')).toBe('huaxinmachinery');
    expect(companyKey('ＨＵＡＸＩＮ　ＭＡＣＨＩＮＥＲＹ ＣＯ．，ＬＴＤ')).toBe('huaxinmachinery');
    expect(companyKey('Huaxin Machinery Inc.')).toBe('huaxinmachinery');
    expect(companyKey('Huaxin Machinery Company Limited')).toBe('huaxinmachinery');
  });

  it('keeps what tells companies apart', () => {
    expect(companyKey('华信精密机械有限公司')).not.toBe(companyKey('华信机械有限公司'));
    expect(companyKey('青岛海尔股份有限公司')).toBe('海尔');
    // A bracket that is not a region or a legal form is part of the name.
    expect(companyKey('华信(国际)机械有限公司')).toBe('华信国际机械');
    // A region goes only when at least two characters are left.
    expect(companyKey('上海电气')).toBe('电气');
    expect(companyKey('大连港')).toBe('大连港');
  });

  it('never returns an empty key', () => {
    for (const name of ['有限公司', '山东', '(青岛)', '集团公司']) expect(companyKey(name).length, name).toBeGreaterThan(0);
  });
});
