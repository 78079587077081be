import katex from 'katex';

/**
 * Content checks shared by the tests of the built-in decks: what a candidate would otherwise
 * memorise wrong or see broken (a formula KaTeX refuses, a diagram Mermaid cannot parse, an
 * answer with no source).
 */

/** The experiments of the first deck (kv-flash), in the catalog since the first release. */
export const firstExperimentIds = ['kv-cache-speed', 'kv-cache-memory', 'flash-vs-naive', 'flash-exact', 'flash-backward', 'kv-flash-synergy'] as const;

/** The experiments of the llm-serving deck, one per topic, in the deck's section order. */
export const servingExperimentIds = [
  'prefill-decode-batching',
  'gqa-mqa',
  'paged-attention',
  'kv-quantization',
  'rope-relative',
  'speculative-decoding',
  'online-softmax',
] as const;

/** Every experiment id a built-in card may name in its ```prove block. */
export const builtinExperimentIds: readonly string[] = [...firstExperimentIds, ...servingExperimentIds];

/**
 * Sentences that place the KV-cache in SRAM: the slip the seed note makes ("GPU 메모리(SRAM)에
 * 저장"). A sentence that says "not SRAM" is the correction, not the slip.
 */
export function sramSlips(text: string): string[] {
  const sentences = text.split(/(?<=[.!?。])\s+|\n+/);
  return sentences.filter((sentence) => {
    if (!/SRAM/.test(sentence) || !/(KV|캐시|cache|Key|Value|K, V)/i.test(sentence)) return false;
    if (/(아니라|아닙니다|아님|not in SRAM|not SRAM|, not in|misconception|오해)/i.test(sentence)) return false;
    return /(메모리\(SRAM\)|SRAM\)?에 (저장|보관|캐시)|(stored|kept|cached|lives?|resides?|held) (in|on) (the )?(on-chip )?(GPU )?(memory \()?SRAM)/i.test(sentence);
  });
}

/** Every `$…$` and `$$…$$` formula of a Markdown file, outside code. */
export function formulasOf(markdown: string): { tex: string; display: boolean }[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\$\$([\s\S]+?)\$\$|\$([^$\n]+?)\$/g)].map((match) => ({ tex: match[1] ?? match[2], display: match[1] !== undefined }));
}

/** Renders a formula the way the card renderer's KaTeX does; throws on a formula KaTeX refuses. */
export function renderFormula(formula: { tex: string; display: boolean }): string {
  return katex.renderToString(formula.tex, { throwOnError: true, displayMode: formula.display });
}

/** What a reader would see as broken math in rendered HTML: KaTeX's inline error, or a `$` left in the text. */
export function mathProblems(html: string): string[] {
  const text = html.replace(/<pre[\s\S]*?<\/pre>/g, '').replace(/<annotation[\s\S]*?<\/annotation>/g, '');
  return [...(html.match(/katex-error/g) ?? []), ...(text.match(/\$[^<]{0,30}/g) ?? [])];
}

/**
 * The app's own card renderer. It belongs to the web project (tsconfig.web.json); loaded by path,
 * a Node-side test still checks a deck with exactly what the review screen runs.
 */
export async function cardRenderer(): Promise<(source: string) => string> {
  const rendererPath = '../../../src/render/markdown';
  const { renderMarkdown } = (await import(/* @vite-ignore */ rendererPath)) as { renderMarkdown(source: string): string };
  return renderMarkdown;
}

/** The last paragraph of an answer: where a built-in card names its source. */
export function sourceLineOf(back: string): string {
  return back.trim().split(/\n\s*\n/).at(-1)!.trim();
}

/** The ```mermaid diagrams of an answer. */
export function diagramsOf(back: string): string[] {
  return [...back.matchAll(/```mermaid\n([\s\S]*?)\n```/g)].map((match) => match[1]);
}
