import { findClozes, type ClozeDeletion } from '../cloze';

/**
 * Anki's documented way to keep a character pair from being read as cloze syntax (Anki manual,
 * math.md, "Cloze Conflicts": `\frac{bar}{baz}<!-- -->}` and `std:<!-- -->:variant`). Unlike a
 * space it changes nothing on screen, in text or in math: Anki strips tags inside MathJax after
 * revealing a cloze (cloze.rs `strip_html_inside_mathjax`), MathJax skips comments, and Anki's
 * editor keeps comments when the note is edited there. ProofDeck's importer drops comments, so
 * the field comes back as it left.
 */
export const ANKI_CLOZE_BREAK = '<!-- -->';

/** Anything Anki's tokenizer would take for an opening (cloze.rs `open_cloze`): `{{c`, digits or commas, `::`. */
const ankiOpening = /\{\{c[0-9,]*[0-9][0-9,]*::/g;

/** Top-level text: only an opening ProofDeck does not read as one (`{{c1,2::`, an unclosed `{{c1::`) needs breaking. */
function guardTopLevel(text: string): string {
  return text.replace(ankiOpening, (opening) => `{${ANKI_CLOZE_BREAK}${opening.slice(1)}`);
}

/**
 * Text inside a deletion: a `}}` would close it, a `::` would start its hint (and makes any
 * opening unreadable too). A break goes between each such pair.
 */
function guardInside(text: string): string {
  return text.replace(/\}(?=\})/g, `}${ANKI_CLOZE_BREAK}`).replace(/:(?=:)/g, `:${ANKI_CLOZE_BREAK}`);
}

/** A deletion's text: nested deletions written as deletions, the text between them guarded. */
function writeContent(content: string, hintFollows: boolean): string {
  let out = '';
  let pos = 0;
  let endsInText = true;
  for (const nested of findClozes(content)) {
    out += guardInside(content.slice(pos, nested.start)) + writeDeletion(nested);
    pos = nested.end;
  }
  const tail = content.slice(pos);
  if (tail === '' && pos > 0) endsInText = false;
  out += guardInside(tail);
  // `x}` then the closing `}}` reads as `x` closed by the first two braces; `x:` then `::hint` as `x` with hint `:hint`.
  if (endsInText && (out.endsWith('}') || (hintFollows && out.endsWith(':')))) out += ANKI_CLOZE_BREAK;
  return out;
}

function writeDeletion(deletion: ClozeDeletion): string {
  const hint = deletion.hint === null ? '' : `::${writeHint(deletion.hint)}`;
  return `{{c${deletion.number}::${writeContent(deletion.content, deletion.hint !== null)}${hint}}}`;
}

/** A hint may hold `::` (Anki keeps everything after the first one) but not `}}` or an opening. */
function writeHint(hint: string): string {
  const out = hint.replace(/\}(?=\})/g, `}${ANKI_CLOZE_BREAK}`).replace(ankiOpening, (opening) => `{${ANKI_CLOZE_BREAK}${opening.slice(1)}`);
  return out.endsWith('}') ? out + ANKI_CLOZE_BREAK : out;
}

/**
 * Writes a field's cloze deletions so that Anki's parser reads each one as ProofDeck does:
 * same number, same text, same hint. ProofDeck balances braces (`{{c1::$\frac{1}{x^{2}}$}}` is
 * one deletion); Anki closes a deletion at the first `}}` and starts its hint at the first `::`
 * (rslib/src/cloze.rs). Run it on the field's HTML as exported (after Markdown → HTML, where
 * math is `\(…\)`), since that is the text Anki parses.
 *
 * Nested deletions (`{{c1::a {{c2::b}}}}`) stay nested: Anki shows them as nested clozes.
 */
export function writeAnkiClozes(text: string): string {
  if (!text.includes('{{c')) return text;
  let out = '';
  let pos = 0;
  for (const deletion of findClozes(text)) {
    out += guardTopLevel(text.slice(pos, deletion.start)) + writeDeletion(deletion);
    pos = deletion.end;
  }
  return out + guardTopLevel(text.slice(pos));
}
