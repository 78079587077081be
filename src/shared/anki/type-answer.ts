import { encodeMinimal, stripHtml } from './html-text';
import { opcodes } from './sequence-matcher';

/**
 * Anki's comparison of a typed answer with the expected one (rslib/src/typeanswer.rs
 * `compare_answer`), which the reviewer shows on the answer side of a `{{type:Field}}` card:
 * the typed text with each run marked `typeGood`, `typeBad` or (a dash per character left out)
 * `typeMissed`, an arrow, then the expected text with what was missed marked `typeMissed`. An
 * exact match shows the answer once, all good; nothing typed shows the expected answer alone.
 * The output is HTML (Anki's markup, text escaped) for the card sanitizer.
 */

export type DiffKind = 'good' | 'bad' | 'missed';

export interface DiffToken {
  kind: DiffKind;
  text: string;
}

const CLASS: Record<DiffKind, string> = { good: 'typeGood', bad: 'typeBad', missed: 'typeMissed' };

/** typeanswer.rs `LINEBREAKS`: runs of newlines, `<br>` and `<div>` tags. */
const LINEBREAKS = /(?:\n|<br\s?\/?>|<\/?div>)+/gi;
/** card_rendering `strip_av_tags`: sound tags and Anki's text-to-speech tags. */
const AV_TAGS = /\[sound:[^\]]+\]|\[anki:tts[^\]]*\][\s\S]*?\[\/anki:tts\]/g;
const MARK = /\p{M}/u;

/** typeanswer.rs `strip_expected`: sound tags out, line breaks to spaces, tags out, entities decoded, trimmed. */
export function stripExpected(expected: string): string {
  return stripHtml(expected.replace(AV_TAGS, '').replace(LINEBREAKS, ' ')).trim();
}

const chars = (text: string): string[] => Array.from(text);

/** `to_tokens`: the matcher runs from what was typed to what was expected. */
export function diffTokens(typed: readonly string[], expected: readonly string[]): { typed: DiffToken[]; expected: DiffToken[] } {
  const typedTokens: DiffToken[] = [];
  const expectedTokens: DiffToken[] = [];
  for (const op of opcodes(typed, expected)) {
    const typedSlice = typed.slice(op.aStart, op.aEnd).join('');
    const expectedSlice = expected.slice(op.bStart, op.bEnd).join('');
    if (op.tag === 'equal') {
      typedTokens.push({ kind: 'good', text: typedSlice });
      expectedTokens.push({ kind: 'good', text: expectedSlice });
    } else if (op.tag === 'delete') typedTokens.push({ kind: 'bad', text: typedSlice });
    else if (op.tag === 'insert') {
      typedTokens.push({ kind: 'missed', text: '-'.repeat(op.bEnd - op.bStart) });
      expectedTokens.push({ kind: 'missed', text: expectedSlice });
    } else {
      typedTokens.push({ kind: 'bad', text: typedSlice });
      expectedTokens.push({ kind: 'missed', text: expectedSlice });
    }
  }
  return { typed: typedTokens, expected: expectedTokens };
}

/** A token that starts with a combining mark gets a no-break space first, so the mark does not join the previous span's letter. */
const isolateLeadingMark = (text: string) => (MARK.test(chars(text)[0] ?? '') ? `\u00a0${text}` : text);

const span = (kind: DiffKind, text: string) => `<span class=${CLASS[kind]}>${encodeMinimal(text)}</span>`;
const code = (html: string) => `<code id=typeans>${html}</code>`;

function renderDiff(typed: readonly string[], expected: readonly string[], expectedOriginal: string, renderExpected: (tokens: DiffToken[]) => string): string {
  if (typed.length === expected.length && typed.every((c, i) => c === expected[i])) return code(span('good', expectedOriginal));
  const tokens = diffTokens(typed, expected);
  const typedHtml = tokens.typed.map((token) => span(token.kind, isolateLeadingMark(token.text))).join('');
  return code(`${typedHtml}<br><span id=typearrow>&darr;</span><br>${renderExpected(tokens.expected)}`);
}

/**
 * `compare_answer(expected, typed, combining)`: `expected` is the field's HTML, `typed` what was
 * typed. With `combining` (Anki's default) both are compared in NFC; without it (`{{type:nc:…}}`)
 * combining marks are left out of the comparison (NFKD) but shown on the expected line.
 */
export function compareAnswer(expected: string, typed: string, combining = true): string {
  const stripped = stripExpected(expected);
  if (typed === '') return code(encodeMinimal(stripped));
  if (combining) {
    const typedChars = chars(typed.normalize('NFC'));
    const expectedChars = chars(stripped.normalize('NFC'));
    return renderDiff(typedChars, expectedChars, expectedChars.join(''), (tokens) => tokens.map((token) => span(token.kind, isolateLeadingMark(token.text))).join(''));
  }
  const typedChars = chars(typed.normalize('NFKD')).filter((c) => !MARK.test(c));
  const expectedChars: string[] = [];
  // Each base character with the marks that follow it, to show the expected text as written.
  const expectedSplit: string[] = [];
  for (const c of chars(stripped.normalize('NFKD'))) {
    if (MARK.test(c)) {
      if (expectedSplit.length) expectedSplit[expectedSplit.length - 1] += c;
    } else {
      expectedChars.push(c);
      expectedSplit.push(c);
    }
  }
  return renderDiff(typedChars, expectedChars, stripped, (tokens) => {
    let index = 0;
    return tokens
      .map((token) => {
        const end = index + chars(token.text).length;
        const text = expectedSplit.slice(index, end).join('');
        index = end;
        return span(token.kind, text);
      })
      .join('');
  });
}
