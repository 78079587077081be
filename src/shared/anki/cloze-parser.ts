import { encodeAttribute, stripHtmlPreservingEntities } from './html-text';

/**
 * Anki's cloze parser, ported from rslib/src/cloze.rs (ankitects/anki, 25.09): how Anki reads
 * `{{c1::text::hint}}` in a field and what a cloze card shows. ProofDeck's own parser
 * (src/shared/cloze.ts) balances braces; Anki's does not:
 *
 * - an opening is `{{c` + digits and commas (`{{c1,2::` asks on cards 1 and 2) + `::`;
 * - a deletion closes at the first `}}` after it, whatever braces come before (TeX such as
 *   `\frac{1}{x^{2}}` closes it early);
 * - deletions nest (`{{c1::a {{c2::b}}}}`), at most 10 deep;
 * - the hint is what follows the first `::` of a text run inside the deletion;
 * - a deletion that never closes is dropped with its content.
 *
 * The export writer (cloze-writer.ts) is checked against this port, and the Anki template
 * renderer uses it for the `cloze:` filter, so both agree with Anki by construction.
 */

type Token = { kind: 'open'; ordinals: number[] } | { kind: 'text'; text: string } | { kind: 'close' };

/** cloze.rs `open_cloze`: `{{c`, ordinals (deduplicated, sorted, 0..=65535), `::`. */
function openCloze(text: string, at: number): { end: number; ordinals: number[] } | null {
  if (!text.startsWith('{{c', at)) return null;
  let i = at + 3;
  while (i < text.length && /[0-9,]/.test(text[i])) i++;
  const ordinals = [
    ...new Set(
      text
        .slice(at + 3, i)
        .split(',')
        .filter((s) => s !== '' && Number(s) <= 65_535)
        .map(Number),
    ),
  ].sort((a, b) => a - b);
  if (ordinals.length === 0 || !text.startsWith('::', i)) return null;
  return { end: i + 2, ordinals };
}

/** cloze.rs `tokenize`: openings, `}}` closings, and the text between them. */
function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < text.length) {
    const open = openCloze(text, pos);
    if (open) {
      tokens.push({ kind: 'open', ordinals: open.ordinals });
      pos = open.end;
      continue;
    }
    if (text.startsWith('}}', pos)) {
      tokens.push({ kind: 'close' });
      pos += 2;
      continue;
    }
    let end = pos + 1;
    while (end < text.length && !text.startsWith('}}', end) && !openCloze(text, end)) end++;
    tokens.push({ kind: 'text', text: text.slice(pos, end) });
    pos = end;
  }
  return tokens;
}

/** A deletion as Anki parsed it. `ordinals` are cloze numbers as written (c1 → 1). */
export interface AnkiCloze {
  ordinals: number[];
  nodes: AnkiClozeNode[];
  hint: string | null;
}

export type AnkiClozeNode = { kind: 'text'; text: string } | { kind: 'cloze'; cloze: AnkiCloze };

/** cloze.rs `parse_text_with_clozes`: the field as top-level text and (possibly nested) deletions. */
export function parseAnkiClozes(text: string): AnkiClozeNode[] {
  const open: AnkiCloze[] = [];
  const output: AnkiClozeNode[] = [];
  for (const token of tokenize(text)) {
    if (token.kind === 'open') {
      // Anki ignores openings past ten levels deep (their closings still close the innermost).
      if (open.length < 10) open.push({ ordinals: token.ordinals, nodes: [], hint: null });
    } else if (token.kind === 'text') {
      const cloze = open[open.length - 1];
      if (!cloze) {
        output.push({ kind: 'text', text: token.text });
        continue;
      }
      let piece = token.text;
      if (!piece.startsWith('image-occlusion:')) {
        const split = piece.indexOf('::');
        if (split >= 0) {
          cloze.hint = piece.slice(split + 2);
          piece = piece.slice(0, split);
        }
      }
      cloze.nodes.push({ kind: 'text', text: piece });
    } else {
      const cloze = open.pop();
      if (!cloze) output.push({ kind: 'text', text: '}}' });
      else (open.length ? open[open.length - 1].nodes : output).push({ kind: 'cloze', cloze });
    }
  }
  // Deletions still open at the end are dropped, content and all, as in Anki.
  return output;
}

/** cloze.rs `clozed_text`: the deletion's text with nested deletions' text, no markup. */
export function clozedText(cloze: AnkiCloze): string {
  return cloze.nodes.map((node) => (node.kind === 'text' ? node.text : clozedText(node.cloze))).join('');
}

