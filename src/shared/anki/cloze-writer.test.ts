import { describe, expect, it } from 'vitest';
import { findClozes } from '../cloze';
import { seededRandom } from '../random';
import { ANKI_CLOZE_BREAK, writeAnkiClozes } from './cloze-writer';
import { clozeFilter, parseAnkiClozes, type AnkiClozeNode } from './cloze-parser';
import { stripHtml } from './html-text';

/** A field as a tree of text and deletions (number, hint, children), comparable between parsers. */
type Tree = ({ text: string } | { number: number; hint: string | null; children: Tree })[];

function normalize(tree: Tree): Tree {
  const out: Tree = [];
  for (const node of tree) {
    const last = out[out.length - 1];
    if ('text' in node) {
      if (node.text === '') continue;
      if (last && 'text' in last) last.text += node.text;
      else out.push({ text: node.text });
    } else {
      out.push({ number: node.number, hint: node.hint, children: normalize(node.children) });
    }
  }
  return out;
}

/** What ProofDeck means: its own parser (src/shared/cloze.ts), applied inside each deletion too. */
function proofdeckTree(text: string): Tree {
  const tree: Tree = [];
  let pos = 0;
  for (const deletion of findClozes(text)) {
    tree.push({ text: text.slice(pos, deletion.start) });
    tree.push({ number: deletion.number, hint: deletion.hint, children: proofdeckTree(deletion.content) });
    pos = deletion.end;
  }
  tree.push({ text: text.slice(pos) });
  return normalize(tree);
}

/** What Anki reads: the port of rslib/src/cloze.rs, with the invisible breaks taken out of the text. */
function ankiTree(nodes: AnkiClozeNode[]): Tree {
  const visible = (text: string) => text.split(ANKI_CLOZE_BREAK).join('');
  return normalize(
    nodes.map((node) => {
      if (node.kind === 'text') return { text: visible(node.text) };
      // A multi-card deletion ({{c1,2::) has no ProofDeck equivalent; the writer never produces one.
      expect(node.cloze.ordinals).toHaveLength(1);
      return { number: node.cloze.ordinals[0], hint: node.cloze.hint === null ? null : visible(node.cloze.hint), children: ankiTree(node.cloze.nodes) };
    }),
  );
}

const readByAnki = (text: string) => ankiTree(parseAnkiClozes(writeAnkiClozes(text)));

describe('writeAnkiClozes: Anki reads each deletion as ProofDeck meant it', () => {
  const cases: [string, string][] = [
    ['the README example, braces of TeX closing early', '<p>{{c1::\\(\\frac{1}{x^{2}}\\)}}</p>'],
    ['a hint after math', '{{c2::\\(\\frac{1}{x^{2}}\\)::a fraction}} and {{c1::plain}}'],
    ['display math ending in braces', '{{c1::\\[\\sqrt{\\frac{a}{b}}\\]}}'],
    ['a deletion ending in a brace', '{{c1::{a}}}'],
    ['`::` inside braces', '{{c1::\\(\\{a::b\\}\\) {x::y}}}'],
    ['`}}` in code', '{{c1::<code>{{name}}</code>}} renders the name'],
    ['a hint ending in a brace', '{{c1::x::{a}}}'],
    ['nested deletions', '{{c1::a {{c2::b}} c}} and {{c3::{{c4::d}}}}'],
    ['a deletion inside a formula', '\\(E = {{c1::mc^2}}\\)'],
    ['the same number twice', '{{c1::a}} and {{c1::b::hint}}'],
    ['an opening ProofDeck does not read (multi-card)', 'literal {{c1,2::x}} and {{c1::y}}'],
    ['an unclosed opening', 'type {{c1:: to start, then {{c2::real}}'],
    ['number 0 and four digits', '{{c0::zero}} {{c1234::big}} {{c3::three}}'],
    ['an escaped brace', '{{c1::a\\}}}'],
  ];

  it.each(cases)('%s', (_, text) => {
    const meant = proofdeckTree(text);
    expect(readByAnki(text)).toEqual(meant);
  });

  it('is needed: without it Anki reads the README example differently', () => {
    const text = '{{c1::\\(\\frac{1}{x^{2}}\\)}}';
    expect(ankiTree(parseAnkiClozes(text))).not.toEqual(proofdeckTree(text));
    expect(writeAnkiClozes(text)).toBe('{{c1::\\(\\frac{1}{x^{2}<!-- -->}\\)}}');
  });

  it('changes nothing Anki shows: the formula reaches MathJax whole, on both sides', () => {
    const written = writeAnkiClozes('<p>{{c1::\\(\\frac{1}{x^{2}}\\)::fraction}} and {{c2::std::vector}}</p>');
    expect(stripHtml(clozeFilter(written, 1, true))).toBe('[fraction] and std');
    expect(clozeFilter(written, 1, false)).toContain('\\(\\frac{1}{x^{2}}\\)');
    expect(stripHtml(clozeFilter(written, 2, true))).toBe('\\(\\frac{1}{x^{2}}\\) and [vector]');
  });

  it('leaves text without deletions as it is', () => {
    for (const text of ['', 'plain', 'a }} b :: c', '$\\frac{1}{x^{2}}$']) expect(writeAnkiClozes(text)).toBe(text);
  });

  it('holds for 3,000 random fields of braces, colons, numbers and backslashes', () => {
    const random = seededRandom(12);
    const alphabet = ['{{c1::', '{{c2::', '{{c', '{', '{', '}', '}', '}}', ':', '::', 'c', '1', ',', 'a', ' ', '\\', '\\(', '\\)', '$'];
    for (let n = 0; n < 3000; n++) {
      let text = '';
      const length = 1 + Math.floor(random() * 24);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
      const meant = proofdeckTree(text);
      const read = readByAnki(text);
      if (JSON.stringify(read) !== JSON.stringify(meant)) expect({ text, read }).toEqual({ text, read: meant });
    }
  });
});
