import type { Message, MessageBundle, UiLocale } from './define';
import { formatMessage, type MessageParams } from './translate';
import { appMessages } from './app';
import { errorMessages } from './errors';
import { todayMessages } from './today';
import { reviewMessages } from './review';
import { settingsMessages } from './settings';
import { decksMessages } from './decks';
import { deckTreeMessages } from './deck-tree';
import { importLimitMessages } from './import-limits';
import { experimentsMessages } from './experiments';
import { libraryMessages } from './library';
import { undoMessages } from './undo';
import { paletteMessages } from './palette';
import { ankiTemplateMessages } from './anki-template';
import { cardInfoMessages } from './card-info';
import { presetsMessages } from './presets';

export * from './define';
export * from './translate';
export * from './import-errors';

/**
 * Every area's strings. To add an area: write `src/shared/i18n/<area>.ts` exporting
 * `defineMessages({ en: {...}, ko: {...} })` with keys prefixed `<area>.`, import it above and
 * add it to this list (its keys then type-check in `t`).
 */
const bundles = [
  appMessages,
  errorMessages,
  todayMessages,
  reviewMessages,
  settingsMessages,
  decksMessages,
  deckTreeMessages,
  importLimitMessages,
  experimentsMessages,
  libraryMessages,
  undoMessages,
  paletteMessages,
  ankiTemplateMessages,
  cardInfoMessages,
  presetsMessages,
] as const;

type KeysOf<B> = B extends MessageBundle<infer K> ? K : never;
/** Every message key of every area. */
export type MessageKey = KeysOf<(typeof bundles)[number]>;

const tables: Record<UiLocale, Record<string, Message>> = { en: {}, ko: {} };
for (const bundle of bundles) {
  Object.assign(tables.en, bundle.en);
  Object.assign(tables.ko, bundle.ko);
}

/** Translates a key with optional `{name}` parameters (and `count` for plurals). */
export interface Translate {
  (key: MessageKey, params?: MessageParams): string;
  /** For keys built at run time (`errors.${code}`): the key itself when it is unknown. */
  dynamic(key: string, params?: MessageParams): string;
  has(key: string): boolean;
  locale: UiLocale;
}

/** A translator for one locale. Cheap: the tables are merged once at module load. */
export function createTranslator(locale: UiLocale): Translate {
  const table = tables[locale];
  const dynamic = (key: string, params?: MessageParams): string => {
    const message = table[key] ?? tables.en[key];
    return message === undefined ? key : formatMessage(locale, message, params);
  };
  const translate = ((key: MessageKey, params?: MessageParams) => dynamic(key, params)) as Translate;
  translate.dynamic = dynamic;
  translate.has = (key: string) => key in table;
  translate.locale = locale;
  return translate;
}

/** All keys of one locale, for tests that compare areas. */
export function messageKeys(locale: UiLocale): string[] {
  return Object.keys(tables[locale]);
}

/** Anything with a stable error code: AppError, or its wire form ApiFailure. */
interface CodedError {
  code: string;
  message?: string;
  params?: Record<string, string | number>;
}

function isCoded(error: unknown): error is CodedError {
  return typeof error === 'object' && error !== null && typeof (error as CodedError).code === 'string';
}

/**
 * The user-facing text of an error in the translator's language: `errors.<code>` filled with the
 * error's params. Placeholders the error did not fill (`{detail}`, `{reason}`) take its English
 * message, which is better than a hole. Errors without a code read as `errors.internal`.
 */
export function translateError(t: Translate, error: unknown): string {
  if (isCoded(error) && t.has(`errors.${error.code}`)) {
    const fallback = error.message ?? '';
    return t.dynamic(`errors.${error.code}`, { detail: fallback, reason: fallback, method: fallback, ...error.params });
  }
  // fetch() rejects with a TypeError when the host cannot be reached.
  if (error instanceof TypeError && /fetch|network/i.test(error.message)) return t('errors.offline');
  return t('errors.internal');
}
