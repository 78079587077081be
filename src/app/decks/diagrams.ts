import { renderDiagrams, renderMarkdown } from '../../render';

/**
 * Renders Mermaid sources to SVG strings in this (Chromium) page, for an .apkg export: the main
 * process has no DOM. Uses the card renderer (strict Mermaid, sanitized SVG) in an off-screen
 * container; a diagram that fails to render is left out (it is exported as its source).
 */
export async function renderDiagramsToSvg(sources: string[]): Promise<{ source: string; svg: string }[]> {
  const results: { source: string; svg: string }[] = [];
  const host = document.createElement('div');
  host.setAttribute('aria-hidden', 'true');
  host.style.cssText = 'position:fixed;left:-10000px;top:0;width:800px;visibility:hidden';
  document.body.append(host);
  try {
    for (const source of sources) {
      host.innerHTML = renderMarkdown('```mermaid\n' + source + '```\n');
      await renderDiagrams(host, 'light');
      const svg = host.querySelector('.mermaid-rendered svg');
      if (svg) {
        if (!svg.getAttribute('xmlns')) svg.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
        results.push({ source, svg: svg.outerHTML });
      }
    }
  } finally {
    host.remove();
  }
  return results;
}
