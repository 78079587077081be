import { diagramClass, diagramSourceClass } from './markdown';
import { escapeHtml, sanitizeSvg } from './sanitize';

type Mermaid = (typeof import('mermaid'))['default'];

/** Mermaid is large: loaded the first time a card has a diagram. */
let mermaidModule: Promise<Mermaid> | null = null;
let configuredTheme: string | null = null;
let sequence = 0;
/** Mermaid keeps global state while rendering: one diagram at a time. */
let queue: Promise<unknown> = Promise.resolve();

/**
 * The page's own font stack, resolved: Mermaid measures each label with it, and a `var(...)` it
 * cannot resolve measures in another font than the one drawn, which clips labels ("compute O = PV").
 */
function pageFont(): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue('--font-sans').trim();
  return value || 'sans-serif';
}

async function loadMermaid(theme: 'light' | 'dark'): Promise<Mermaid> {
  mermaidModule ??= import('mermaid').then((module) => module.default);
  const mermaid = await mermaidModule;
  const font = pageFont();
  const key = `${theme} ${font}`;
  if (configuredTheme !== key) {
    mermaid.initialize({
      startOnLoad: false,
      securityLevel: 'strict',
      theme: theme === 'dark' ? 'dark' : 'neutral',
      fontFamily: font,
      themeVariables: { fontFamily: font },
      flowchart: { useMaxWidth: true, padding: 12 },
    });
    configuredTheme = key;
  }
  return mermaid;
}

/** Relative luminance of a #rgb / #rrggbb colour, or null for anything else. */
export function luminance(color: string): number | null {
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(color.trim())?.[1];
  if (!hex) return null;
  const full = hex.length === 3 ? [...hex].map((c) => c + c).join('') : hex;
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(full.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.04045) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * A deck may colour a node (`style X fill:#ffcccc`); the dark theme draws its label light, white
 * on pale pink. Labels on a light fill are drawn dark, on a dark fill light, whatever the theme.
 */
function labelContrast(svgRoot: HTMLElement): void {
  for (const node of svgRoot.querySelectorAll<SVGGElement>('g.node')) {
    const shape = node.querySelector<SVGElement>('rect, polygon, circle, ellipse, path');
    const fill = /fill:\s*(#[0-9a-f]{3,6})/i.exec(shape?.getAttribute('style') ?? '')?.[1] ?? shape?.getAttribute('fill') ?? '';
    const light = luminance(fill);
    if (light === null) continue;
    const ink = light > 0.45 ? '#1d1e21' : '#f4f4f6';
    for (const label of node.querySelectorAll<HTMLElement | SVGElement>('.nodeLabel, .label, span, p, div')) label.style.color = ink;
    for (const text of node.querySelectorAll<SVGElement>('text, tspan')) text.style.fill = ink;
  }
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
        labelContrast(output);
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
