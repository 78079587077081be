import type MarkdownIt from 'markdown-it';
import katex from 'katex';
import katexPluginModule from '@vscode/markdown-it-katex';
import { escapeHtml, sanitizeHtml } from './sanitize';
import { clozePlugin, rewriteBlockClozes, type ClozeEnv, type ClozeView } from './cloze';
import { createMarkdownParser } from '../shared/markdown-base';

type KatexPlugin = typeof katexPluginModule;
type Renderer = ReturnType<typeof MarkdownIt>;
// The plugin is CommonJS with an `exports.default`; bundlers unwrap it, Node's ESM loader does not.
const katexPlugin: KatexPlugin = (katexPluginModule as unknown as { default?: KatexPlugin }).default ?? katexPluginModule;

/** Class of the placeholder a ```mermaid fence becomes; `renderDiagrams` fills it. */
export const diagramClass = 'mermaid-diagram';
export const diagramSourceClass = 'mermaid-source';

function createRenderer(): Renderer {
  // Raw HTML shows as text; Korean emphasis closes before a particle (the parser the exporter uses too).
  const md = createMarkdownParser();
  md.use(clozePlugin);
  md.use(katexPlugin, {
    // The plugin ships its own older KaTeX; use the one whose CSS the app loads.
    katex,
    // With throwOnError the plugin catches KaTeX's error and prints its message escaped, inline,
    // where the formula was (instead of KaTeX's bare red source).
    throwOnError: true,
    // These go through to katex.renderToString: no \href/\url/\includegraphics, bounded macros.
    trust: false,
    strict: 'ignore',
    maxSize: 50,
    maxExpand: 1000,
  } as Parameters<KatexPlugin>[1]);
  const defaultFence = md.renderer.rules.fence;
  md.renderer.rules.fence = (tokens, index, options, env, self) => {
    const token = tokens[index];
    const language = token.info.trim().split(/\s+/)[0]?.toLowerCase() ?? '';
    // ```prove blocks link the card to an experiment; the answer view shows that as Prove it.
    if (language === 'prove') return '';
    if (language === 'mermaid') {
      return `<div class="${diagramClass}"><pre class="${diagramSourceClass}">${escapeHtml(token.content)}</pre></div>\n`;
    }
    return defaultFence ? defaultFence(tokens, index, options, env, self) : self.renderToken(tokens, index, options);
  };
  return md;
}

let renderer: Renderer | null = null;

/** How a field is shown: `cloze` on a cloze card's text (which deletion it asks, and whether the answer shows). */
export interface RenderOptions {
  cloze?: ClozeView;
}

/**
 * Renders a card's Markdown to sanitized HTML: KaTeX math (`$…$`, `$$…$$`; a bad formula shows
 * its error inline), ```mermaid fences as placeholders for `renderDiagrams`, ```prove blocks
 * hidden, cloze deletions (src/render/cloze.ts), and everything through the sanitizer.
 */
export function renderMarkdown(source: string, options: RenderOptions = {}): string {
  renderer ??= createRenderer();
  const env = { cloze: options.cloze } satisfies ClozeEnv;
  return sanitizeHtml(renderer.render(rewriteBlockClozes(source, options.cloze), env));
}
