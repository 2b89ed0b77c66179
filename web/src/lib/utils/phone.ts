import { parsePhoneNumberFromString } from 'libphonenumber-js/min';

/**
 * Numbers as people write them (+8613800138000 → 138 0013 8000, +8653188886666 → 0531 8888 6666);
 * masked ones (138****8000) and anything unparseable stay as they are.
 */
export function formatPhone(value: string | null): string {
  if (!value) return '—';
  const parsed = value.startsWith('+') ? parsePhoneNumberFromString(value) : undefined;
  if (!parsed?.isValid()) return value;
  return parsed.countryCallingCode === '86' ? parsed.formatNational() : parsed.formatInternational();
}
