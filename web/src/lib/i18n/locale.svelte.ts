import { baseLocale, isLocale, locales, overwriteGetLocale, overwriteSetLocale, type Locale } from '#lib/paraglide/runtime.js';

const STORAGE_KEY = 'leadpool.locale';

/** The remembered choice, else the browser's language, else zh-CN. */
export function initialLocale(stored: string | null, languages: readonly string[]): Locale {
  if (stored && isLocale(stored)) return stored;
  for (const tag of languages) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return baseLocale;
}

function readStored(): string | null {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

/**
 * The UI language as rune state: Paraglide's `getLocale()` reads it, so every message
 * re-renders when it changes, without a page reload.
 */
class LocaleState {
  current = $state<Locale>(initialLocale(readStored(), globalThis.navigator?.languages ?? []));

  readonly all = locales;

  set(locale: Locale) {
    this.current = locale;
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, locale);
    } catch {
      // Private mode: the choice lasts for this tab only.
    }
    if (typeof document !== 'undefined') document.documentElement.lang = locale;
  }

  toggle() {
    this.set(this.current === 'zh-CN' ? 'en' : 'zh-CN');
  }
}

export const locale = new LocaleState();

overwriteGetLocale(() => locale.current);
overwriteSetLocale((next) => locale.set(next));
if (typeof document !== 'undefined') document.documentElement.lang = locale.current;
