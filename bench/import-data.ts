// Realistic Chinese B2B lead data for bench:import: existing leads, and an import file with
// planted duplicates (in the spellings people really use) and invalid rows.
import { cleanPhone, companyKey } from '../core/dedup/cleaning.ts';

const regions: [province: string, city: string, area: string][] = [
  ['山东省', '济南市', '0531'], ['山东省', '青岛市', '0532'], ['山东省', '烟台市', '0535'], ['山东省', '潍坊市', '0536'],
  ['江苏省', '南京市', '025'], ['江苏省', '苏州市', '0512'], ['江苏省', '无锡市', '0510'], ['浙江省', '杭州市', '0571'],
  ['浙江省', '宁波市', '0574'], ['浙江省', '温州市', '0577'], ['广东省', '广州市', '020'], ['广东省', '深圳市', '0755'],
  ['广东省', '佛山市', '0757'], ['广东省', '东莞市', '0769'], ['河北省', '石家庄市', '0311'], ['河南省', '郑州市', '0371'],
  ['湖北省', '武汉市', '027'], ['四川省', '成都市', '028'], ['福建省', '厦门市', '0592'], ['北京市', '北京市', '010'], ['上海市', '上海市', '021'],
];
// Brand characters that are not place names (a leading place name is dropped from the company key).
const brandChars = '华信恒通宏达鑫瑞博源盛隆泰丰德润嘉禾永康金利伟业天成中联新宇明远创智汇力海诺凯旭晨光科兴安吉佳和顺发诚鼎锐捷众合星辰卓越鸿运汇丰聚宝鹏程弘毅'.split('');
const trades: [word: string, industry: string][] = [
  ['机械', '机械设备'], ['重工', '机械设备'], ['精密', '机械设备'], ['液压', '机械设备'], ['电子', '电子电气'], ['电气', '电子电气'],
  ['光电', '电子电气'], ['化工', '化工'], ['新材料', '化工'], ['塑业', '化工'], ['纺织', '纺织服装'], ['服饰', '纺织服装'],
  ['食品', '食品饮料'], ['包装', '包装印刷'], ['印务', '包装印刷'], ['建材', '建筑建材'], ['钢构', '建筑建材'], ['物流', '物流'],
  ['医疗器械', '医疗'], ['生物', '医疗'], ['汽车配件', '汽车'], ['模具', '机械设备'], ['阀门', '机械设备'], ['泵业', '机械设备'],
  ['环保', '环保'], ['能源', '能源'], ['照明', '电子电气'], ['五金', '五金工具'], ['家具', '家居'], ['陶瓷', '建筑建材'],
];
const forms = ['有限公司', '有限公司', '有限公司', '股份有限公司', '有限责任公司', '集团有限公司'];
const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈'.split('');
const givens = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '建国', '海燕', '志强', '晓东', '春梅', '立新'];
const titles = ['采购经理', '总经理', '技术总监', '采购专员', '厂长', '副总经理', '设备部主管', '销售经理', '董事长', '工程师'];
const mobilePrefixes = ['138', '139', '137', '136', '135', '150', '151', '158', '159', '186', '187', '188', '189', '133', '153', '180'];
const domains = ['163.com', 'qq.com', '126.com', 'sina.com', 'aliyun.com'];

export const importHeaders = ['公司名称', '联系人', '职位', '手机', '电话', '邮箱', '省份', '城市', '行业', '来源'];

export interface GeneratedLead {
  company: string;
  contactName: string;
  title: string;
  mobile: string;
  phone: string | null;
  email: string | null;
  province: string;
  city: string;
  industry: string;
  /** Cleaned as the server stores them (for the seed). */
  mobileE164: string;
  phoneE164: string | null;
}

// A small deterministic PRNG, so every run imports the same file.
function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Generates `count` distinct companies (distinct company keys), each with its own mobile, landline and email. */
export function* generateLeads(count: number, seed = 42): Generator<GeneratedLead> {
  const random = prng(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)]!;
  const keys = new Set<string>();
  let serial = 0;
  for (let produced = 0; produced < count; ) {
    serial++;
    const [province, city, area] = pick(regions);
    const [trade, industry] = pick(trades);
    const brand = pick(brandChars) + pick(brandChars) + (random() < 0.5 ? pick(brandChars) : '');
    const prefix = random() < 0.6 ? city.replace(/市$/, '') : province.replace(/省$|市$/, '');
    const company = `${prefix}${brand}${trade}${pick(forms)}`;
    const key = companyKey(company);
    if (keys.has(key)) continue;
    keys.add(key);
    produced++;
    // Unique numbers: the serial, spread over the number space by an odd multiplier.
    const mobileDigits = `${pick(mobilePrefixes)}${String((serial * 7_919_333) % 100_000_000).padStart(8, '0')}`;
    const localLength = 8;
    const local = `${random() < 0.5 ? 6 : 8}${String((serial * 104_729) % 10 ** (localLength - 1)).padStart(localLength - 1, '0')}`;
    // Some cities' numbers start otherwise: keep only landlines the cleaning accepts.
    const hasPhone = random() < 0.6 && cleanPhone(`${area}-${local}`)?.number === `+86${area.slice(1)}${local}`;
    const hasEmail = random() < 0.75;
    yield {
      company,
      contactName: pick(surnames) + pick(givens),
      title: pick(titles),
      mobile: mobileDigits,
      phone: hasPhone ? `${area}-${local}` : null,
      email: hasEmail ? `u${serial.toString(36)}.${Math.floor(random() * 1000)}@${pick(domains)}` : null,
      province,
      city,
      industry,
      mobileE164: `+86${mobileDigits}`,
      phoneE164: hasPhone ? `+86${area.slice(1)}${local}` : null,
    };
  }
}

