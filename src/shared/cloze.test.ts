import { describe, expect, it } from 'vitest';
import { cardOrdinals, clozeNumbers, findClozes, nextClozeNumber, ordsRemovedByEdit } from './cloze';

describe('cloze deletions', () => {
  it('finds content and hint, keeping TeX braces and skipping unterminated markers', () => {
    const text = 'a {{c2::$\\frac{1}{x^{2}}$::a fraction}} b {{c1::plain}} {{c10::x}} {{c3::never closed';
    expect(findClozes(text).map((d) => [d.number, d.content, d.hint])).toEqual([
      [2, '$\\frac{1}{x^{2}}$', 'a fraction'],
      [1, 'plain', null],
      [10, 'x', null],
    ]);
    const [first] = findClozes(text);
    expect(text.slice(first.start, first.end)).toBe('{{c2::$\\frac{1}{x^{2}}$::a fraction}}');
    expect(findClozes('{{c0::zero}} {{cx::no}} {c1::single}')).toEqual([]);
  });

  it('gives one card per cloze number, and at least one', () => {
    expect(clozeNumbers('{{c3::a}} {{c1::b}} {{c3::c}}')).toEqual([1, 3]);
    expect(cardOrdinals('cloze', '{{c3::a}} {{c1::b}} {{c3::c}}')).toEqual([0, 2]);
    expect(cardOrdinals('cloze', 'no deletions')).toEqual([0]);
    expect(cardOrdinals('reversed', '{{c2::x}}')).toEqual([0, 1]);
    expect(cardOrdinals('basic', '{{c2::x}}')).toEqual([0]);
    expect(nextClozeNumber('{{c1::a}} {{c4::b}}')).toBe(5);
    expect(nextClozeNumber('none')).toBe(1);
  });

  it('says which cards an edit removes: vanished cloze numbers, the reversed side; never a basic note’s extra cards', () => {
    expect(ordsRemovedByEdit([0, 1, 2], { kind: 'cloze', front: '{{c1::a}} {{c3::c}}', previousKind: 'cloze' })).toEqual([1]);
    expect(ordsRemovedByEdit([0, 1], { kind: 'basic', front: 'x', previousKind: 'reversed' })).toEqual([1]);
    expect(ordsRemovedByEdit([0, 1, 2], { kind: 'basic', front: 'x', previousKind: 'basic' })).toEqual([]);
    expect(ordsRemovedByEdit([0], { kind: 'cloze', front: '{{c2::b}}', previousKind: 'basic' })).toEqual([0]);
  });
});
