import { useEffect, useMemo, useRef } from 'react';
import { renderDiagrams, renderMarkdown } from '../../render';
import { useApp } from '../AppContext';

interface MarkdownProps {
  source: string;
  className?: string;
  testId?: string;
  /** Language of the content, so Korean line-breaking rules apply to Korean cards. */
  lang?: string;
}

/**
 * A card field: Markdown rendered and sanitized by src/render, then its Mermaid diagrams drawn
 * in the current theme (again whenever the theme changes).
 */
export function Markdown({ source, className, testId, lang }: MarkdownProps) {
  const { theme } = useApp();
  const html = useMemo(() => renderMarkdown(source), [source]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) void renderDiagrams(ref.current, theme);
  }, [html, theme]);
  return (
    <div
      ref={ref}
      lang={lang}
      className={['markdown', className].filter(Boolean).join(' ')}
      data-testid={testId}
      // Safe: renderMarkdown's output went through DOMPurify (src/render/sanitize.ts).
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
