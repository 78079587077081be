import { Suspense, use, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import type { AnkiNoteView } from '../../shared/contract';
import { useApp } from '../AppContext';
import { resolveMedia } from './Markdown';
import { allResolved, cssMediaUrl, resolvedCssMedia } from './anki-media';
import './anki-card.css';

// The card renderer is its own chunk (loaded with the app, as for Markdown cards).
const renderModule = import('../../render');
type RenderModule = Awaited<typeof renderModule>;
let renderLoaded: RenderModule | null = null;
renderModule.then(
  (module) => (renderLoaded = module),
  () => undefined,
);

interface AnkiCardProps {
  view: AnkiNoteView;
  /** Which card of the note: its template (a cloze note type: its cloze number − 1). */
  ord: number;
  side: 'question' | 'answer';
  deck?: string;
  tags?: readonly string[];
  testId?: string;
  className?: string;
  /** On the answer: what was typed into the question's `{{type:…}}` box, compared with the field as Anki does. */
  typed?: string;
  /** On the question: the box is live (focused, its text reported, Enter submits). Without it the box is only shown (previews). */
  typeAnswer?: { onChange(text: string): void; onSubmit(text: string): void };
}

/**
 * One side of a card drawn by its Anki note type, as Anki draws it: the template rendered
 * (src/render/anki-template.ts; the answer holds `{{FrontSide}}`), Anki's MathJax as KaTeX, the
 * sanitizer, and the note type's CSS scoped to this card's root (`.nightMode` follows the app's
 * dark theme). The CSS goes into a `<style>` through `textContent`, never as markup; the deck
 * media it names (`url(_font.woff2)`) are fetched and inlined as `data:` URLs.
 */
export function AnkiCard(props: AnkiCardProps) {
  return (
    <Suspense fallback={<div className={['anki-card', props.className].filter(Boolean).join(' ')} aria-busy="true" />}>
      <RenderedAnkiCard {...props} />
    </Suspense>
  );
}

const typeBox = (target: EventTarget): HTMLInputElement | null => (target instanceof HTMLInputElement && target.id === 'typeans' ? target : null);

function RenderedAnkiCard({ view, ord, side, deck, tags, testId, className, typed, typeAnswer }: AnkiCardProps) {
  const { api, t } = useApp();
  const render = renderLoaded ?? use(renderModule);
  const templates = useMemo(() => view.templates.map((template) => render.compileAnkiTemplate(template)), [render, view.templates]);
  const fields = useMemo(() => new Map(view.fields.map((field) => [field.name, field.value])), [view.fields]);
  const card = useMemo(() => {
    const template = templates[view.cloze ? 0 : ord] ?? templates[0];
    return template ? render.renderAnkiCard({ template, fields, ord, cloze: view.cloze, tags, notetype: view.name, deck, typed }, t) : null;
  }, [render, templates, fields, ord, view.cloze, view.name, tags, deck, typed, t]);
  const raw = card ? (side === 'answer' ? card.answer : card.question) : '';
  // Safe: the sanitizer's output (src/render/sanitize.ts), with only the type-answer box allowed beyond a Markdown card's.
  const html = useMemo(() => render.sanitizeAnkiCardHtml(render.renderAnkiMath(raw)), [render, raw]);
  const mediaNames = useMemo(() => render.ankiCssMediaNames(view.css), [render, view.css]);
  // Files fetched before (another card of the deck) are used at once, so a flipped card keeps its font.
  const [loaded, setLoaded] = useState<{ names: readonly string[]; files: Map<string, string> } | null>(null);
  const media = useMemo(() => (loaded?.names === mediaNames ? loaded.files : resolvedCssMedia(mediaNames)), [loaded, mediaNames]);
  useEffect(() => {
    if (mediaNames.length === 0 || allResolved(mediaNames)) return;
    let current = true;
    void Promise.all(mediaNames.map((name) => cssMediaUrl(api, name))).then(() => {
      if (current) setLoaded({ names: mediaNames, files: resolvedCssMedia(mediaNames) });
    });
    return () => {
      current = false;
    };
  }, [mediaNames, api]);
  const css = useMemo(() => render.scopeAnkiCss(view.css, { scope: view.scope, media: (name) => media.get(name) ?? null }).css, [render, view.css, view.scope, media]);
  const classes = render.ankiCardClasses(view.scope, ord);
  const style = useRef<HTMLStyleElement>(null);
  useEffect(() => {
    if (style.current) style.current.textContent = css;
  }, [css]);
  const content = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (content.current) void resolveMedia(content.current, api);
  }, [html, api]);
  const live = side === 'question' ? typeAnswer : undefined;
  // As in Anki, the box has the focus when the question shows, so typing starts at once; what it
  // holds is what counts (empty again after an undo brought the question back).
  useEffect(() => {
    const box = content.current?.querySelector<HTMLInputElement>('input#typeans');
    if (!live || !box) return;
    box.focus({ preventScroll: true });
    live.onChange(box.value);
  }, [html, live]);
  const onInput = (event: FormEvent<HTMLDivElement>) => {
    const box = typeBox(event.target);
    if (box && live) live.onChange(box.value);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const box = typeBox(event.target);
    // Enter shows the answer (Anki's `_typeAnsPress`), but not while an IME is still composing a Hangul syllable.
    if (!box || !live || event.key !== 'Enter' || event.nativeEvent.isComposing || event.keyCode === 229) return;
    event.preventDefault();
    live.onSubmit(box.value);
  };
  return (
    <div className={[classes.root, 'anki-card', className].filter(Boolean).join(' ')} data-testid={testId} data-side={side}>
      <style ref={style} />
      <div ref={content} className={classes.qa} onInput={live ? onInput : undefined} onKeyDown={live ? onKeyDown : undefined} dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  );
}
