import { describe, expect, it } from 'vitest';
import { compareAnswer, diffTokens, stripExpected, type DiffToken } from './type-answer';
import { opcodes } from './sequence-matcher';

const good = (text: string): DiffToken => ({ kind: 'good', text });
const bad = (text: string): DiffToken => ({ kind: 'bad', text });
const missed = (text: string): DiffToken => ({ kind: 'missed', text });
/** typeanswer.rs `Diff::new(expected, typed).to_tokens()`: both in NFC, by character. */
const tokens = (expected: string, typed: string) => diffTokens(Array.from(typed.normalize('NFC')), Array.from(expected.normalize('NFC')));

// Cases from the tests in rslib/src/typeanswer.rs (ankitects/anki, c32cb2913d).
describe("Anki's type-answer comparison", () => {
  it('marks typed and expected runs as Anki does', () => {
    const output = tokens('¿Y ahora qué vamos a hacer?', 'y ahora qe vamosa hacer');
    expect(output.typed).toEqual([bad('y'), good(' ahora q'), bad('e'), good(' vamos'), missed('-'), good('a hacer'), missed('-')]);
    expect(output.expected).toEqual([missed('¿Y'), good(' ahora q'), missed('ué'), good(' vamos'), missed(' '), good('a hacer'), missed('?')]);
  });

  it('strips sound tags and HTML from the expected answer, keeping the spaces', () => {
    const stripped = stripExpected('[sound:foo.mp3]<b>1</b> &nbsp;2');
    expect(tokens(stripped, '1  2').expected).toEqual([good('1  2')]);
    expect(stripExpected('<div>123</div>')).toBe('123');
    expect(stripExpected('one<br>two<div>three</div>\n[anki:tts lang=en_US]four[/anki:tts]')).toBe('one two three');
  });

  it('shows missed characters in the typed line only after a good run', () => {
    expect(tokens('1', '23').typed).toEqual([bad('23')]);
    expect(tokens('12', '1').typed).toEqual([good('1'), missed('-')]);
  });

  it('counts missed characters by character (Cyrillic)', () => {
    expect(tokens('нос', 'нс').typed).toEqual([good('н'), missed('-'), good('с')]);
  });

  it('compares Korean syllable by syllable', () => {
    expect(tokens('쓰다듬다', '스다뜸다').typed).toEqual([bad('스'), good('다'), bad('뜸'), good('다')]);
    // Hangul typed decomposed (NFD jamo, as some keyboards send it) is the same answer once in NFC.
    expect(compareAnswer('한국어', '한국어'.normalize('NFD'))).toBe('<code id=typeans><span class=typeGood>한국어</span></code>');
    expect(compareAnswer('메모리 대역폭', '메모리 대역쪽')).toBe(
      '<code id=typeans><span class=typeGood>메모리 대역</span><span class=typeBad>쪽</span><br><span id=typearrow>&darr;</span><br><span class=typeGood>메모리 대역</span><span class=typeMissed>폭</span></code>',
    );
  });

  it('does not fail on long mixed-script answers', () => {
    const output = tokens('Сущность должна быть ответственна только за одно дело', 'Single responsibility Сущность выполняет только одну задачу.Повод для изменения сущности только один.');
    expect(output.typed.map((token) => token.text).join('')).toContain('Single responsibility');
  });

  it('writes the HTML Anki writes', () => {
    expect(compareAnswer('<div>123</div>', '123')).toBe('<code id=typeans><span class=typeGood>123</span></code>');
    expect(compareAnswer('<div>123</div>', '')).toBe('<code id=typeans>123</code>');
    expect(compareAnswer('source &lt;dir&gt;/bin/activate', 'source <dir>/bin/activate')).toBe(
      '<code id=typeans><span class=typeGood>source &lt;dir&gt;/bin/activate</span></code>',
    );
    expect(compareAnswer('123', '1123')).toBe(
      '<code id=typeans><span class=typeBad>1</span><span class=typeGood>123</span><br><span id=typearrow>&darr;</span><br><span class=typeGood>123</span></code>',
    );
    // Typed markup is text: escaped, never HTML.
    expect(compareAnswer('z', '<img src=x onerror=alert(1)>')).toContain('<span class=typeBad>&lt;img src=x onerror=alert(1)&gt;</span>');
  });

  it('leaves combining marks out of a {{type:nc:…}} comparison but shows them on the expected line', () => {
    expect(compareAnswer('שִׁנּוּן', 'שנון', false)).toBe('<code id=typeans><span class=typeGood>שִׁנּוּן</span></code>');
    expect(compareAnswer('חוֹף', 'חופ', false)).toBe(
      '<code id=typeans><span class=typeGood>חו</span><span class=typeBad>פ</span><br><span id=typearrow>&darr;</span><br><span class=typeGood>חוֹ</span><span class=typeMissed>ף</span></code>',
    );
    expect(compareAnswer('ば', 'は', false)).toBe('<code id=typeans><span class=typeGood>ば</span></code>');
    // With marks compared (the default), the same answer is wrong.
    expect(compareAnswer('ば', 'は')).toContain('typeBad');
  });

  it('puts a no-break space before a span that starts with a combining mark', () => {
    // Typed "e" + U+0301 (not NFC-composable after "x"): the mark starts its own run.
    const html = compareAnswer('xe', 'x\u0301e');
    expect(html).toContain('<span class=typeBad>\u00a0\u0301</span>');
  });
});

// Python's difflib (which the crate ports) on these pairs; popular items count from 200 items on.
describe('SequenceMatcher', () => {
  const codes = (a: string, b: string) => opcodes(Array.from(a), Array.from(b)).map((op) => [op.tag, op.aStart, op.aEnd, op.bStart, op.bEnd]);
  it('finds the opcodes Python finds', () => {
    expect(codes('qabxcd', 'abycdf')).toEqual([
      ['delete', 0, 1, 0, 0],
      ['equal', 1, 3, 0, 2],
      ['replace', 3, 4, 2, 3],
      ['equal', 4, 6, 3, 5],
      ['insert', 6, 6, 5, 6],
    ]);
    expect(codes('', '')).toEqual([]);
    expect(codes('abc', '')).toEqual([['delete', 0, 3, 0, 0]]);
  });

  it('ignores popular characters of a long expected answer when looking for a match', () => {
    // 300 characters, "a" in more than 1% + 1 of them: matches start at other characters only.
    const b = 'ab'.repeat(150);
    expect(codes('xaaay', b)).toEqual([
      ['replace', 0, 5, 0, 300],
    ]);
  });
});
