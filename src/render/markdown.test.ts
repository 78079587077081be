// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';
import { isLocalMediaUrl, sanitizeHtml, sanitizeSvg } from './sanitize';

/** Parses rendered HTML so assertions look at elements, not at substrings. */
function parse(html: string): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = html;
  return root;
}

describe('renderMarkdown', () => {
  it('renders inline and display math with KaTeX', () => {
    const root = parse(renderMarkdown('Memory grows as $O(L \\cdot d)$.\n\n$$\\mathrm{softmax}(QK^T)V$$'));
    const formulas = root.querySelectorAll('.katex');
    expect(formulas.length).toBe(2);
    expect(root.querySelector('.katex-display')).not.toBeNull();
    expect(root.querySelector('.katex-html')?.textContent).toContain('O');
    // The MathML copy for screen readers keeps the TeX source.
    expect(root.querySelector('annotation')?.textContent).toBe('O(L \\cdot d)');
  });

  it('closes emphasis before Korean particles', () => {
    const root = parse(renderMarkdown('값은 **GPU 전역 메모리(HBM)**에 보관합니다.'));
    expect(root.querySelector('strong')?.textContent).toBe('GPU 전역 메모리(HBM)');
  });

  it('shows a bad formula as an inline, escaped error and keeps the rest of the card', () => {
    const root = parse(renderMarkdown('before $\\frac{1}{<img src=x onerror=alert(1)>$ after'));
    const error = root.querySelector('.katex-error');
    expect(error).not.toBeNull();
    expect(error?.textContent).toMatch(/ParseError/);
    expect(root.querySelector('img')).toBeNull();
    expect(root.textContent).toContain('before');
    expect(root.textContent).toContain('after');
  });

  it('refuses KaTeX commands that could link or load (trust: false)', () => {
    const root = parse(renderMarkdown('$\\href{javascript:alert(1)}{x}$ $\\includegraphics{http://evil.example/x.png}$'));
    expect(root.querySelector('a')).toBeNull();
    expect(root.querySelector('img')).toBeNull();
  });

  it('strips script, event handlers and javascript: links from a hostile note', () => {
    const note = [
      '<script>window.canary = 1</script>',
      '<img src="x" onerror="window.canary = 2">',
      '[click](javascript:window.canary=3)',
      '[data](data:text/html,<script>alert(1)</script>)',
    ].join('\n\n');
    const root = parse(renderMarkdown(note));
    expect(root.querySelector('script')).toBeNull();
    expect(root.querySelector('[onerror]')).toBeNull();
    for (const link of root.querySelectorAll('a')) expect(link.getAttribute('href') ?? '').not.toMatch(/^(javascript|data):/i);
    // html: false — the raw tags are shown as text, so the user sees what the deck tried.
    expect(root.textContent).toContain('<script>');
  });

  it('sanitizes HTML fields: no handlers, no remote images, external links open outside', () => {
    const root = parse(
      sanitizeHtml(
        '<p onclick="x()">hi</p><img src="https://tracker.example/p.gif"><img src="data:image/png;base64,AAAA">' +
          '<img src="media/diagram.png"><a href="https://example.com/paper">paper</a><a href="/settings">local</a>' +
          '<svg><use href="https://evil.example/s.svg#x"></use><image href="http://evil.example/i.png"></image></svg>' +
          '<div style="background:url(https://evil.example/bg.png)">bg</div><iframe src="https://example.com"></iframe>',
      ),
    );
    expect(root.querySelector('[onclick]')).toBeNull();
    const sources = [...root.querySelectorAll('img')].map((img) => img.getAttribute('src'));
    expect(sources).toEqual([null, 'data:image/png;base64,AAAA', 'media/diagram.png']);
    const external = root.querySelector('a[href="https://example.com/paper"]');
    expect(external?.getAttribute('target')).toBe('_blank');
    expect(external?.getAttribute('rel')).toBe('noopener noreferrer');
    expect(root.querySelector('a[href="/settings"]')).toBeNull();
    expect(root.querySelector('use')).toBeNull();
    expect(root.querySelector('image')?.getAttribute('href') ?? null).toBeNull();
    expect(root.querySelector('[style]')).toBeNull();
    expect(root.querySelector('iframe')).toBeNull();
  });

  it('turns mermaid fences into diagram placeholders and hides prove blocks', () => {
    const root = parse(
      renderMarkdown('```mermaid\ngraph LR\n  A["<b>Q</b>"] --> B\n```\n\n```prove kv-cache-speed\n{"tokens": 256}\n```\n\n```ts\nconst x = 1;\n```'),
    );
    const diagram = root.querySelector('.mermaid-diagram .mermaid-source');
    expect(diagram?.textContent).toBe('graph LR\n  A["<b>Q</b>"] --> B\n');
    expect(root.querySelector('.mermaid-diagram b')).toBeNull();
    expect(root.textContent).not.toContain('kv-cache-speed');
    expect(root.querySelector('pre code.language-ts')?.textContent).toBe('const x = 1;\n');
  });

  it('keeps Mermaid SVG but drops script inside it', () => {
    const root = parse(
      sanitizeSvg(
        '<svg xmlns="http://www.w3.org/2000/svg"><style>.node{fill:#fff}</style><g class="node"><rect width="10" height="10"/>' +
          '<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml"><span>label</span></div></foreignObject></g>' +
          '<script>window.canary=1</script><a href="javascript:alert(1)"><text>t</text></a><rect onload="alert(1)"/></svg>',
      ),
    );
    expect(root.querySelector('svg rect')).not.toBeNull();
    expect(root.querySelector('style')?.textContent).toContain('.node');
    expect(root.textContent).toContain('label');
    expect(root.querySelector('script')).toBeNull();
    expect(root.querySelector('[onload]')).toBeNull();
    expect(root.querySelector('a')?.getAttribute('href') ?? null).toBeNull();
  });
});

describe('isLocalMediaUrl', () => {
  it('allows data images, blobs and relative paths only', () => {
    expect(isLocalMediaUrl('data:image/png;base64,AA')).toBe(true);
    expect(isLocalMediaUrl('blob:http://127.0.0.1/abc')).toBe(true);
    expect(isLocalMediaUrl('media/a b.png')).toBe(true);
    expect(isLocalMediaUrl('https://example.com/a.png')).toBe(false);
    expect(isLocalMediaUrl('//example.com/a.png')).toBe(false);
    expect(isLocalMediaUrl('file:///etc/passwd')).toBe(false);
    expect(isLocalMediaUrl('javascript:alert(1)')).toBe(false);
    expect(isLocalMediaUrl('data:text/html,<b>')).toBe(false);
  });
});
