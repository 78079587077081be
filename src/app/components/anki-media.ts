import type { Api } from '../../shared/contract';

/**
 * Deck media a note type's CSS names (`url(_font.woff2)`), as `data:` URLs: the stylesheet cannot
 * load a file (the CSP allows `data:` fonts and images only), so each file is fetched once through
 * the API and inlined when the CSS is scoped (src/render/anki-css.ts checks type and size again).
 */

/** Anki packages store fonts under their file name only; the type follows from the extension. */
const FONT_TYPES: Record<string, string> = { woff2: 'font/woff2', woff: 'font/woff', ttf: 'font/ttf', otf: 'font/otf' };

const pending = new Map<string, Promise<string | null>>();
/** Files already fetched (null: not in the collection, or not an image or a font), read synchronously so a flipped card keeps its font. */
const resolved = new Map<string, string | null>();

function typeOf(name: string, mime: string): string | null {
  if (/^image\/(png|jpeg|gif|webp|avif|bmp|svg\+xml)$/.test(mime)) return mime;
  const font = FONT_TYPES[name.toLowerCase().split('.').pop() ?? ''];
  if (font && (mime === 'application/octet-stream' || mime.startsWith('font/'))) return font;
  return null;
}

/** The `data:` URL of one media file for CSS, or null. */
export function cssMediaUrl(api: Api, name: string): Promise<string | null> {
  let url = pending.get(name);
  if (!url) {
    url = api['decks.media']({ name }).then(
      ({ mime, data }) => {
        const type = typeOf(name, mime);
        const value = type ? `data:${type};base64,${data}` : null;
        resolved.set(name, value);
        return value;
      },
      () => {
        // Not there (yet: an import preview draws cards before their media are stored): asked again next time.
        pending.delete(name);
        return null;
      },
    );
    pending.set(name, url);
  }
  return url;
}

/** The files of `names` fetched so far. */
export function resolvedCssMedia(names: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of names) {
    const value = resolved.get(name);
    if (value) out.set(name, value);
  }
  return out;
}

/** True when every name has been fetched (found or not). */
export const allResolved = (names: readonly string[]) => names.every((name) => resolved.has(name));
