import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cardFields, emptyCard, mergeCard } from './card-fields.js';

// Tesseract's own output for the card photos in fixtures/ (recorded by running it on them).
const ocr = (name: string) => readFileSync(new URL(`./fixtures/${name}.ocr.txt`, import.meta.url), 'utf8');

describe('cardFields', () => {
  it('reads a Chinese card, closing the gaps tesseract puts between characters', () => {
    expect(cardFields(ocr('card-zh'))).toEqual({
      contactName: '王磊',
      title: '销售总监',
      company: '杭州恒力机械有限公司',
      mobiles: ['138 0571 2345'],
      phones: ['0571 8888 6666 ext. 801'],
      email: 'wanglei@hengli-machinery.com',
      website: 'www.hengli-machinery.com',
      address: '浙江省杭州市余杭区文一西路 1500 号',
      province: '浙江',
      city: '杭州',
    });
  });

  it('reads an English card with two mobiles on one line and a landline extension', () => {
    expect(cardFields(ocr('card-en'))).toEqual({
      contactName: 'Sarah Johnson',
      title: 'Purchasing Manager',
      company: 'Brightway Industrial Co., Ltd.',
      mobiles: ['139 1234 5678', '186 2222 3333'],
      phones: ['021 6888 9999 ext. 123'],
      email: 'sarah.johnson@brightway.cn',
      website: 'www.brightway.cn',
      address: '88 Century Avenue, Pudong, Shanghai',
      // From the landline's area code (021), the address being in English.
      province: '上海',
      city: '上海',
    });
  });

  it('reads a bilingual card: the Chinese company name first, the name apart from its title', () => {
    const card = cardFields(ocr('card-qr'));
    expect(card.company).toBe('深圳华创电子科技有限公司');
    expect(card.contactName).toBe('李娜');
    expect(card.mobiles).toEqual(['186 6688 1234']);
    expect(card.phones).toEqual(['0755 2668 8899']);
    expect(card.email).toBe('lina@huachuang-tech.cn');
  });

  it('understands 转 and 分机 extensions, full-width digits and several mobiles on lines of their own', () => {
    const card = cardFields(['青岛海通重工集团', '张伟', '技术工程师', '手机：１３９ ０５３２ ８８８８', 'Mobile 15866667777', '电话：(0532) 8577 6655 分机 12', '地址：山东省青岛市黄岛区长江中路 88 号'].join('\n'));
    expect(card).toMatchObject({
      company: '青岛海通重工集团',
      contactName: '张伟',
      title: '技术工程师',
      mobiles: ['139 0532 8888', '158 6666 7777'],
      phones: ['0532 8577 6655 ext. 12'],
      province: '山东',
      city: '青岛',
    });
  });

  it('puts back the dots a photo at an angle loses and joins a name tesseract split', () => {
    // Tesseract's reading of card-zh-handheld.jpg (the card at an angle, out of focus) scaled up.
    const card = cardFields(['杭州 恒 力 机 械 有 限 公 司', '王 磊 销售 总 监', '邮箱 : wanglei@hengli-machinerycom', '了 网址: wwwhengl-machinerycom'].join('\n'));
    expect(card).toMatchObject({ company: '杭州恒力机械有限公司', contactName: '王磊', title: '销售总监', email: 'wanglei@hengli-machinery.com', website: 'www.hengl-machinery.com' });
  });

  it('drops the marks a misread name leaves before a Chinese title', () => {
    expect(cardFields('I= 销售 总 监\n手机 : 138 0571 2345')).toMatchObject({ contactName: '', title: '销售总监' });
  });

  it('maps a municipality address to province and city, and finds nothing in noise', () => {
    expect(cardFields('上海市浦东新区世纪大道 100 号')).toMatchObject({ province: '上海', city: '上海' });
    expect(cardFields('~~ \n . \n')).toEqual(emptyCard());
    expect(cardFields('Tel: 0755 2668 8899')).toMatchObject({ province: '广东', city: '深圳' });
    // 0898 is shared by several cities of Hainan: no guess.
    expect(cardFields('Tel: 0898 6535 1234')).toMatchObject({ province: '', city: '' });
  });
});

describe('mergeCard', () => {
  it('takes each field from the QR code when it has one, else from the text, and says where it came from', () => {
    const qr = { ...emptyCard(), contactName: '李娜', title: '采购经理', mobiles: ['186 6688 1234'] };
    const text = { ...emptyCard(), contactName: '图有风', title: '采网经理', company: '深圳华创电子科技有限公司', mobiles: ['186 6688 1234', '139 0000 1111'] };
    const { fields, sources } = mergeCard(qr, text);
    expect(fields).toMatchObject({ contactName: '李娜', title: '采购经理', company: '深圳华创电子科技有限公司', mobiles: ['186 6688 1234'] });
    expect(sources).toEqual({ contactName: 'qr', title: 'qr', mobiles: 'qr', company: 'ocr' });
  });
});
