import { describe, expect, it } from 'vitest';
import { questionText } from './question-text';

describe("the browser's question column", () => {
  it("shows a cloze card's own deletion as […] and the others as their text, not the markup", () => {
    const front = 'Scores {{c1::$S = QK^\\top$}} then {{c2::softmax::a normaliser}} per row';
    expect(questionText(front, 'c1')).toBe('Scores […] then softmax per row');
    expect(questionText(front, 'c2')).toBe('Scores $S = QK^\\top$ then [a normaliser] per row');
    expect(questionText(front, null)).toBe('Scores $S = QK^\\top$ then softmax per row');
  });

  it('collapses whitespace of a basic question', () => {
    expect(questionText('What is\n\n  attention?', null)).toBe('What is attention?');
  });
});
