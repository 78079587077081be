import { describe, expect, it } from 'vitest';
import { createTranslator } from '../shared/i18n';
import { compileAnkiTemplate, renderAnkiCard, type AnkiCardRequest } from './anki-template';

function card(front: string, back: string, fields: Record<string, string>, extra: Partial<AnkiCardRequest> = {}) {
  return renderAnkiCard({ template: compileAnkiTemplate({ name: 'Card 1', front, back }), fields, ord: 0, cloze: false, ...extra });
}

// Cases follow the tests in rslib/src/template.rs and template_filters.rs (ankitects/anki 25.09).
describe('rendering cards', () => {
  const fields = { F: 'f', B: 'b', E: ' ', 'Word (한국어)': '단어', 'Back Extra': '<b>more</b>' };

  it('fills fields by their exact names, spaces and Hangul included', () => {
    expect(card('{{B}}A{{F}}', '', fields).question).toBe('bAf');
    expect(card('{{Word (한국어)}} / {{Back Extra}}', '', fields).question).toBe('단어 / <b>more</b>');
  });

  it('shows conditionals on non-empty fields (whitespace, <br> and <div> are empty)', () => {
    expect(card('{{#E}}A{{/E}}{{F}}', '', fields).question).toBe('f');
    expect(card('{{^E}}1{{#F}}2{{#B}}{{F}}{{/B}}{{/F}}{{/E}}', '', fields).question).toBe('12f');
    expect(card('{{#X}}x{{/X}}{{F}}', '', { ...fields, X: ' <br> <div></div>\n' }).question).toBe('f');
    expect(card('{{#X}}x{{/X}}{{F}}', '', { ...fields, X: '&nbsp;' }).question).toBe('xf');
    expect(card('{{#X}}x{{/X}}{{F}}', '', { ...fields, X: '<img src="a.png">' }).question).toBe('xf');
  });

  it('keeps comments as they are, template markers inside them untouched', () => {
    expect(card('{{^E}}1<!--{{#F}}2{{/F}}-->\u0123<!-- c -->{{/E}}\u0456{{F}}', '', fields).question).toBe('1<!--{{#F}}2{{/F}}-->\u0123<!-- c -->\u0456f');
  });

  it('is true on {{#c1}} only on card 1', () => {
    expect(card('{{^c2}}1{{#c1}}2{{/c1}}{{/c2}}{{F}}', '', fields).question).toBe('12f');
    expect(card('{{#c1}}one{{/c1}}{{#c2}}two{{/c2}}{{F}}', '', fields, { ord: 1 }).question).toBe('twof');
  });

  it('puts the rendered question in {{FrontSide}} on the answer, nothing on the question', () => {
    const rendered = card('{{FrontSide}}{{F}}', '{{FrontSide}}<hr id=answer>{{B}}', fields);
    expect(rendered.question).toBe('f');
    expect(rendered.answer).toBe('f<hr id=answer>b');
  });

  it('gives Anki’s special fields unless a note field has the name', () => {
    const rendered = card('{{F}} {{Tags}}|{{Type}}|{{Deck}}|{{Subdeck}}|{{Card}}|{{CardFlag}}', '', fields, {
      tags: ['vocab', 'R&D'],
      notetype: 'Basic',
      deck: 'English::Grade 7',
      flag: 2,
    });
    expect(rendered.question).toBe('f vocab R&amp;D|Basic|English::Grade 7|Grade 7|Card 1|flag2');
    expect(card('{{Tags}}', '', { Tags: 'mine' }, { tags: ['x'] }).question).toBe('mine');
  });

  it('applies text:, hint:, furigana filters and ignores tts and unknown ones', () => {
    const f = { F: '<b>bold</b> &amp; x', J: '日本[にほん] 語[ご]', Sound: 'x[sound:a.mp3]' };
    expect(card('{{text:F}}', '', f).question).toBe('bold & x');
    expect(card('{{kanji:J}}', '', f).question).toBe('日本語');
    expect(card('{{kana:J}}', '', f).question).toBe('にほんご');
    expect(card('{{furigana:J}}', '', f).question).toBe('<ruby><rb>日本</rb><rt>にほん</rt></ruby><ruby><rb>語</rb><rt>ご</rt></ruby>');
    expect(card('{{kana:Sound}}|', '', f).question).toContain('<audio class="anki-sound" controls preload="none" src="a.mp3"></audio>');
    expect(card('{{hint:F}}', '', f).question).toBe('<details class="hint"><summary class="hint">F</summary><div class="hint"><b>bold</b> &amp; x</div></details>');
    expect(card('[{{tts en_US voices=Apple_Samantha:F}}]{{F}}', '', f).question).toBe('[]<b>bold</b> &amp; x');
    expect(card('{{one:two:F}}', '', f).question).toBe('<b>bold</b> &amp; x');
    // "excess colons are ignored", and a known filter after an unknown one still applies.
    expect(card('{{one::text:F}}', '', f).question).toBe('bold & x');
    expect(card('{{text:mystery:F}}', '', f).question).toBe('bold & x');
    expect(card('{{filter:}}{{F}}', '', f).question).toBe('<b>bold</b> &amp; x');
  });

  it('shows {{type:Field}} as a text box on the question and the expected answer on the answer', () => {
    const rendered = card('{{Front}}\n{{type:Back}}', '{{FrontSide}}\n\n<hr id=answer>\n\n{{type:Back}}', { Front: 'der Hund', Back: 'the <b>dog</b>' });
    expect(rendered.question).toBe('der Hund\n<input type="text" id="typeans" class="typeans" aria-label="Type the answer" autocomplete="off" autocapitalize="off" spellcheck="false">');
    expect(rendered.answer).toBe('der Hund\n<hr id=answer><div class="typeans-answer"><code id=typeans>the dog</code></div>\n\n\n\n<hr id=answer><div class="typeans-answer"><code id=typeans>the dog</code></div>');
    expect(card('{{Front}}{{type:Gone}}', '', { Front: 'x' }).question).toContain('Found “{{type:Gone}}”, but there is no field called “Gone”');
    expect(card('{{Front}}{{type:Back}}', '{{type:Back}}', { Front: 'x', Back: '' })).toMatchObject({ question: 'x', answer: '' });
  });

  it('compares what was typed with the field on the answer, as Anki\'s reviewer does', () => {
    const template = compileAnkiTemplate({ name: 'Card 1', front: '{{Front}}<br>{{type:Back}}', back: '{{FrontSide}}<hr id=answer>{{Back}}' });
    const typeBack = compileAnkiTemplate({ name: 'Card 1', front: '{{Front}}<br>{{type:Back}}', back: '{{type:Back}}' });
    const answer = (typed: string) => renderAnkiCard({ template: typeBack, fields: { Front: '개', Back: 'the <b>dog</b>' }, ord: 0, cloze: false, typed }).answer;
    expect(answer('the dot')).toBe(
      '<div class="typeans-answer"><code id=typeans><span class=typeGood>the do</span><span class=typeBad>t</span><br><span id=typearrow>&darr;</span><br><span class=typeGood>the do</span><span class=typeMissed>g</span></code></div>',
    );
    expect(answer('the dog')).toBe('<div class="typeans-answer"><code id=typeans><span class=typeGood>the dog</span></code></div>');
    // Without {{type:}} on the back, {{FrontSide}} brings the question's marker, and the comparison goes after the answer rule.
    expect(renderAnkiCard({ template, fields: { Front: '개', Back: 'dog' }, ord: 0, cloze: false, typed: 'dog' }).answer).toBe(
      '개<br><hr id=answer><div class="typeans-answer"><code id=typeans><span class=typeGood>dog</span></code></div>dog',
    );
    // `type:nc:` compares without combining marks; `type:cloze:` the asked deletion only.
    const nc = renderAnkiCard({ template: compileAnkiTemplate({ name: 'C', front: '{{type:nc:Word}}', back: '{{type:nc:Word}}' }), fields: { Word: 'café' }, ord: 0, cloze: false, typed: 'cafe' });
    expect(nc.answer).toBe('<div class="typeans-answer"><code id=typeans><span class=typeGood>café</span></code></div>');
    const cloze = renderAnkiCard({ template: compileAnkiTemplate({ name: 'Cloze', front: '{{cloze:Text}}{{type:cloze:Text}}', back: '{{cloze:Text}}{{type:cloze:Text}}' }), fields: { Text: '{{c1::서울}} is in {{c2::Korea}}' }, ord: 0, cloze: true, typed: '서울' });
    expect(cloze.answer).toContain('<code id=typeans><span class=typeGood>서울</span></code>');
  });

  it('renders cloze cards: question, answer, hint, the same number twice, {{type:cloze:}}', () => {
    const text = '{{c1::Paris}} is the capital of {{c2::France::a country}}; {{c1::Lyon}} is not.';
    const cloze = (ord: number) =>
      renderAnkiCard({ template: compileAnkiTemplate({ name: 'Cloze', front: '{{cloze:Text}}{{type:cloze:Text}}', back: '{{cloze:Text}}<br>{{Back Extra}}' }), fields: { Text: text, 'Back Extra': 'x' }, ord, cloze: true });
    const first = cloze(0);
    expect(first.question).toBe(
      '<span class="cloze" data-cloze="Paris" data-ordinal="1">[...]</span> is the capital of <span class="cloze-inactive" data-ordinal="2">France</span>; <span class="cloze" data-cloze="Lyon" data-ordinal="1">[...]</span> is not.<input type="text" id="typeans" class="typeans" aria-label="Type the answer" autocomplete="off" autocapitalize="off" spellcheck="false">',
    );
    expect(first.answer).toBe('<span class="cloze" data-ordinal="1">Paris</span> is the capital of <span class="cloze-inactive" data-ordinal="2">France</span>; <span class="cloze" data-ordinal="1">Lyon</span> is not.<br>x');
    expect(cloze(1).question).toContain('<span class="cloze" data-cloze="France" data-ordinal="2">[a country]</span>');
    const missing = cloze(2);
    expect(missing.empty).toBe(true);
    expect(missing.answer).toContain('No cloze 3 found on card.');
  });

  it('says the front is blank, as Anki does, when the question shows no field', () => {
    const rendered = card('test{{E}}', '{{F}}', { E: '', F: 'x' });
    expect(rendered.empty).toBe(true);
    expect(rendered.question).toMatch(/^test<div>The front of this card is blank\./);
    expect(rendered.answer).toMatch(/^<div>The front of this card is blank\./);
  });

  it('shows a template mistake inline and escaped on both sides, in the user’s language', () => {
    const ko = createTranslator('ko');
    const rendered = renderAnkiCard({ template: compileAnkiTemplate({ name: 'C', front: '{{#Front}}<img src=x onerror=alert(1)>', back: '' }), fields: { Front: 'x' }, ord: 0, cloze: false }, ko);
    expect(rendered.error).toBe(true);
    expect(rendered.question).toBe(rendered.answer);
    expect(rendered.question).toContain('앞면 템플릿에 문제가 있습니다:');
    expect(rendered.question).toContain('“{{/Front}}”이(가) 없습니다');
    const unknown = card('{{foo:text:X}}', '', { F: 'f' });
    expect(unknown.question).toContain('Front template has a problem:<br>Found “{{foo:text:X}}”, but there is no field called “X”');
    const back = card('{{F}}', '{{#E}}{{^M}}A{{/M}}{{/E}}', { F: 'f', E: '' });
    expect(back.question).toContain('Back template has a problem:<br>Found “{{^M}}”, but there is no field called “M”');
    const html = card('{{F}}', '{{<script>}}', { F: 'f' }).answer;
    expect(html).toContain('{{&lt;script&gt;}}');
    expect(html).not.toContain('<script>');
  });
});
