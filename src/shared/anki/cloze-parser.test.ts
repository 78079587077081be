import { describe, expect, it } from 'vitest';
import { ankiClozeNumbers, clozeFilter, extractClozeForTyping, revealClozeText, revealClozeTextOnly } from './cloze-parser';
import { encodeAttribute, stripHtml } from './html-text';

// Expected values are Anki's own, from the tests in rslib/src/cloze.rs.
const numbers = (text: string) => [...ankiClozeNumbers(text)].sort((a, b) => a - b);
const shown = (text: string, ordinal: number, question: boolean) => stripHtml(revealClozeText(text, ordinal, question));

describe("Anki's cloze parser (port of cloze.rs)", () => {
  it('finds the cloze numbers a field makes cards for', () => {
    expect(numbers('test')).toEqual([]);
    expect(numbers('{{c2::te}}{{c1::s}}t{{')).toEqual([1, 2]);
    expect(numbers('{{c0::te}}s{{c2::t}}s')).toEqual([2]);
    expect(numbers('{{c1,2,3::multi}}')).toEqual([1, 2, 3]);
    expect(numbers('{{c1,1,2::test}}')).toEqual([1, 2]);
    expect(numbers('{{c0,1,2::test}}')).toEqual([1, 2]);
    expect(numbers('{{c1,,3::test}}')).toEqual([1, 3]);
    expect(numbers('{{c2::te{{c1::s}}}}t{{')).toEqual([1, 2]);
    expect(numbers('öaöaöööaö')).toEqual([]);
  });

  it('writes Anki’s markup for nested deletions, byte for byte', () => {
    expect(revealClozeText('foo {{c1::bar {{c2::baz}}}}', 1, true)).toBe(
      `foo <span class="cloze" data-cloze="${encodeAttribute('bar <span class="cloze-inactive" data-ordinal="2">baz</span>')}" data-ordinal="1">[...]</span>`,
    );
    expect(revealClozeText('foo {{c1::bar {{c2::baz}}}}', 1, false)).toBe(
      'foo <span class="cloze" data-ordinal="1">bar <span class="cloze-inactive" data-ordinal="2">baz</span></span>',
    );
    expect(revealClozeText('foo {{c1::bar {{c2::baz}}::qux}}', 2, true)).toBe(
      'foo <span class="cloze-inactive" data-ordinal="1">bar <span class="cloze" data-cloze="baz" data-ordinal="2">[...]</span></span>',
    );
    expect(revealClozeText('foo {{c1::bar {{c2::baz}}::qux}}', 2, false)).toBe(
      'foo <span class="cloze-inactive" data-ordinal="1">bar <span class="cloze" data-ordinal="2">baz</span></span>',
    );
  });

  it('shows hints, nested and multi-card deletions as Anki does', () => {
    expect(shown('foo {{c1::bar {{c2::baz}}}}', 1, true)).toBe('foo [...]');
    expect(shown('foo {{c1::bar {{c2::baz}}}}', 1, false)).toBe('foo bar baz');
    expect(shown('foo {{c1::bar {{c2::baz}}::qux}}', 2, true)).toBe('foo bar [...]');
    expect(shown('foo {{c1::bar {{c2::baz}}::qux}}', 1, true)).toBe('foo [qux]');
    const multi = '{{c1,2::shared}} word and {{c1::first}} vs {{c2::second}}';
    expect(shown(multi, 1, true)).toBe('[...] word and [...] vs second');
    expect(shown(multi, 2, true)).toBe('[...] word and first vs [...]');
    expect(shown(multi, 2, false)).toBe('shared word and first vs second');
    expect(shown('{{c1,2::answer::hint}}', 2, true)).toBe('[hint]');
    expect(shown('{{c1,2::outer {{c3::inner}}}}', 3, true)).toBe('outer [...]');
    expect(shown('{{c1::outer {{c1::inner}}}}', 1, true)).toBe('[...]');
    expect(revealClozeText('{{c1,2,3::multi}}', 3, true)).toContain('data-ordinal="1,2,3"');
  });

  it('is blank for a card whose number the field lacks (the cloze filter’s rule)', () => {
    const text = '{{c1::one}} {{c2::two::hint}}';
    expect(revealClozeText(text, 3, true)).toBe('');
    expect(clozeFilter(text, 1, true)).toBe(
      '<span class="cloze" data-cloze="one" data-ordinal="1">[...]</span> <span class="cloze-inactive" data-ordinal="2">two</span>',
    );
    expect(stripHtml(clozeFilter(text, 2, true))).toBe('one [hint]');
    expect(stripHtml(clozeFilter(text, 2, false))).toBe('one two');
  });

  it('closes a deletion at the first }}: TeX braces break it, and an unclosed one disappears', () => {
    // The README's example, as a user would type it in Anki: c1 ends inside the fraction.
    expect(shown('{{c1::\\(\\frac{1}{x^{2}}\\)}}', 1, false)).toBe('\\(\\frac{1}{x^{2\\)}}');
    expect(shown('{{c1::\\(\\frac{1}{x^{2}}\\)}}', 1, true)).toBe('[...]\\)}}');
    expect(shown('before {{c1::never closed', 1, false)).toBe('');
    expect(shown('{{c1::std::vector}} is a container', 1, true)).toBe('[vector] is a container');
  });

  it('strips tags inside MathJax so a deletion there keeps the formula whole', () => {
    expect(clozeFilter('\\(x = {{c1::2}}\\)', 1, true)).toBe('\\(x = [...]\\)');
    expect(clozeFilter('\\(x = {{c1::2}}\\) &lt;', 1, false)).toBe('\\(x = 2\\) &lt;');
  });

  it('gives the cloze-only and typing texts', () => {
    expect(revealClozeTextOnly('foo', 1, true)).toBe('');
    expect(revealClozeTextOnly('foo {{c1::bar}}', 1, true)).toBe('...');
    expect(revealClozeTextOnly('foo {{c1::bar::baz}}', 1, true)).toBe('baz');
    expect(revealClozeTextOnly('{{c1::foo}} {{c1::bar}}', 1, false)).toBe('foo, bar');
    expect(revealClozeTextOnly('{{c1,2::shared}} and {{c1::first}} vs {{c2::second}}', 2, false)).toBe('shared, second');
    expect(extractClozeForTyping('{{c2::foo}}', 1)).toBe('');
    expect(extractClozeForTyping('{{c1::foo}} {{c1::bar}} {{c1::foo}}', 1)).toBe('foo, bar, foo');
    expect(extractClozeForTyping('{{c1::foo}} {{c1::foo}} {{c1::foo}}', 1)).toBe('foo');
  });
});
