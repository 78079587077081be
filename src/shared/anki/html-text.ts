/**
 * The few HTML-to-text rules of Anki's rslib/src/text.rs that templates and clozes depend on,
 * ported so that ProofDeck strips and decodes exactly where Anki does. Pure string functions:
 * they run in the main process (import, export) and in the renderer alike.
 */

/**
 * Anki's `HTML` regex (text.rs, `static HTML`): comments, whole `<style>` and `<script>` elements,
 * then any tag. Non-greedy and case-insensitive, `.` matching newlines, as `(?si)` there.
 */
const HTML = /<!--[\s\S]*?-->|<style[\s\S]*?>[\s\S]*?<\/style>|<script[\s\S]*?>[\s\S]*?<\/script>|<[\s\S]*?>/gi;

/** text.rs `strip_html_preserving_entities`: tags and comments removed, `&lt;` left as it is. */
export function stripHtmlPreservingEntities(html: string): string {
  return html.replace(HTML, '');
}

/** text.rs `strip_html`: tags removed, then entities decoded (the `text:` filter). */
export function stripHtml(html: string): string {
  return decodeEntities(stripHtmlPreservingEntities(html));
}

const namedEntities: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
  ensp: '\u2002',
  emsp: '\u2003',
  thinsp: '\u2009',
  shy: '\u00ad',
  zwj: '\u200d',
  zwnj: '\u200c',
  ndash: '\u2013',
  mdash: '\u2014',
  hellip: '\u2026',
  lsquo: '\u2018',
  rsquo: '\u2019',
  ldquo: '\u201c',
  rdquo: '\u201d',
  laquo: '\u00ab',
  raquo: '\u00bb',
  middot: '\u00b7',
  bull: '\u2022',
  copy: '\u00a9',
  reg: '\u00ae',
  trade: '\u2122',
  deg: '\u00b0',
  plusmn: '\u00b1',
  times: '\u00d7',
  divide: '\u00f7',
  micro: '\u00b5',
  para: '\u00b6',
  sect: '\u00a7',
  euro: '\u20ac',
  pound: '\u00a3',
  yen: '\u00a5',
  cent: '\u00a2',
};

/**
 * text.rs `decode_entities`: numeric and named character references decoded, and the no-break
 * space (`&nbsp;`) read as a plain space, as Anki does. Anki uses the `htmlescape` crate; the
 * named references here are the ones card text uses in practice, an unknown one stays as written.
 */
export function decodeEntities(html: string): string {
  if (!html.includes('&')) return html;
  const decoded = html.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});/g, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return namedEntities[body] ?? namedEntities[body.toLowerCase()] ?? whole;
  });
  return decoded.replace(/\u00a0/g, ' ');
}

/**
 * template.rs `field_is_empty`: a field is empty when it holds only ASCII whitespace and empty
 * `<br>` / `<div>` tags. `&nbsp;` or any other tag (an image) makes it non-empty.
 */
export function fieldIsEmpty(text: string): boolean {
  return /^(?:[\t\n\v\f\r ]|<\/?(?:br|div) ?\/?>)*$/i.test(text);
}

/**
 * htmlescape's `encode_attribute`, which Anki uses for the `data-cloze` attribute: every
 * character below U+0100 that is not an ASCII letter or digit becomes `&#xHH;`.
 */
export function encodeAttribute(text: string): string {
  let out = '';
  for (const c of text) {
    const code = c.codePointAt(0) ?? 0;
    out += code < 256 && !/[A-Za-z0-9]/.test(c) ? `&#x${code.toString(16).toUpperCase().padStart(2, '0')};` : c;
  }
  return out;
}

/** htmlescape's `encode_minimal` (`&`, `<`, `>`, `"`), which Anki uses for text it writes into HTML. */
export function encodeMinimal(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);
}
