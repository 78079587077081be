import { diagramClass, diagramSourceClass } from './markdown';
import { escapeHtml, sanitizeSvg } from './sanitize';

type Mermaid = (typeof import('mermaid'))['default'];

/** Mermaid is large: loaded the first time a card has a diagram. */
let mermaidModule: Promise<Mermaid> | null = null;
let configuredTheme: string | null = null;
let sequence = 0;
/** Mermaid keeps global state while rendering: one diagram at a time. */
let queue: Promise<unknown> = Promise.resolve();

async function loadMermaid(theme: 'light' | 'dark'): Promise<Mermaid> {
  mermaidModule ??= import('mermaid').then((module) => module.default);
  const mermaid = await mermaidModule;
  if (configuredTheme !== theme) {
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: theme === 'dark' ? 'dark' : 'neutral',
      fontFamily: 'var(--font-sans)',
      flowchart: { useMaxWidth: true },
    });
    configuredTheme = theme;
  }
  return mermaid;
}

const renderedClass = 'mermaid-rendered';

/**
 * Renders every diagram placeholder under `root` (from `renderMarkdown`) as sanitized SVG in the
 * given theme. A diagram that does not parse shows Mermaid's message, escaped, in its place.
 * Safe to call again (after a theme change): each placeholder keeps its source.
 */
export function renderDiagrams(root: HTMLElement, theme: 'light' | 'dark'): Promise<void> {
  const placeholders = [...root.querySelectorAll<HTMLElement>(`.${diagramClass}`)];
  if (placeholders.length === 0) return Promise.resolve();
  const job = queue.then(async () => {
    const mermaid = await loadMermaid(theme);
    for (const placeholder of placeholders) {
      if (!placeholder.isConnected) continue;
      const source = placeholder.querySelector(`.${diagramSourceClass}`)?.textContent ?? '';
      let output = placeholder.querySelector<HTMLElement>(`.${renderedClass}`);
      if (!output) {
        output = document.createElement('div');
        output.className = renderedClass;
        placeholder.append(output);
      }
      const id = `proofdeck-diagram-${++sequence}`;
      try {
        const { svg } = await mermaid.render(id, source);
        output.innerHTML = sanitizeSvg(svg);
        placeholder.dataset.state = 'rendered';
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        output.innerHTML = `<div class="render-error" role="note">Mermaid: ${escapeHtml(message)}</div>`;
        placeholder.dataset.state = 'error';
        // Mermaid can leave its scratch element behind when parsing fails.
        document.getElementById(id)?.remove();
        document.getElementById(`d${id}`)?.remove();
      }
    }
  });
  queue = job.catch(() => undefined);
  return job;
}
