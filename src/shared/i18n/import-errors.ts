import type { Translate } from './index';
import { translateError } from './index';

interface CodedError {
  code?: string;
  message?: string;
  params?: Record<string, string | number>;
}

/**
 * An import error in the user's language: `errors.<code>` with its detail replaced by the
 * translated reason (`decks.reason.<reason>`), so a Korean user reads Korean end to end.
 */
export function importErrorText(t: Translate, error: unknown): string {
  const coded = (typeof error === 'object' && error !== null ? error : {}) as CodedError;
  const reason = coded.params?.reason;
  if (typeof coded.code === 'string' && coded.code.startsWith('import-') && typeof reason === 'string' && t.has(`decks.reason.${reason}`)) {
    const detail = t.dynamic(`decks.reason.${reason}`, { ...coded.params });
    return t.dynamic('errors.import-invalid', { detail });
  }
  return translateError(t, error);
}
