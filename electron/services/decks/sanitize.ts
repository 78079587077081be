import sanitizeHtml from 'sanitize-html';

/**
 * Imported HTML comes from other people. Allowed: text formatting, lists, tables, code, images
 * that name a media file of the same deck, and links to http(s)/mailto. Removed: scripts and
 * other active content, event handlers, `style` (CSS `url()` can fetch), `javascript:` and every
 * other scheme, and remote or protocol-relative images (they would phone home on display).
 */
const options: sanitizeHtml.IOptions = {
  allowedTags: [
    'b', 'i', 'u', 's', 'em', 'strong', 'sub', 'sup', 'mark', 'small', 'br', 'hr', 'p', 'div', 'span',
    'ul', 'ol', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'code', 'kbd', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
    'table', 'thead', 'tbody', 'tfoot', 'tr', 'th', 'td', 'caption', 'img', 'a', 'ruby', 'rt', 'rp', 'font',
  ],
  allowedAttributes: {
    a: ['href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height'],
    td: ['colspan', 'rowspan'],
    th: ['colspan', 'rowspan'],
    '*': ['class'],
  },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesByTag: { img: [] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Contents of these are code, not text: dropped entirely.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'iframe', 'object', 'embed', 'svg', 'math', 'template'],
};

const suspicious = /<\s*(script|iframe|object|embed|style|link|meta|base|form|svg)\b|\son[a-z]+\s*=|javascript\s*:|vbscript\s*:|data\s*:\s*text\/html|<img\b[^>]*\bsrc\s*=\s*["']?\s*(?:[a-z][a-z0-9+.-]*:|\/\/)|\sstyle\s*=/i;

export interface SanitizeResult {
  html: string;
  /** True when something active or remote was removed (the user is told how many notes). */
  changed: boolean;
}

/** True when HTML contains anything the sanitizer would remove for safety (scripts, handlers, schemes, styles, remote images). */
export function looksActive(html: string): boolean {
  return suspicious.test(html);
}

/** Sanitizes one imported HTML field. Cheap for plain text: no parse unless it contains markup. */
export function sanitizeImportedHtml(html: string): SanitizeResult {
  if (!/[<>&]/.test(html)) return { html, changed: false };
  const clean = sanitizeHtml(html, options);
  return { html: clean, changed: suspicious.test(html) };
}

/** Media file names that an HTML field references (`<img src>`, Anki's `[sound:…]`). */
export function referencedMedia(html: string): string[] {
  const names: string[] = [];
  for (const match of html.matchAll(/<img\b[^>]*\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/gi)) {
    const name = match[1] ?? match[2] ?? match[3] ?? '';
    if (name && !/^[a-z][a-z0-9+.-]*:|^\/\//i.test(name)) names.push(decodeEntities(name));
  }
  for (const match of html.matchAll(/\[sound:([^\]]+)\]/g)) names.push(match[1]!);
  for (const match of html.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)) {
    if (!/^[a-z][a-z0-9+.-]*:|^\/\//i.test(match[1]!)) names.push(match[1]!);
  }
  return names;
}

function decodeEntities(text: string): string {
  return text.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}