const fullWidth = (text: string) => text.replace(/[0-9+\-]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

/** The same mobile the way people write it. */
function mobileSpelling(mobile: string, variant: number): string {
  const [a, b, c] = [mobile.slice(0, 3), mobile.slice(3, 7), mobile.slice(7)];
  switch (variant % 6) {
    case 0: return `+86 ${a} ${b} ${c}`;
    case 1: return `0086-${a}-${b}-${c}`;
    case 2: return fullWidth(mobile);
    case 3: return `${a}-${b}-${c}`;
    case 4: return `(+86)${mobile}`;
    default: return `${a} ${b} ${c}`;
  }
}

/** The same company with or without its legal form or region prefix. */
function companySpelling(company: string, province: string, city: string, variant: number): string {
  const prefix = [city.replace(/市$/, ''), province.replace(/省$|市$/, '')].find((p) => company.startsWith(p)) ?? '';
  const core = company.slice(prefix.length).replace(/(集团有限公司|股份有限公司|有限责任公司|有限公司)$/, '');
  switch (variant % 4) {
    case 0: return `${core}有限公司`;
    case 1: return `${core}（${province.replace(/省$/, '')}）有限公司`;
    case 2: return `${city}${core}公司`;
    default: return `${core}`;
  }
}

export interface ImportPlan {
  rows: string[][];
  /** Spreadsheet row numbers (header = 1) planted as duplicates of existing leads. */
  planted: Set<number>;
  /** Row numbers written invalid. */
  invalid: Set<number>;
}

/**
 * The import file: `newRows` new companies, duplicates of `existing` leads (a share `dupShare`)
 * in varied spellings, invalid rows (a share `invalidShare`), shuffled together.
 */
export function planImport(existing: GeneratedLead[], fresh: Generator<GeneratedLead>, total: number, dupShare = 0.1, invalidShare = 0.03): ImportPlan {
  const random = prng(7);
  const dupCount = Math.round(total * dupShare);
  const invalidCount = Math.round(total * invalidShare);
  const kinds: ('new' | 'dup' | 'invalid')[] = [
    ...Array<'dup'>(dupCount).fill('dup'),
    ...Array<'invalid'>(invalidCount).fill('invalid'),
    ...Array<'new'>(total - dupCount - invalidCount).fill('new'),
  ];
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j]!, kinds[i]!];
  }
  const toRow = (l: GeneratedLead) => [l.company, l.contactName, l.title, l.mobile, l.phone ?? '', l.email ?? '', l.province, l.city, l.industry, '展会'];
  const rows: string[][] = [importHeaders];
  const planted = new Set<number>();
  const invalid = new Set<number>();
  const used = new Set<number>();
  kinds.forEach((kind, i) => {
    const rowNo = i + 2;
    const row = toRow(fresh.next().value as GeneratedLead);
    if (kind === 'dup') {
      let pickIndex = Math.floor(random() * existing.length);
      while (used.has(pickIndex)) pickIndex = (pickIndex + 1) % existing.length;
      used.add(pickIndex);
      const original = existing[pickIndex]!;
      const how = Math.floor(random() * 4);
      // Only the matched key is the original's; the rest of the row is someone else's, so a match can only come from it.
      if (how === 0 || (how === 3 && !original.email) || (how === 2 && !original.phone)) row[3] = mobileSpelling(original.mobile, i);
      else if (how === 1) row[0] = companySpelling(original.company, original.province, original.city, i);
      else if (how === 2) row[4] = `(${original.phone!.replace('-', ')')}`;
      else row[5] = ` ${original.email!.toUpperCase()} `;
      planted.add(rowNo);
    } else if (kind === 'invalid') {
      const how = i % 4;
      if (how === 0) row[0] = '';
      else if (how === 1) row[3] = row[3]!.slice(0, 7);
      else if (how === 2) row[5] = row[5] ? row[5].replace('@', '#') : 'someone@';
      else row[4] = '电话待补';
      invalid.add(rowNo);
    }
    rows.push(row);
  });
  return { rows, planted, invalid };
}
