import { Suspense, use, useEffect, useMemo, useRef } from 'react';
import type { AnkiNoteView } from '../../shared/contract';
import { useApp } from '../AppContext';
import { resolveMedia } from './Markdown';

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
}

/**
 * One side of a card drawn by its Anki note type, as Anki draws it: the template rendered
 * (src/render/anki-template.ts; the answer holds `{{FrontSide}}`), Anki's MathJax as KaTeX, the
 * sanitizer, and the note type's CSS scoped to this card's root (`.nightMode` follows the app's
 * dark theme). The CSS goes into a `<style>` through `textContent`, never as markup.
 */
export function AnkiCard(props: AnkiCardProps) {
  return (
    <Suspense fallback={<div className={['anki-card', props.className].filter(Boolean).join(' ')} aria-busy="true" />}>
      <RenderedAnkiCard {...props} />
    </Suspense>
  );
}

function RenderedAnkiCard({ view, ord, side, deck, tags, testId, className }: AnkiCardProps) {
  const { api, t } = useApp();
  const render = renderLoaded ?? use(renderModule);
  const templates = useMemo(() => view.templates.map((template) => render.compileAnkiTemplate(template)), [render, view.templates]);
  const fields = useMemo(() => new Map(view.fields.map((field) => [field.name, field.value])), [view.fields]);
  const card = useMemo(() => {
    const template = templates[view.cloze ? 0 : ord] ?? templates[0];
    return template ? render.renderAnkiCard({ template, fields, ord, cloze: view.cloze, tags, notetype: view.name, deck }, t) : null;
  }, [render, templates, fields, ord, view.cloze, view.name, tags, deck, t]);
  const raw = card ? (side === 'answer' ? card.answer : card.question) : '';
  // Safe: the sanitizer's output (src/render/sanitize.ts), with only the type-answer box allowed beyond a Markdown card's.
  const html = useMemo(() => render.sanitizeAnkiCardHtml(render.renderAnkiMath(raw)), [render, raw]);
  const css = useMemo(() => render.scopeAnkiCss(view.css, { scope: view.scope }).css, [render, view.css, view.scope]);
  const classes = render.ankiCardClasses(view.scope, ord);
  const style = useRef<HTMLStyleElement>(null);
  useEffect(() => {
    if (style.current) style.current.textContent = css;
  }, [css]);
  const content = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (content.current) void resolveMedia(content.current, api);
  }, [html, api]);
  return (
    <div className={[classes.root, 'anki-card', className].filter(Boolean).join(' ')} data-testid={testId} data-side={side}>
      <style ref={style} />
      <div ref={content} className={classes.qa} dangerouslySetInnerHTML={{ __html: html }} />
    </div>
  );
}
