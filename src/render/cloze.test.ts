// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdown } from './markdown';

function parse(html: string): HTMLElement {
  const root = document.createElement('div');
  root.innerHTML = html;
  return root;
}

const note = 'Attention costs {{c1::$O(N^2)$}} time and {{c2::**linear**::memory?}} memory with Flash-Attention.';

describe('cloze rendering', () => {
  it('hides the active deletion on the question and shows the others as text, math rendered', () => {
    const c1 = parse(renderMarkdown(note, { cloze: { number: 1, reveal: false } }));
    expect(c1.querySelector('.cloze-blank')?.textContent).toBe('[…]');
    expect(c1.querySelector('.katex')).toBeNull();
    expect(c1.textContent).not.toContain('{{');
    expect(c1.querySelector('.cloze-text strong')?.textContent).toBe('linear');
    const c2 = parse(renderMarkdown(note, { cloze: { number: 2, reveal: false } }));
    expect(c2.querySelector('.cloze-blank')?.textContent).toBe('[memory?]');
    expect(c2.querySelector('.cloze-text .katex')).not.toBeNull();
    expect(c2.querySelector('annotation')?.textContent).toBe('O(N^2)');
    expect(c2.textContent).not.toContain('linear');
  });

  it('highlights the active deletion on the answer, its math rendered', () => {
    const root = parse(renderMarkdown(note, { cloze: { number: 1, reveal: true } }));
    const mark = root.querySelector('mark.cloze');
    expect(mark?.querySelector('.katex annotation')?.textContent).toBe('O(N^2)');
    expect(root.querySelectorAll('mark').length).toBe(1);
    expect(root.querySelector('.cloze-blank')).toBeNull();
    expect(root.textContent).toContain('linear');
  });

  it('shows every deletion as text outside a cloze card, with TeX braces kept', () => {
    const root = parse(renderMarkdown('{{c1::$\\frac{1}{x^{2}}$}} and {{c2::b}}'));
    expect(root.querySelector('annotation')?.textContent).toBe('\\frac{1}{x^{2}}');
    expect(root.querySelectorAll('.cloze-text').length).toBe(2);
    expect(root.textContent).not.toContain('{{');
  });

  it('handles a deletion inside a formula, as Anki users write them', () => {
    const question = parse(renderMarkdown('$E = {{c1::mc^2}}$', { cloze: { number: 1, reveal: false } }));
    expect(question.querySelector('annotation')?.textContent).toBe('E = [\\dots]');
    const answer = parse(renderMarkdown('$E = {{c1::mc^2}}$', { cloze: { number: 1, reveal: true } }));
    expect(answer.querySelector('annotation')?.textContent).toContain('mc^2');
  });

  it('never shows a deletion that spans paragraphs or a list on its question', () => {
    const source = 'Steps:\n\n{{c1::first paragraph\n\n- a list item::the steps}}\n\nand {{c2::two}}.';
    const question = parse(renderMarkdown(source, { cloze: { number: 1, reveal: false } }));
    expect(question.querySelector('.cloze-blank')?.textContent).toBe('[the steps]');
    expect(question.textContent).not.toContain('first paragraph');
    expect(question.textContent).not.toContain('{{');
    const answer = parse(renderMarkdown(source, { cloze: { number: 1, reveal: true } }));
    expect(answer.querySelector('li')?.textContent).toBe('a list item');
    expect(answer.textContent).toContain('first paragraph');
    const other = parse(renderMarkdown(source, { cloze: { number: 2, reveal: false } }));
    expect(other.querySelector('li')?.textContent).toBe('a list item');
    expect(other.querySelector('.cloze-blank')?.textContent).toBe('[…]');
  });

  it('keeps deletions sanitized: markup in a deletion or hint is text', () => {
    const root = parse(renderMarkdown('{{c1::<img src=x onerror=alert(1)>::<b>hint</b>}}', { cloze: { number: 1, reveal: false } }));
    expect(root.querySelector('img')).toBeNull();
    expect(root.querySelector('b')).toBeNull();
    expect(root.querySelector('.cloze-blank')?.textContent).toBe('[<b>hint</b>]');
    const answer = parse(renderMarkdown('{{c1::<img src=x onerror=alert(1)>}}', { cloze: { number: 1, reveal: true } }));
    expect(answer.querySelector('img')).toBeNull();
    expect(answer.querySelector('mark')?.textContent).toContain('<img');
  });
});
