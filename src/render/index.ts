export { renderMarkdown, type RenderOptions } from './markdown';
export { renderDiagrams } from './diagrams';
export { sanitizeHtml, sanitizeSvg, sanitizeAnkiCardHtml, isLocalMediaUrl, escapeHtml } from './sanitize';
export { compileAnkiTemplate, renderAnkiCard, ankiCardOrdinals, type CompiledTemplate, type AnkiCardRequest, type RenderedAnkiCard } from './anki-template';
export { renderAnkiMath } from './anki-math';
export { scopeAnkiCss, ankiCardClasses, ankiCssMediaNames, type ScopedCss } from './anki-css';
