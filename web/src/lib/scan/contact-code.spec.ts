import { describe, expect, it } from 'vitest';
import { parseContactCode } from './contact-code.js';

describe('parseContactCode', () => {
  it('reads a vCard 3.0 with a Chinese address', () => {
    const vcard = [
      'BEGIN:VCARD', 'VERSION:3.0', 'N:李;娜;;;', 'ORG:深圳华创电子科技有限公司;采购部', 'TITLE:采购经理',
      'TEL;TYPE=CELL:+86 186 6688 1234', 'TEL;TYPE=WORK,VOICE:+86 755 2668 8899', 'EMAIL;TYPE=INTERNET:LiNa@huachuang-tech.cn',
      'ADR;TYPE=WORK:;;南山区科技园高新南一道 9 号;深圳市;广东省;518057;中国', 'URL:https://www.huachuang-tech.cn', 'END:VCARD',
    ].join('\r\n');
    expect(parseContactCode(vcard)).toEqual({
      contactName: '李娜',
      title: '采购经理',
      company: '深圳华创电子科技有限公司',
      mobiles: ['186 6688 1234'],
      phones: ['0755 2668 8899'],
      email: 'lina@huachuang-tech.cn',
      website: 'https://www.huachuang-tech.cn',
      address: '广东省深圳市南山区科技园高新南一道9号',
      province: '广东',
      city: '深圳',
    });
  });

  it('reads vCard 2.1 bare types and vCard 4.0 tel: URIs with an extension', () => {
    const v21 = parseContactCode('BEGIN:VCARD\nVERSION:2.1\nN:Johnson;Sarah\nTEL;CELL:+8613912345678\nTEL;WORK;VOICE:021-68889999\nEMAIL;INTERNET:s@b.cn\nEND:VCARD');
    expect(v21).toMatchObject({ contactName: 'Sarah Johnson', mobiles: ['139 1234 5678'], phones: ['021 6888 9999'], email: 's@b.cn' });
    const v4 = parseContactCode('BEGIN:VCARD\nVERSION:4.0\nFN:Wang Lei\nTEL;VALUE=uri;TYPE="voice,cell":tel:+86-138-0571-2345\nTEL;VALUE=uri;TYPE=work:tel:+86-571-88886666;ext=801\nEND:VCARD');
    expect(v4).toMatchObject({ contactName: 'Wang Lei', mobiles: ['138 0571 2345'], phones: ['0571 8888 6666 ext. 801'] });
  });

  it('reads a MeCard with escaped separators', () => {
    expect(parseContactCode('MECARD:N:王,磊;ORG:恒力机械\\;杭州;TEL:13805712345;TEL:0571-88886666;EMAIL:wl@hl.cn;ADR:浙江省杭州市余杭区;;')).toMatchObject({
      contactName: '王磊',
      company: '恒力机械;杭州',
      mobiles: ['138 0571 2345'],
      phones: ['0571 8888 6666'],
      email: 'wl@hl.cn',
      province: '浙江',
      city: '杭州',
    });
    expect(parseContactCode('MECARD:N:Johnson,Sarah;;')).toMatchObject({ contactName: 'Sarah Johnson' });
  });

  it('keeps a bare web address as the website and ignores other codes', () => {
    expect(parseContactCode('https://www.brightway.cn')).toMatchObject({ website: 'https://www.brightway.cn', company: '' });
    expect(parseContactCode('WIFI:S:booth;T:WPA;P:secret;;')).toBeNull();
    expect(parseContactCode('BEGIN:VCARD\nbroken')).toBeNull();
  });
});
