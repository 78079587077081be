export { renderMarkdown } from './markdown';
export { renderDiagrams } from './diagrams';
export { sanitizeHtml, sanitizeSvg, isLocalMediaUrl, escapeHtml } from './sanitize';
