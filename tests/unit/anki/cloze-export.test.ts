// ProofDeck cloze notes as the .apkg exporter writes their HTML, then the cloze writer: Anki's
// parser (the port of cloze.rs) shows on every card what ProofDeck means, and ProofDeck's own
// importer reads the field back as it was.
import { describe, expect, it } from 'vitest';
import { markdownToAnkiHtml } from '../../../electron/services/decks/anki/html';
import { sanitizeImportedHtml } from '../../../electron/services/decks/sanitize';
import { htmlToMarkdown } from '../../../electron/services/decks/html-markdown';
import { clozeNumbers, findClozes } from '../../../src/shared/cloze';
import { ANKI_CLOZE_BREAK, writeAnkiClozes } from '../../../src/shared/anki/cloze-writer';
import { ankiClozeNumbers, clozeFilter } from '../../../src/shared/anki/cloze-parser';
import { stripHtml } from '../../../src/shared/anki/html-text';

const notes = [
  // The README's example, and its like: TeX braces that close a deletion early in Anki.
  '{{c1::$\\frac{1}{x^{2}}$}}',
  'Softmax: {{c1::$\\frac{e^{x_i}}{\\sum_j e^{x_j}}$::the formula}} over {{c2::the last axis}}.',
  'Attention costs {{c1::$O(N^2)$}} time and {{c2::**linear**::memory?}} memory with Flash-Attention.',
  'KV cache per token: {{c1::$2 \\cdot n_{layers} \\cdot d_{model}$}} values; {{c1::$\\sqrt{\\frac{a}{b}}$}} again.',
  '$E = {{c1::mc^2}}$ and {{c2::$\\{x\\}$}}',
  'Use `{{name}}` in {{c1::Jinja templates}}.',
  '{{c1::`dict[str, dict[str, int]]`}} is a nested mapping.',
];

/** What ProofDeck means card n to show, in the exported HTML: deletion n as [hint] or [...], the others as their text. */
function meant(html: string, n: number, question: boolean): string {
  let out = '';
  let pos = 0;
  for (const deletion of findClozes(html)) {
    out += html.slice(pos, deletion.start);
    out += deletion.number === n && question ? `[${deletion.hint ?? '...'}]` : deletion.content;
    pos = deletion.end;
  }
  return stripHtml(out + html.slice(pos));
}

const ankiShows = (written: string, n: number, question: boolean) => stripHtml(clozeFilter(written, n, question).split(ANKI_CLOZE_BREAK).join(''));

describe('cloze notes exported to Anki', () => {
  it.each(notes)('%s', (markdown) => {
    const html = markdownToAnkiHtml(markdown).html;
    const written = writeAnkiClozes(html);
    // Anki makes the cards ProofDeck has…
    expect([...ankiClozeNumbers(written)].sort((a, b) => a - b)).toEqual(clozeNumbers(markdown));
    // …and each shows, question and answer, what ProofDeck means (the TeX whole, for MathJax).
    for (const n of clozeNumbers(markdown)) {
      expect(ankiShows(written, n, true)).toBe(meant(html, n, true));
      expect(ankiShows(written, n, false)).toBe(meant(html, n, false));
    }
    // The field comes back to ProofDeck as it left.
    expect(htmlToMarkdown(sanitizeImportedHtml(written).html)).toBe(markdown);
  });

  it('is needed: the README example, written as before, is a broken card in Anki', () => {
    const html = markdownToAnkiHtml('{{c1::$\\frac{1}{x^{2}}$}}').html;
    expect(ankiShows(html, 1, false)).not.toBe(meant(html, 1, false));
    expect(ankiShows(html, 1, false)).toBe('\\(\\frac{1}{x^{2\\)}}');
  });
});
