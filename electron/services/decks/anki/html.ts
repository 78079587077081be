import { createHash } from 'node:crypto';
import { looksActive, sanitizeImportedHtml } from '../sanitize';
import { createMarkdownParser } from '../../../../src/shared/markdown-base';

/** The parser the card renderer uses (Korean emphasis, raw HTML as text), so Anki shows what review shows. */
const markdown = createMarkdownParser();
// Anki's editor writes bold and italics as <b> and <i>; the same tags here, so its B and I buttons know them.
markdown.renderer.rules.strong_open = () => '<b>';
markdown.renderer.rules.strong_close = () => '</b>';
markdown.renderer.rules.em_open = () => '<i>';
markdown.renderer.rules.em_close = () => '</i>';

const escapeHtml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Markdown → HTML for Anki. Math is lifted out before markdown-it runs (it would eat the
 * backslashes of `\(`), then put back in Anki's MathJax delimiters: `$…$` → `\(…\)`,
 * `$$…$$` → `\[…\]`. Code spans and fences are left alone. A Mermaid fence becomes an `<img>` of
 * its SVG when the caller has one (`diagrams`: sha1 of the source → media name; the UI renders
 * them in Chromium, the main process has no DOM), else its source in a `<pre class="mermaid">`.
 */
export function markdownToAnkiHtml(source: string, diagrams?: ReadonlyMap<string, string>): { html: string; mermaid: boolean } {
  if (source === '') return { html: '', mermaid: false };
  const math: string[] = [];
  const protect = (text: string) =>
    text
      .replace(/\$\$([\s\S]+?)\$\$/g, (_, tex: string) => `ANKIMATHX${math.push(`\\[${tex.trim()}\\]`) - 1}X`)
      .replace(/(^|[^\\$])\$([^\s$](?:[^$\n]*?[^\s$])?)\$(?!\d)/g, (_, before: string, tex: string) => `${before}ANKIMATHX${math.push(`\\(${tex}\\)`) - 1}X`);
  // Split on fenced blocks and inline code; odd pieces are code and are kept verbatim.
  const pieces = source.split(/(```[\s\S]*?```|~~~[\s\S]*?~~~|`[^`\n]+`)/g);
  const protectedSource = pieces.map((piece, i) => (i % 2 === 1 ? piece : protect(piece))).join('');
  let mermaid = false;
  let html = markdown.render(protectedSource);
  html = html.replace(/<pre><code class="language-mermaid">([\s\S]*?)<\/code><\/pre>/g, (_, code: string) => {
    const image = diagrams?.get(diagramKey(unescapeHtml(code)));
    if (image) return `<img src="${escapeHtml(image)}" alt="diagram">`;
    mermaid = true;
    return `<pre class="mermaid">${code}</pre>`;
  });
  html = html.replace(/ANKIMATHX(\d+)X/g, (_, index: string) => escapeHtml(math[Number(index)] ?? ''));
  html = html.trim();
  // Our own Markdown renders to safe HTML; raw HTML inside it was sanitized when it was imported.
  // Sanitizing again costs more than the render, so it runs only when something looks active.
  return { html: looksActive(html) ? sanitizeImportedHtml(html).html : html, mermaid };
}

const unescapeHtml = (text: string): string => text.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Identity of a diagram: the SHA-1 of its Mermaid source exactly as the fence holds it. */
export function diagramKey(source: string): string {
  return createHash('sha1').update(source).digest('hex');
}

/** The Mermaid sources of some Markdown texts (fence contents), each once. */
export function mermaidSources(texts: Iterable<string>): string[] {
  const sources = new Set<string>();
  for (const text of texts) {
    if (!text.includes('mermaid')) continue;
    for (const token of markdown.parse(text, {})) if (token.type === 'fence' && token.info.trim() === 'mermaid') sources.add(token.content);
  }
  return [...sources];
}

/** Anki's field text for sorting and duplicate checks: tags stripped, image names kept, entities decoded. */
export function stripHtmlKeepMedia(html: string): string {
  return html
    .replace(/<img[^>]*?src=["']?([^"'\s>]+)["']?[^>]*>/gi, ' $1 ')
    .replace(/<(style|script)[\s\S]*?<\/\1>/gi, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .trim();
}
