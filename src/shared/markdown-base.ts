import MarkdownIt from 'markdown-it';
import cjkFriendly from 'markdown-it-cjk-friendly';

/**
 * The Markdown parser every ProofDeck note goes through, on screen (src/render/markdown.ts) and
 * on its way to Anki (the .apkg exporter): the same options and the same emphasis rules, so what
 * is bold in review is bold in Anki.
 *
 * - `html: false`: raw HTML in a note shows as text, never as markup (decks come from others).
 * - CommonMark does not close `**bold(x)**에` before a Hangul letter (the closing `**` follows
 *   punctuation and precedes a letter); markdown-it-cjk-friendly relaxes that rule for CJK text,
 *   which Korean notes rely on.
 *
 * Callers add their own plugins (KaTeX and cloze on screen) to the instance they get.
 */
export function createMarkdownParser(): ReturnType<typeof MarkdownIt> {
  const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
  md.use(cjkFriendly);
  return md;
}
