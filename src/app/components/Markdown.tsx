import { Suspense, use, useEffect, useMemo, useRef } from 'react';
import type { Api } from '../../shared/contract';
import { useApp } from '../AppContext';

/**
 * markdown-it, KaTeX and DOMPurify are most of the UI's code but only a shown card needs them:
 * they load as their own chunk, starting as soon as this module runs (in parallel with the
 * first API calls), so Today appears without waiting for them.
 */
const renderModule = import('../../render');
type RenderModule = Awaited<typeof renderModule>;
/** The module once here: read directly, since suspending even on a settled promise costs React's 300 ms reveal throttle. */
let renderLoaded: RenderModule | null = null;
renderModule.then(
  (module) => (renderLoaded = module),
  () => undefined,
);

/** Media of imported decks, by bare file name, as data: URLs (the sanitizer allows those). */
const mediaCache = new Map<string, Promise<string | null>>();

function mediaUrl(api: Api, name: string): Promise<string | null> {
  let url = mediaCache.get(name);
  if (!url) {
    url = api['decks.media']({ name }).then(
      ({ mime, data }) => (/^(image|audio|video)\//.test(mime) ? `data:${mime};base64,${data}` : null),
      () => {
        // Not there yet (an import preview draws cards before their media are stored): asked again next time.
        mediaCache.delete(name);
        return null;
      },
    );
    mediaCache.set(name, url);
  }
  return url;
}

/** Cards name their media by bare file name (`<img src="paste-1.png">`); fetch those through the API. */
export async function resolveMedia(root: HTMLElement, api: Api): Promise<void> {
  const elements = root.querySelectorAll<HTMLImageElement | HTMLMediaElement | HTMLSourceElement>('img[src], audio[src], video[src], source[src]');
  await Promise.all(
    [...elements].map(async (element) => {
      const name = element.getAttribute('src') ?? '';
      if (!/^[^/\\:?#]+$/.test(name)) return;
      let decoded: string;
      try {
        decoded = decodeURIComponent(name);
      } catch {
        return;
      }
      const url = await mediaUrl(api, decoded);
      if (url && element.getAttribute('src') === name) element.setAttribute('src', url);
    }),
  );
}

interface MarkdownProps {
  source: string;
  className?: string;
  testId?: string;
  /** On a cloze card's text: the deletion it asks, and whether the answer is shown. */
  cloze?: { number: number; reveal: boolean };
}

/** Cards are Korean or English whatever the UI language; Hangul in the text marks it Korean (fonts, line breaks). */
function contentLanguage(source: string): string {
  return /[\u3131-\u318e\uac00-\ud7a3]/.test(source) ? 'ko' : 'en';
}

/**
 * A card field: Markdown rendered and sanitized by src/render, then its Mermaid diagrams drawn
 * in the current theme (again whenever the theme changes).
 */
export function Markdown(props: MarkdownProps) {
  // Until the renderer chunk is here (rare: it starts loading with the app), an empty block of the
  // same class holds the place, without the test id, so nothing reads a card that is not drawn.
  return (
    <Suspense fallback={<div className={['markdown', props.className].filter(Boolean).join(' ')} aria-busy="true" />}>
      <RenderedMarkdown {...props} />
    </Suspense>
  );
}

function RenderedMarkdown({ source, className, testId, cloze }: MarkdownProps) {
  const { theme, api } = useApp();
  // Suspends only if the renderer chunk has not arrived yet (normally it has by the first card).
  const { renderMarkdown, renderDiagrams } = renderLoaded ?? use(renderModule);
  const clozeNumber = cloze?.number;
  const clozeReveal = cloze?.reveal;
  const html = useMemo(
    () => renderMarkdown(source, clozeNumber === undefined ? {} : { cloze: { number: clozeNumber, reveal: clozeReveal === true } }),
    [renderMarkdown, source, clozeNumber, clozeReveal],
  );
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) void renderDiagrams(ref.current, theme);
  }, [renderDiagrams, html, theme]);
  useEffect(() => {
    if (ref.current) void resolveMedia(ref.current, api);
  }, [html, api]);
  return (
    <div
      ref={ref}
      lang={contentLanguage(source)}
      className={['markdown', className].filter(Boolean).join(' ')}
      data-testid={testId}
      // Safe: renderMarkdown's output went through DOMPurify (src/render/sanitize.ts).
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
