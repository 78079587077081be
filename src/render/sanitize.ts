import createDOMPurify, { type Config, type DOMPurify } from 'dompurify';

/**
 * HTML sanitising for everything a deck can put on screen. Decks come from other people, so the
 * output may hold no script, no event handler, no `javascript:` link, and nothing that fetches
 * from the network: images only from `data:`, `blob:` or a local relative path. External
 * http(s) links open outside the app (`target=_blank`, `rel=noopener noreferrer`).
 */

let instance: DOMPurify | null = null;

function purifier(): DOMPurify {
  if (instance) return instance;
  const purify = createDOMPurify(window);
  purify.addHook('afterSanitizeAttributes', (node) => {
    const element = node as Element;
    if (typeof element.getAttribute !== 'function') return;
    const tag = element.tagName.toLowerCase();
    // Only the Anki card config lets <input> through: `{{type:Field}}`'s answer box, a bare text field.
    if (tag === 'input') keepTypeAnswerInput(element);
    for (const name of ['src', 'poster']) {
      const value = element.getAttribute(name);
      if (value !== null && !isLocalMediaUrl(value)) element.removeAttribute(name);
    }
    element.removeAttribute('srcset');
    for (const name of ['href', 'xlink:href']) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      if (tag === 'a') {
        if (isExternalLink(value)) {
          element.setAttribute('target', '_blank');
          element.setAttribute('rel', 'noopener noreferrer');
        } else if (!value.trim().startsWith('#') && !/^mailto:/i.test(value.trim())) {
          // A relative link would navigate the app itself away from the review.
          element.removeAttribute(name);
        }
      } else if (!value.trim().startsWith('#') && !isLocalMediaUrl(value)) {
        // SVG <image>, <use>, <feImage> and friends: same-document fragments or local media only.
        element.removeAttribute(name);
      }
    }
    const style = element.getAttribute('style');
    if (style !== null && fetchesRemotely(style)) element.removeAttribute('style');
  });
  purify.addHook('uponSanitizeElement', (node, data) => {
    // <style> is only ever allowed inside Mermaid's SVG; it still may not load anything.
    if (data.tagName === 'style' && fetchesRemotely(node.textContent ?? '')) node.textContent = '';
  });
  instance = purify;
  return purify;
}

const typeAnswerAttributes = new Set(['type', 'id', 'class', 'aria-label', 'autocomplete', 'autocapitalize', 'spellcheck']);

/** A text box and nothing else: no name, value, form, list or autofocus. */
function keepTypeAnswerInput(element: Element): void {
  for (const name of element.getAttributeNames()) if (!typeAnswerAttributes.has(name)) element.removeAttribute(name);
  element.setAttribute('type', 'text');
}

/** Matches `url(...)` that is not a same-document fragment, and `@import`. */
function fetchesRemotely(css: string): boolean {
  return /@import/i.test(css) || /url\(\s*(?!['"]?#)/i.test(css) || /image-set\(/i.test(css);
}

/** data: images, blob: URLs, and relative paths (media shipped with a deck). No scheme, no `//host`. */
export function isLocalMediaUrl(value: string): boolean {
  const url = value.trim();
  if (/^data:(image\/(png|jpe?g|gif|webp|avif|bmp|svg\+xml)|audio\/[\w.+-]+|video\/[\w.+-]+)[;,]/i.test(url)) return true;
  if (/^blob:/i.test(url)) return true;
  if (url.startsWith('//') || url.startsWith('\\')) return false;
  // Any scheme (http:, file:, javascript:, ...) before the first path separator is refused.
  return !/^[a-z][a-z0-9+.-]*:/i.test(url);
}

function isExternalLink(value: string): boolean {
  return /^https?:\/\//i.test(value.trim());
}

const cardConfig: Config = {
  USE_PROFILES: { html: true, svg: true, mathMl: true },
  // KaTeX's MathML wraps the TeX source in <semantics>/<annotation>; both are inert.
  ADD_TAGS: ['semantics', 'annotation'],
  ADD_ATTR: ['target', 'encoding'],
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'option', 'dialog', 'template'],
  FORBID_ATTR: ['srcset', 'formaction', 'ping'],
  ALLOW_DATA_ATTR: false,
};

/** Sanitises card HTML (Markdown output, or HTML fields from an imported deck). */
export function sanitizeHtml(html: string): string {
  return purifier().sanitize(html, { ...cardConfig, RETURN_TRUSTED_TYPE: false }) as string;
}

const ankiCardConfig: Config = {
  ...cardConfig,
  FORBID_TAGS: (cardConfig.FORBID_TAGS ?? []).filter((tag) => tag !== 'input'),
};

/**
 * Sanitises a card rendered from an Anki note type (src/render/anki-template.ts): the card rules,
 * plus the plain text box of `{{type:Field}}`. The note type's CSS goes through anki-css.ts
 * instead, never through HTML.
 */
export function sanitizeAnkiCardHtml(html: string): string {
  return purifier().sanitize(html, { ...ankiCardConfig, RETURN_TRUSTED_TYPE: false }) as string;
}

const diagramConfig: Config = {
  USE_PROFILES: { svg: true, svgFilters: true, html: true },
  // Mermaid draws labels as HTML inside <foreignObject> (still sanitized as HTML), and styles
  // them with one <style>; foreignObject must be declared an HTML integration point for that.
  ADD_TAGS: ['foreignobject', 'style'],
  HTML_INTEGRATION_POINTS: { foreignobject: true },
  ADD_ATTR: ['dominant-baseline', 'text-anchor', 'marker-end', 'marker-start'],
  FORBID_TAGS: ['form', 'input', 'button', 'textarea', 'select', 'iframe', 'use'],
  ALLOW_DATA_ATTR: false,
};

/** Sanitises Mermaid's SVG output before it enters the document. */
export function sanitizeSvg(svg: string): string {
  return purifier().sanitize(svg, { ...diagramConfig, RETURN_TRUSTED_TYPE: false }) as string;
}

/** Escapes text for HTML (used for inline error messages). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}
