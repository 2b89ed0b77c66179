import { findNumbers, type PhoneNumber } from 'libphonenumber-js/max';
import { regionOf, regionOfLandline } from './region.js';

/** What a business card says, as the lead form wants it ('' or [] when the card does not say). */
export interface CardFields {
  contactName: string;
  title: string;
  company: string;
  /** Numbers as the form accepts them: national format for China ("138 0571 2345"), else international. */
  mobiles: string[];
  /** Landlines, with their extension ("0571 8888 6666 ext. 801"). */
  phones: string[];
  email: string;
  website: string;
  address: string;
  province: string;
  city: string;
}

export const emptyCard = (): CardFields => ({
  contactName: '', title: '', company: '', mobiles: [], phones: [], email: '', website: '', address: '', province: '', city: '',
});

const han = '\\p{Script=Han}';
// Tesseract's chi_sim puts a space between most Chinese characters ("杭州 恒 力 机 械").
const hanGaps = new RegExp(`(?<=[${han}])\\s+(?=[${han}])`, 'gu');
// Labels in front of a value ("手机：", "Tel:", "E:"); tesseract may space a Chinese label out ("地 址 ;").
const labelWords = ['手机', '移动电话', '电话', '座机', '固话', '传真', '邮箱', '电邮', '邮件', '地址', '网址', '网站', '主页', '姓名', '职位'];
const label = new RegExp(
  `^(?:${labelWords.map((w) => [...w].join('\\s*')).join('|')}|mobile|mob|cell|phone|tel|fax|e-?mail|web(?:site)?|url|address|addr|add|[mtefw])\\s*[:：;；.]\\s*`,
  'iu',
);
const emailPattern = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/u;
const websitePattern = /(?:https?:\/\/|www\.)[\w.-]+\.[a-z]{2,}(?:\/[\w./%#?=&-]*)?/iu;
// Small print photographed at an angle loses its dots: "hengli-machinerycom", "wwwhengli-machinerycom".
const dotlessEmail = /([\w.+-]+@[\w-]+?)(com\.cn|com|cn|net|org)$/u;
const dotlessWebsite = /^www[.'`,]?([\w-]+?)\.?(com\.cn|com|cn|net|org)$/iu;

/** The line with a lost dot before a common ending put back, when its email or web address lacks one. */
function restoreDots(line: string): string {
  return line
    .replace(/\S+@\S+/u, (word) => (emailPattern.test(word) ? word : word.replace(dotlessEmail, '$1.$2')))
    .replace(/(?<![\w.])www\S*/iu, (word) => (websitePattern.test(word) ? word : word.replace(dotlessWebsite, 'www.$1.$2')));
}
const companyPattern = /(?:公司|集团|有限|工厂|厂|研究院|研究所|事务所|中心)$|\b(?:co\.?,?\s*ltd|inc|corp|corporation|company|limited|llc|gmbh|group|ltd)\b\.?/iu;
const titlePattern =
  /(?:总经理|副总|总裁|董事长|董事|总监|经理|主管|主任|厂长|总工|工程师|销售|采购|代表|顾问|专员|助理|会计|秘书|经理人|部长|ceo|cto|cfo|coo|president|director|manager|engineer|sales|purchasing|buyer|representative|consultant|officer|head of|vp|vice president|founder|owner|assistant|specialist)/iu;
const addressPattern = /(?:省|市|区|县|镇|路|街|道|号|大厦|楼|室|园)|\b(?:road|rd|street|st|avenue|ave|boulevard|blvd|district|building|bldg|floor|room|suite|park|zone|province|city)\b/iu;
const chineseName = new RegExp(`^[${han}]{2,4}$`, 'u');
const englishName = /^[A-Z][a-z]+(?:[ -][A-Z][a-z]*\.?)?(?: [A-Z][a-z]+)?$/u;
const cnExtension = /\s*(?:转|轉|分机|分機)\s*(\d{1,8})/gu;

interface Line {
  /** Full-width forms folded, the gaps between Chinese characters closed, the label dropped. */
  text: string;
  /** The words as tesseract spaced them: a name stays one word ("李娜 采 购 经 理") where the gaps are gone. */
  words: string[];
}

function clean(raw: string): Line {
  const spaced = raw.normalize('NFKC').replace(/\s+/gu, ' ').trim();
  const unlabelled = spaced.replace(label, '');
  return { text: unlabelled.replace(hanGaps, ''), words: unlabelled.split(' ') };
}

const singleHan = new RegExp(`^[${han}]$`, 'u');
const shortHan = new RegExp(`^[${han}]{1,2}$`, 'u');

/** A Chinese name leading a line: its first word, or a lone surname and the word after it ("王 磊"). */
function nameBefore([first = '', second = '']: string[]): string | undefined {
  if (chineseName.test(first)) return first;
  if (singleHan.test(first) && shortHan.test(second) && !titlePattern.test(second)) return first + second;
  return undefined;
}

const formatNumber = (n: PhoneNumber) => (n.country === 'CN' ? n.formatNational() : n.formatInternational());

/** Sorts the phone numbers a text holds into the card's mobiles and landlines (once each); false when it holds none. */
export function addNumbers(card: CardFields, text: string, seen = new Set<string>()): boolean {
  let found = false;
  for (const { number } of findNumbers(text.replace(cnExtension, ' ext. $1'), { defaultCountry: 'CN', v2: true })) {
    found = true;
    if (seen.has(number.number)) continue;
    seen.add(number.number);
    (number.getType() === 'MOBILE' ? card.mobiles : card.phones).push(formatNumber(number));
  }
  return found;
}

export type CardField = keyof CardFields;
export type FieldSource = 'qr' | 'ocr';

/** The QR code's contact wins over the recognised text, field by field. */
export function mergeCard(qr: CardFields | null, ocr: CardFields | null): { fields: CardFields; sources: Partial<Record<CardField, FieldSource>> } {
  const fields = emptyCard();
  const sources: Partial<Record<CardField, FieldSource>> = {};
  for (const key of Object.keys(fields) as CardField[]) {
    for (const [source, card] of [['qr', qr], ['ocr', ocr]] as const) {
      const value = card?.[key];
      if (!value || value.length === 0) continue;
      (fields as unknown as Record<CardField, unknown>)[key] = value;
      sources[key] = source;
      break;
    }
  }
  return { fields, sources };
}

/** The lead's fields read from a card's recognised text (lines as tesseract gives them). */
export function cardFields(text: string): CardFields {
  const card = emptyCard();
  const lines = text.split(/\r?\n/u).map(clean).filter((l) => l.text.length > 1);
  const seen = new Set<string>();
  const rest: Line[] = [];

  for (const entry of lines) {
    const line = restoreDots(entry.text);
    let used = addNumbers(card, line, seen);
    const email = emailPattern.exec(line)?.[0];
    if (email) {
      card.email ||= email.toLowerCase();
      used = true;
    }
    const website = websitePattern.exec(line.replace(emailPattern, ''))?.[0];
    if (website) {
      card.website ||= website.replace(/[.,;]+$/u, '');
      used = true;
    }
    if (!used) rest.push(entry);
  }

  for (const { text: line, words } of rest) {
    if (!card.company && companyPattern.test(line)) {
      card.company = line;
      continue;
    }
    if (companyPattern.test(line)) continue; // the company's name in a second language
    const title = titlePattern.exec(line);
    if (title) {
      // "王磊 销售总监": the name before the title, on the same line (tesseract may split it: "王 磊 销售 总 监").
      const name = nameBefore(words);
      if (!card.contactName && name && title.index >= name.length && line.length > name.length) {
        card.contactName = name;
        card.title ||= line.slice(name.length).trim();
      } else {
        // A big name line misread as a few Latin marks ("I= 销售总监") leaves them before the title.
        card.title ||= line.replace(/^[\p{Script=Latin}\p{P}\p{S}]{1,3} (?=\p{Script=Han})/u, '');
      }
      continue;
    }
    if (!card.address && addressPattern.test(line) && (/\d/u.test(line) || line.length >= 8)) {
      card.address = line;
      continue;
    }
    if (!card.contactName && (chineseName.test(line) || englishName.test(line))) card.contactName = line;
  }

  return withRegion(card);
}

/** Province and city from the address, else from the first landline's area code. */
export function withRegion(card: CardFields): CardFields {
  const region = regionOf(card.address);
  return { ...card, ...(region.province || !card.phones[0] ? region : regionOfLandline(card.phones[0])) };
}

/** What the scan panel shows for correction: the lead form's fields plus the two it has no place for. */
export interface CardDraft {
  company: string;
  contactName: string;
  title: string;
  mobile: string;
  phone: string;
  email: string;
  province: string;
  city: string;
  address: string;
  website: string;
}
export type DraftField = keyof CardDraft;
export const draftFields: DraftField[] = ['company', 'contactName', 'title', 'mobile', 'phone', 'email', 'province', 'city', 'address', 'website'];
/** Fields the lead form has (address and website stay on the panel for the rep to copy). */
export const leadFormFields = ['company', 'contactName', 'title', 'mobile', 'phone', 'email', 'province', 'city'] as const;
export type LeadFormPart = Partial<Pick<CardDraft, (typeof leadFormFields)[number]>>;

/**
 * The card as one lead: the first mobile, the first landline (or, with none, the second mobile);
 * the numbers left over are listed for the rep.
 */
export function draftFromCard(fields: CardFields, sources: Partial<Record<CardField, FieldSource>>) {
  const mobile = fields.mobiles[0] ?? '';
  const phone = fields.phones[0] ?? fields.mobiles[1] ?? '';
  const draft: CardDraft = {
    company: fields.company, contactName: fields.contactName, title: fields.title, mobile, phone, email: fields.email,
    province: fields.province, city: fields.city, address: fields.address, website: fields.website,
  };
  const draftSources: Partial<Record<DraftField, FieldSource>> = {};
  for (const key of draftFields) {
    const from: CardField = key === 'mobile' ? 'mobiles' : key === 'phone' ? (fields.phones[0] ? 'phones' : 'mobiles') : key;
    if (draft[key] && sources[from]) draftSources[key] = sources[from];
  }
  const otherNumbers = [...fields.mobiles, ...fields.phones].filter((n) => n !== mobile && n !== phone);
  return { draft, sources: draftSources, otherNumbers };
}

/** The values to put in the lead form: the filled fields only, so the rep's own entries survive. */
export function leadFormPart(draft: CardDraft): LeadFormPart {
  return Object.fromEntries(leadFormFields.filter((key) => draft[key].trim() !== '').map((key) => [key, draft[key].trim()]));
}
