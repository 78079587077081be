// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderAnkiMath } from './anki-math';
import { compileAnkiTemplate, renderAnkiCard } from './anki-template';
import { sanitizeAnkiCardHtml } from './sanitize';

const parse = (html: string) => {
  const root = document.createElement('div');
  root.innerHTML = sanitizeAnkiCardHtml(renderAnkiMath(html));
  return root;
};
const annotations = (root: HTMLElement) => [...root.querySelectorAll('annotation')].map((a) => a.textContent);

describe('Anki MathJax drawn with KaTeX', () => {
  it('renders inline and display formulas, entities decoded and line breaks allowed', () => {
    const root = parse('area \\(105\\,\\mathrm{km}^2\\) and \\[a &lt; b<br>+ c\\]');
    expect(annotations(root)).toEqual(['105\\,\\mathrm{km}^2', 'a < b\n+ c']);
    expect(root.querySelector('.katex-display')).not.toBeNull();
    expect(root.textContent).toContain('area');
  });

  it('leaves code, attributes and formulas broken by other tags alone, as MathJax does', () => {
    const root = parse('<code>\\(x\\)</code> <span title="\\(y\\)">t</span> \\(a<b>b</b>\\)');
    expect(root.querySelector('.katex')).toBeNull();
    expect(root.querySelector('code')?.textContent).toBe('\\(x\\)');
    expect(root.querySelector('span')?.getAttribute('title')).toBe('\\(y\\)');
  });

  it('shows a formula KaTeX cannot read as its error, inline and escaped', () => {
    const root = parse('before \\(\\frac{1}{&lt;img src=x onerror=alert(1)&gt;\\) \\(\\href{javascript:alert(1)}{x}\\) after');
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('.katex-error')?.textContent).toMatch(/^KaTeX parse error: .*alert\(1\)>$/);
    expect(root.querySelector('a')).toBeNull();
    expect(root.textContent).toContain('before');
    expect(root.textContent).toContain('after');
  });

  it('draws a cloze inside a formula with the formula whole, on both sides', () => {
    const template = compileAnkiTemplate({ name: 'Cloze', front: '{{cloze:Text}}', back: '{{cloze:Text}}' });
    const fields = { Text: 'Energy: \\(E = {{c1::mc^2}}\\)' };
    const card = renderAnkiCard({ template, fields, ord: 0, cloze: true });
    expect(annotations(parse(card.question))).toEqual(['E = [...]']);
    expect(annotations(parse(card.answer))).toEqual(['E = mc^2']);
  });
});
