import { useEffect, useMemo, useRef } from 'react';
import { renderDiagrams, renderMarkdown } from '../../render';
import { useApp } from '../AppContext';

interface MarkdownProps {
  source: string;
  className?: string;
  testId?: string;
}

/** Cards are Korean or English whatever the UI language; Hangul in the text marks it Korean (fonts, line breaks). */
function contentLanguage(source: string): string {
  return /[\u3131-\u318e\uac00-\ud7a3]/.test(source) ? 'ko' : 'en';
}

/**
 * A card field: Markdown rendered and sanitized by src/render, then its Mermaid diagrams drawn
 * in the current theme (again whenever the theme changes).
 */
export function Markdown({ source, className, testId }: MarkdownProps) {
  const { theme } = useApp();
  const html = useMemo(() => renderMarkdown(source), [source]);
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (ref.current) void renderDiagrams(ref.current, theme);
  }, [html, theme]);
  return (
    <div
      ref={ref}
      lang={contentLanguage(source)}
      className={['markdown', className].filter(Boolean).join(' ')}
      data-testid={testId}
      // Safe: renderMarkdown's output went through DOMPurify (src/render/sanitize.ts).
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
