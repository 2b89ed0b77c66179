import ICAL from 'ical.js';
import { addNumbers, emptyCard, withRegion, type CardFields } from './card-fields.js';

const hasHan = (text: string) => /\p{Script=Han}/u.test(text);
/** "李" + "娜" → 李娜, "Sarah" + "Johnson" → Sarah Johnson. */
const fullName = (given: string, family: string) =>
  hasHan(given + family) ? `${family}${given}` : [given, family].filter(Boolean).join(' ');
/** Chinese addresses read from the province down, others from the street up. */
const joinAddress = (street: string, city: string, region: string, country: string) =>
  hasHan(street + city + region) ? `${region}${city}${street}`.replace(/\s+/gu, '') : [street, city, region, country].filter(Boolean).join(', ');

// vCard 2.1 writes types bare (TEL;CELL;VOICE:…); 3.0 and 4.0, which ical.js reads, write TYPE=CELL.
function vcard21To3(text: string): string {
  return text.replace(/^([A-Za-z-]+)((?:;[^:;\r\n]+)+):/gmu, (_line, name: string, params: string) =>
    `${name}${params.replace(/;([^=;]+)(?=;|$)/gu, ';TYPE=$1')}:`,
  );
}

const str = (value: unknown): string => (Array.isArray(value) ? str(value[0]) : typeof value === 'string' ? value.trim() : '');

function fromVcard(text: string): CardFields | null {
  let component: ICAL.Component;
  try {
    component = new ICAL.Component(ICAL.parse(vcard21To3(text.replace(/\r?\n/gu, '\r\n'))) as unknown[]);
  } catch {
    return null;
  }
  const card = emptyCard();
  const value = (name: string) => component.getFirstPropertyValue(name);
  const n = value('n');
  card.contactName = str(value('fn')) || (Array.isArray(n) ? fullName(str(n[1]), str(n[0])) : '');
  card.company = str(value('org'));
  card.title = str(value('title')) || str(value('role'));
  card.email = str(value('email')).replace(/^mailto:/iu, '').toLowerCase();
  card.website = str(value('url'));
  const seen = new Set<string>();
  for (const tel of component.getAllProperties('tel')) {
    addNumbers(card, str(tel.getFirstValue()).replace(/^tel:/iu, '').replace(/;ext=/iu, ' ext. '), seen);
  }
  const adr = value('adr');
  if (Array.isArray(adr)) card.address = joinAddress(str(adr[2]), str(adr[3]), str(adr[4]), str(adr[6]));
  return withRegion(card);
}

// MeCard: MECARD:N:Doe,John;TEL:…;EMAIL:…;;  with \ escaping ; : , and \.
function fromMecard(text: string): CardFields {
  const card = emptyCard();
  const seen = new Set<string>();
  const body = text.replace(/^MECARD:/iu, '');
  const fields = body.match(/(?:\\.|[^;])+/gu) ?? [];
  for (const field of fields) {
    const colon = field.indexOf(':');
    if (colon < 0) continue;
    const key = field.slice(0, colon).toUpperCase();
    const raw = field.slice(colon + 1);
    const unescape = (v: string) => v.replace(/\\(.)/gu, '$1').trim();
    if (key === 'N') {
      const [family = '', given = ''] = (raw.match(/(?:\\.|[^,])+/gu) ?? []).map(unescape);
      card.contactName = fullName(given, family);
    } else if (key === 'TEL') addNumbers(card, unescape(raw), seen);
    else if (key === 'EMAIL') card.email ||= unescape(raw).toLowerCase();
    else if (key === 'URL') card.website ||= unescape(raw);
    else if (key === 'ADR') card.address ||= unescape(raw);
    else if (key === 'ORG') card.company ||= unescape(raw);
    else if (key === 'TITLE') card.title ||= unescape(raw);
  }
  return withRegion(card);
}

/** A contact read from a QR code's text (vCard 2.1/3.0/4.0, MeCard, or a bare web address); null for anything else. */
export function parseContactCode(text: string): CardFields | null {
  const trimmed = text.trim();
  if (/^BEGIN:VCARD/iu.test(trimmed)) return fromVcard(trimmed);
  if (/^MECARD:/iu.test(trimmed)) return fromMecard(trimmed);
  if (/^https?:\/\/\S+$/iu.test(trimmed)) return { ...emptyCard(), website: trimmed };
  return null;
}
