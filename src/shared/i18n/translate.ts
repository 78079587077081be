import type { Message, UiLocale } from './define';

export type MessageParams = Record<string, string | number>;

/**
 * Formats one message: picks the plural form for `params.count` with `Intl.PluralRules`, then
 * fills `{name}` placeholders (numbers formatted for the locale). A placeholder without a value
 * is left as it is, so a missing parameter is visible rather than silently empty.
 */
export function formatMessage(locale: UiLocale, message: Message, params?: MessageParams): string {
  let template: string;
  if (typeof message === 'string') {
    template = message;
  } else {
    const count = typeof params?.count === 'number' ? params.count : Number(params?.count ?? 0);
    const form = pluralRules(locale).select(count);
    template = message[form] ?? message.other;
  }
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    if (value === undefined) return whole;
    return typeof value === 'number' ? formatNumber(locale, value) : value;
  });
}

const pluralCache = new Map<UiLocale, Intl.PluralRules>();
function pluralRules(locale: UiLocale): Intl.PluralRules {
  let rules = pluralCache.get(locale);
  if (!rules) pluralCache.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules;
}

/**
 * A number for the locale. Integers (counts, nearly every number in a message) are grouped here
 * directly, as both UI languages write them (1,234; the i18n test checks this against Intl): the
 * first Intl.NumberFormat costs about 0.1 s in Chromium while its data loads, and the first screen
 * would wait for it.
 */
function formatNumber(locale: UiLocale, value: number): string {
  if (!Number.isSafeInteger(value)) return numberFormat(locale).format(value);
  const digits = String(Math.abs(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return value < 0 ? `-${digits}` : digits;
}

const numberCache = new Map<UiLocale, Intl.NumberFormat>();
function numberFormat(locale: UiLocale): Intl.NumberFormat {
  let format = numberCache.get(locale);
  if (!format) numberCache.set(locale, (format = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 })));
  return format;
}

/**
 * The UI language for a stored preference (null: follow the system) and the system's language
 * list (`navigator.languages`, or the OS locale in Electron). Korean when the first language the
 * system names is Korean, English otherwise.
 */
export function resolveLocale(preference: UiLocale | null | undefined, systemLanguages: readonly string[]): UiLocale {
  if (preference === 'ko' || preference === 'en') return preference;
  const first = systemLanguages.find((language) => language.trim() !== '') ?? 'en';
  return first.toLowerCase().startsWith('ko') ? 'ko' : 'en';
}
