import { locale } from '#lib/i18n/locale.svelte.js';

/** A coarse clock so "3 小时前" labels stay true without each row running a timer. */
class Clock {
  now = $state(Date.now());
  constructor() {
    if (typeof window !== 'undefined') setInterval(() => (this.now = Date.now()), 30_000);
  }
}

export const clock = new Clock();

const units: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 86_400_000],
  ['month', 30 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

// The organisation's time zone once the session knows it: its day is the one the server counts in.
let organisationTimeZone: string | undefined;

/** Days from now on fall in the organisation's time zone (the browser's until the session sets it). */
export function setOrganisationTimeZone(timeZone: string): void {
  organisationTimeZone = timeZone;
}

/**
 * A day in the organisation's calendar as `YYYY-MM-DD` (a date input's value), `offset` days from today:
 * a browser in another time zone, or a minute past the organisation's midnight, still asks for the
 * organisation's today.
 */
export const isoDay = (offset = 0): string => new Date(Date.now() + offset * 86_400_000).toLocaleDateString('sv', { timeZone: organisationTimeZone });

/** "3 小时前" / "3 hours ago", in the current locale. */

export function timeAgo(iso: string | null, now = clock.now, lang: string = locale.current): string {
  if (!iso) return '';
  const diff = new Date(iso).getTime() - now;
  const rtf = new Intl.RelativeTimeFormat(lang, { numeric: 'auto' });
  for (const [unit, ms] of units) {
    if (Math.abs(diff) >= ms) return rtf.format(Math.round(diff / ms), unit);
  }
  return rtf.format(0, 'second');
}

/** Date and time, short, in the current locale. */
export function dateTime(iso: string | null, lang: string = locale.current): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}
