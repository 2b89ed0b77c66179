import type { CustomField } from '../../db/schema/index.ts';

/** Lead fields a column can be imported into; a custom field is `custom:<key>`. */
export const leadImportFields = [
  'company',
  'contactName',
  'title',
  'mobile',
  'phone',
  'email',
  'province',
  'city',
  'industry',
  'source',
  'exhibition',
  'intent',
  'expectedAmount',
] as const;
export type LeadImportField = (typeof leadImportFields)[number];
export type ImportTarget = LeadImportField | `custom:${string}`;

/** Column index (as a string, JSON keys are) → target. */
export type ColumnMapping = Record<string, ImportTarget>;

/** Headers people write for each field, Chinese and English, compared after folding (case, spaces, punctuation). */
const synonyms: Record<LeadImportField, string[]> = {
  company: ['公司名称', '公司', '公司名', '企业名称', '企业', '单位名称', '单位', '客户名称', '客户', 'company', 'companyname', 'organization', 'organisation', 'account', 'accountname'],
  contactName: ['联系人', '姓名', '联系人姓名', '客户姓名', '名字', 'contact', 'contactname', 'name', 'fullname', 'contactperson'],
  title: ['职位', '职务', '头衔', '岗位', 'title', 'jobtitle', 'position', 'role'],
  mobile: ['手机', '手机号', '手机号码', '移动电话', '联系手机', 'mobile', 'mobilephone', 'cell', 'cellphone', 'mobileno'],
  phone: ['电话', '座机', '固话', '固定电话', '办公电话', '联系电话', '电话号码', 'phone', 'tel', 'telephone', 'landline', 'officephone', 'phonenumber'],
  email: ['邮箱', '电子邮箱', '电子邮件', '邮件', 'email', 'e-mail', 'mail', 'emailaddress'],
  province: ['省份', '省', '所在省份', '省/直辖市', 'province', 'state', 'region'],
  city: ['城市', '市', '所在城市', '地市', 'city'],
  industry: ['行业', '所属行业', '行业类别', 'industry', 'sector'],
  source: ['来源', '线索来源', '客户来源', '渠道', '来源渠道', 'source', 'leadsource', 'channel'],
  exhibition: ['展会', '展会名称', '来源展会', 'exhibition', 'tradeshow', 'show', 'expo', 'event'],
  intent: ['意向', '意向等级', '客户等级', '意向度', 'intent', 'intentlevel', 'grade', 'rating'],
  expectedAmount: ['预计金额', '预计成交金额', '金额', '预算', 'expectedamount', 'amount', 'budget', 'dealvalue'],
};

export const foldHeader = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');

const byHeader = new Map<string, LeadImportField>();
for (const field of leadImportFields) for (const s of synonyms[field]) byHeader.set(foldHeader(s), field);

/**
 * The mapping the file's headers suggest: a known header (公司名称, Company, 手机, …) or a live
 * custom field's label or key maps to its field; each field is taken once, by its first column.
 */
export function suggestMapping(headers: string[], customFields: Pick<CustomField, 'key' | 'label' | 'archivedAt'>[]): ColumnMapping {
  const custom = new Map<string, ImportTarget>();
  for (const f of customFields.filter((f) => f.archivedAt === null)) {
    custom.set(foldHeader(f.label), `custom:${f.key}`);
    custom.set(foldHeader(f.key), `custom:${f.key}`);
  }
  const mapping: ColumnMapping = {};
  const taken = new Set<ImportTarget>();
  headers.forEach((header, index) => {
    const folded = foldHeader(header);
    if (!folded) return;
    const target = custom.get(folded) ?? byHeader.get(folded);
    if (target && !taken.has(target)) {
      taken.add(target);
      mapping[String(index)] = target;
    }
  });
  return mapping;
}

/** The template's header for each field, in both languages (the template download and its round trip). */
export const templateHeaders: Record<'zh-CN' | 'en', Record<LeadImportField, string>> = {
  'zh-CN': {
    company: '公司名称', contactName: '联系人', title: '职位', mobile: '手机', phone: '电话', email: '邮箱',
    province: '省份', city: '城市', industry: '行业', source: '来源', exhibition: '展会', intent: '意向', expectedAmount: '预计金额',
  },
  en: {
    company: 'Company', contactName: 'Contact', title: 'Title', mobile: 'Mobile', phone: 'Phone', email: 'Email',
    province: 'Province', city: 'City', industry: 'Industry', source: 'Source', exhibition: 'Exhibition', intent: 'Intent', expectedAmount: 'Expected amount',
  },
};

/** An example row for the template. */
export const templateExample: Record<'zh-CN' | 'en', Record<LeadImportField, string>> = {
  'zh-CN': {
    company: '山东华信机械有限公司', contactName: '王建国', title: '采购经理', mobile: '138 0531 2288', phone: '（0531）8888-6666 转 123',
    email: 'wangjg@huaxin-jx.com', province: '山东省', city: '济南市', industry: '机械设备', source: '展会', exhibition: '', intent: 'A', expectedAmount: '200000',
  },
  en: {
    company: 'Shandong Huaxin Machinery Co., Ltd.', contactName: 'Wang Jianguo', title: 'Purchasing manager', mobile: '+86 138 0531 2288', phone: '+86 531 8888 6666 ext. 123',
    email: 'wangjg@huaxin-jx.com', province: 'Shandong', city: 'Jinan', industry: 'Machinery', source: 'exhibition', exhibition: '', intent: 'A', expectedAmount: '200000',
  },
};
