import katex from 'katex';
import { encodeMinimal, stripHtml } from '../shared/anki/html-text';

/**
 * Anki's MathJax, drawn with KaTeX: `\(…\)` inline and `\[…\]` display math in a rendered Anki
 * card (after the template, before the sanitizer). As MathJax does with Anki's settings, math is
 * read from text only, never inside `pre`, `code`, `script`, `style` or `textarea` or a tag's
 * attributes, and may run across `<br>` and comments; tags inside it are dropped and entities
 * decoded (cloze.rs does the same inside MathJax). KaTeX runs with the options of ProofDeck's own
 * Markdown (no `\href`, bounded sizes and macro expansion); a formula KaTeX cannot read shows its
 * error inline, escaped, where it stood.
 */

const MATH = /\\\(([\s\S]*?)\\\)|\\\[([\s\S]*?)\\\]/g;
/** Only these tags may sit inside a formula (MathJax's `includeHtmlTags`). */
const INSIDE_MATH = /^(?:[^<]|<br\s*\/?>|<wbr\s*\/?>|<!--[\s\S]*?-->)*$/i;
const SKIPPED = /<(pre|code|script|style|textarea)\b[\s\S]*?<\/\1\s*>/gi;

function render(tex: string, display: boolean): string {
  try {
    return katex.renderToString(tex, { displayMode: display, throwOnError: true, trust: false, strict: 'ignore', maxSize: 50, maxExpand: 1000, output: 'htmlAndMathml' });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return `<span class="katex-error" role="note">${encodeMinimal(message)}</span>`;
  }
}

/** Ranges of the HTML that hold no math for MathJax: skipped elements, and every tag's own text. */
function opaqueRanges(html: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const match of html.matchAll(SKIPPED)) ranges.push([match.index, match.index + match[0].length]);
  for (const match of html.matchAll(/<[^>]*>/g)) ranges.push([match.index, match.index + match[0].length]);
  return ranges;
}

/** Renders the MathJax formulas of an Anki card's HTML with KaTeX. */
export function renderAnkiMath(html: string): string {
  if (!html.includes('\\(') && !html.includes('\\[')) return html;
  const opaque = opaqueRanges(html);
  const insideOpaque = (at: number) => opaque.some(([from, to]) => at >= from && at < to);
  return html.replace(MATH, (whole, inline: string | undefined, display: string | undefined, at: number) => {
    const body = inline ?? display ?? '';
    if (insideOpaque(at) || !INSIDE_MATH.test(body)) return whole;
    return render(stripHtml(body.replace(/<br\s*\/?>/gi, '\n')), display !== undefined);
  });
}
