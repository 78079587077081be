/** The two UI languages. Kept here (not imported from the contract) so i18n stands alone. */
export type UiLocale = 'ko' | 'en';

/**
 * A message with plural forms, chosen by `Intl.PluralRules` on the `count` parameter.
 * Korean has only `other`; English uses `one` and `other`.
 */
export interface PluralMessage {
  zero?: string;
  one?: string;
  two?: string;
  few?: string;
  many?: string;
  other: string;
}

export type Message = string | PluralMessage;

/** One area's strings: English is the reference; Korean must have exactly the same keys. */
export interface MessageBundle<K extends string> {
  en: Record<K, Message>;
  ko: Record<K, Message>;
}

/**
 * Declares one area's messages, `{ en: {...}, ko: {...} }`. The type checker rejects a Korean
 * table that misses a key of the English one (or adds one), so no string is left untranslated.
 *
 * Keys are flat and start with the area's name (`review.showAnswer`), so areas cannot collide.
 */
export function defineMessages<const E extends Record<string, Message>>(bundle: {
  en: E;
  ko: { [K in keyof E]: Message };
}): MessageBundle<Extract<keyof E, string>> {
  return bundle as MessageBundle<Extract<keyof E, string>>;
}
