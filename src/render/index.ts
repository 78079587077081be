export { renderMarkdown, type RenderOptions } from './markdown';
export { renderDiagrams } from './diagrams';
export { sanitizeHtml, sanitizeSvg, isLocalMediaUrl, escapeHtml } from './sanitize';
