import type MarkdownIt from 'markdown-it';
import type { StateInline } from 'markdown-it';
import { findClozes, type ClozeDeletion } from '../shared/cloze';
import { escapeHtml } from './sanitize';

/**
 * Cloze deletions (`{{c1::answer}}`, `{{c2::answer::hint}}`) in the Markdown pipeline, so the text
 * inside a deletion is Markdown like any other: `{{c1::$O(N^2)$}}` renders its math, and the
 * output goes through the same sanitizer.
 *
 * - On a cloze card's question, the active deletion is `[…]` (or `[hint]`); the others show their text.
 * - On its answer, the active deletion's text is highlighted (`<mark class="cloze">`).
 * - Anywhere else (editor preview, deck lists, basic notes), every deletion shows its text.
 */
export interface ClozeView {
  /** The cloze number the card asks. */
  number: number;
  /** False on the question, true once the answer is shown. */
  reveal: boolean;
}

export interface ClozeEnv {
  cloze?: ClozeView;
}

const start = /^\{\{c\d{1,3}::/;

function clozeRule(state: StateInline, silent: boolean): boolean {
  const pos = state.pos;
  if (state.src.charCodeAt(pos) !== 0x7b || state.src.charCodeAt(pos + 1) !== 0x7b) return false;
  const rest = state.src.slice(pos, state.posMax);
  if (!start.test(rest)) return false;
  const deletion = findClozes(rest)[0];
  if (!deletion || deletion.start !== 0) return false;
  if (!silent) {
    const view = (state.env as ClozeEnv | undefined)?.cloze;
    const active = view?.number === deletion.number;
    if (active && !view.reveal) {
      const blank = state.push('cloze_blank', 'span', 0);
      blank.content = deletion.hint?.trim() || '…';
    } else {
      const open = state.push('cloze_open', active ? 'mark' : 'span', 1);
      open.attrSet('class', active ? 'cloze cloze-answer' : 'cloze-text');
      // The deletion's text is parsed as inline Markdown (math, emphasis, code) where it stands.
      const max = state.posMax;
      state.pos = pos + deletion.contentStart;
      state.posMax = pos + deletion.contentStart + deletion.content.length;
      state.md.inline.tokenize(state);
      state.posMax = max;
      state.push('cloze_close', active ? 'mark' : 'span', -1);
    }
  }
  state.pos = pos + deletion.end;
  return true;
}

/** The markdown-it plugin: an inline rule for deletions and the blank's renderer. */
export function clozePlugin(md: ReturnType<typeof MarkdownIt>): void {
  md.inline.ruler.before('text', 'cloze', clozeRule);
  md.renderer.rules.cloze_blank = (tokens, index) => `<span class="cloze cloze-blank">[${escapeHtml(tokens[index].content)}]</span>`;
}

/** Ranges of `$…$` / `$$…$$` in a text (backslash escapes skipped), end exclusive. */
function mathRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  let open: { at: number; fence: string } | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '`' && !open) {
      // Inline code: no math inside.
      const close = text.indexOf('`', i + 1);
      if (close > 0) i = close;
      continue;
    }
    if (c !== '$') continue;
    const fence = text[i + 1] === '$' ? '$$' : '$';
    if (!open) open = { at: i, fence };
    else if (fence === open.fence || open.fence === '$') {
      ranges.push([open.at, i + open.fence.length]);
      open = null;
    }
    if (fence === '$$') i++;
  }
  return ranges;
}

/** A deletion whose text holds blocks (paragraphs, list items, fences) cannot be one inline token. */
const spansBlocks = (content: string) => /\n[ \t]*\n|\n[ \t]*([-*+>]|\d+[.)]|```|~~~)/.test(content);

/**
 * Deletions the inline rule cannot see are rewritten in the source before parsing, so the answer
 * never shows on a question:
 * - inside a formula (`$x = {{c1::2}}$`, as Anki users write in MathJax), where KaTeX reads the
 *   whole formula: as TeX — the text, `[\dots]` on the question, coloured on the answer;
 * - spanning blocks (Anki HTML with `<div>`s or a list inside a deletion): as Markdown — the
 *   text, or a one-line deletion that draws the blank on the question (no highlight on the
 *   answer: a highlight cannot cross blocks).
 */
export function rewriteBlockClozes(source: string, view: ClozeView | undefined): string {
  if (!source.includes('{{c')) return source;
  const ranges = source.includes('$') ? mathRanges(source) : [];
  const inMath = (d: ClozeDeletion) => ranges.some(([from, to]) => d.start > from && d.end < to);
  const deletions = findClozes(source).filter((d) => inMath(d) || spansBlocks(d.content));
  let result = source;
  for (const deletion of deletions.reverse()) {
    const active = view?.number === deletion.number;
    const hint = deletion.hint?.trim();
    let text = deletion.content;
    if (inMath(deletion)) {
      if (active && !view.reveal) text = hint ? `[\\text{${hint.replace(/[{}\\$]/g, '')}}]` : '[\\dots]';
      else if (active) text = `\\textcolor{#1d6ed8}{${deletion.content}}`;
    } else if (active && !view.reveal) {
      // A one-line deletion in its place, which the inline rule draws as the blank.
      text = `{{c${deletion.number}::…${hint ? `::${hint.replace(/[{}\n]/g, ' ')}` : ''}}}`;
    }
    result = result.slice(0, deletion.start) + text + result.slice(deletion.end);
  }
  return result;
}
