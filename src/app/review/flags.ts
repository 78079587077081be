import type { MessageKey } from '../../shared/i18n';

/** Anki's flags by number (1 red … 7 purple), with their names' message keys. */
export const flagNumbers = [1, 2, 3, 4, 5, 6, 7] as const;

/** The message key naming flag `n` (0: no flag). */
export const flagName = (n: number): MessageKey => `flag.${Math.max(0, Math.min(7, n))}` as MessageKey;

/**
 * The flag a key press asks for: Ctrl+1…7 (Cmd on a Mac) as in Anki; null for any other key.
 * Read from `code` as well, so a layout whose digit row needs Shift still works.
 */
export function flagKeyOf(event: KeyboardEvent): number | null {
  if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return null;
  const digit = /^[1-7]$/.test(event.key) ? event.key : /^Digit([1-7])$/.exec(event.code)?.[1];
  return digit ? Number(digit) : null;
}

/** Anki's toggle: the card's own flag again clears it; any other sets it. */
export const nextFlag = (current: number, pressed: number): number => (current === pressed ? 0 : pressed);