const hintOf = (cloze: AnkiCloze) => cloze.hint ?? '...';
const imageOcclusion = (cloze: AnkiCloze) => {
  const first = cloze.nodes[0];
  return first?.kind === 'text' && first.text.startsWith('image-occlusion:');
};

function revealCloze(cloze: AnkiCloze, ordinal: number, question: boolean, found: { active: boolean }): string {
  const active = cloze.ordinals.includes(ordinal);
  found.active ||= active;
  const ordinals = cloze.ordinals.join(',');
  if (imageOcclusion(cloze)) {
    // Image occlusion masks are drawn by Anki's JavaScript from shape data; ProofDeck keeps the
    // classes Anki writes but cannot draw the shapes.
    const kind = (question && active) || cloze.ordinals.includes(0) ? 'cloze' : !active ? 'cloze-inactive' : 'cloze-highlight';
    return `<div class="${kind}" data-ordinal="${ordinals}"></div>`;
  }
  const inner = () => cloze.nodes.map((node) => (node.kind === 'text' ? node.text : revealCloze(node.cloze, ordinal, question, found))).join('');
  if (question && active) {
    return `<span class="cloze" data-cloze="${encodeAttribute(inner())}" data-ordinal="${ordinals}">[${hintOf(cloze)}]</span>`;
  }
  if (active) return `<span class="cloze" data-ordinal="${ordinals}">${inner()}</span>`;
  return `<span class="cloze-inactive" data-ordinal="${ordinals}">${inner()}</span>`;
}

/**
 * cloze.rs `reveal_cloze_text`: a field as card `ordinal` (its cloze number) shows it, question
 * or answer side. Empty when the field has no deletion for that card, as in Anki (add-ons such
 * as cloze overlappers rely on it).
 */
export function revealClozeText(text: string, ordinal: number, question: boolean): string {
  const found = { active: false };
  const html = parseAnkiClozes(text)
    .map((node) => (node.kind === 'text' ? node.text : revealCloze(node.cloze, ordinal, question, found)))
    .join('');
  return found.active ? html : '';
}

function revealTextOnly(node: AnkiClozeNode, ordinal: number, question: boolean, output: string[]): void {
  if (node.kind !== 'cloze') return;
  if (node.cloze.ordinals.includes(ordinal)) output.push(question ? hintOf(node.cloze) : clozedText(node.cloze));
  for (const child of node.cloze.nodes) revealTextOnly(child, ordinal, question, output);
}

/** cloze.rs `reveal_cloze_text_only` (the `cloze-only:` filter): the asked deletions' hints or texts, comma-joined. */
export function revealClozeTextOnly(text: string, ordinal: number, question: boolean): string {
  const output: string[] = [];
  for (const node of parseAnkiClozes(text)) revealTextOnly(node, ordinal, question, output);
  return output.join(', ');
}

/** cloze.rs `extract_cloze_for_typing`: what `{{type:cloze:Text}}` expects; identical answers collapse to one. */
export function extractClozeForTyping(text: string, ordinal: number): string {
  const output: string[] = [];
  for (const node of parseAnkiClozes(text)) revealTextOnly(node, ordinal, false, output);
  if (output.length === 0) return '';
  return output.every((entry) => entry === output[0]) ? output[0] : output.join(', ');
}

/** cloze.rs `cloze_numbers_in_string`: the cloze numbers a field makes cards for (0 makes none). */
export function ankiClozeNumbers(text: string): Set<number> {
  const numbers = new Set<number>();
  const visit = (nodes: AnkiClozeNode[]) => {
    for (const node of nodes) {
      if (node.kind !== 'cloze') continue;
      for (const ordinal of node.cloze.ordinals) if (ordinal !== 0) numbers.add(ordinal);
      visit(node.cloze.nodes);
    }
  };
  visit(parseAnkiClozes(text));
  return numbers;
}

/** cloze.rs `MATHJAX`: `\(…\)` or `\[…\]`, non-greedy. */
const MATHJAX = /(\\[([])([\s\S]*?)(\\[\])])/gi;

/**
 * cloze.rs `cloze_filter`: the `{{cloze:Field}}` output for card `ordinal` (cloze number), with
 * tags stripped inside MathJax so the cloze markup there does not break the formula.
 */
export function clozeFilter(text: string, ordinal: number, question: boolean): string {
  return revealClozeText(text, ordinal, question).replace(MATHJAX, (_, open: string, inner: string, close: string) => open + stripHtmlPreservingEntities(inner) + close);
}
