// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { compileAnkiTemplate, renderAnkiCard } from './anki-template';
import { sanitizeAnkiCardHtml, sanitizeHtml } from './sanitize';

function shown(front: string, back: string, fields: Record<string, string>, options: { ord?: number; cloze?: boolean; typed?: string } = {}) {
  const card = renderAnkiCard({ template: compileAnkiTemplate({ name: 'Card 1', front, back }), fields, ord: options.ord ?? 0, cloze: options.cloze ?? false, typed: options.typed });
  const parse = (html: string) => {
    const root = document.createElement('div');
    root.innerHTML = sanitizeAnkiCardHtml(html);
    return root;
  };
  return { question: parse(card.question), answer: parse(card.answer) };
}

describe('an Anki card through the card sanitizer', () => {
  it('keeps the type-answer box as a bare text field, and only that', () => {
    const { question } = shown('{{Front}} {{type:Back}}', '{{type:Back}}', { Front: 'der Hund', Back: 'the dog' });
    const input = question.querySelector('input');
    expect(input?.getAttribute('type')).toBe('text');
    expect(input?.getAttribute('aria-label')).toBe('Type the answer');
    const hostile = document.createElement('div');
    hostile.innerHTML = sanitizeAnkiCardHtml('<input type="file" name="x" value="secret" form="f" autofocus formaction="https://evil.example" onfocus="alert(1)" list="l"><input type="password">');
    const inputs = [...hostile.querySelectorAll('input')];
    expect(inputs.map((i) => i.getAttribute('type'))).toEqual(['text', 'text']);
    for (const name of ['name', 'value', 'form', 'autofocus', 'formaction', 'onfocus', 'list']) expect(inputs[0].hasAttribute(name)).toBe(false);
    // The Markdown card sanitizer still refuses inputs altogether.
    expect(sanitizeHtml('<input type="text">')).toBe('');
  });

  it('keeps the comparison of a typed answer, and what was typed stays text', () => {
    const { answer } = shown('{{type:Back}}', '{{type:Back}}', { Back: 'the dog' }, { typed: 'the <b>do</b>' });
    expect([...answer.querySelectorAll('code#typeans span')].map((span) => [span.className || span.id, span.textContent])).toEqual([
      ['typeGood', 'the '],
      ['typeBad', '<b>'],
      ['typeGood', 'do'],
      // "</b>" stands where "g" was expected: bad above, missed below.
      ['typeBad', '</b>'],
      ['typearrow', '↓'],
      ['typeGood', 'the '],
      ['typeGood', 'do'],
      ['typeMissed', 'g'],
    ]);
    expect(answer.querySelector('b')).toBeNull();
  });

  it('hides the cloze answer on the question: no data-cloze attribute survives', () => {
    const { question, answer } = shown('{{cloze:Text}}', '{{cloze:Text}}', { Text: 'The capital is {{c1::Paris::city}}.' }, { cloze: true });
    expect(question.textContent).toBe('The capital is [city].');
    expect(question.innerHTML).not.toContain('Paris');
    expect(question.querySelector('.cloze')).not.toBeNull();
    expect(answer.querySelector('span.cloze')?.textContent).toBe('Paris');
  });

  it('shows a hint as a native disclosure, without the script Anki uses', () => {
    const { question } = shown('{{Front}}{{hint:Notes}}', '', { Front: 'q', Notes: 'think <b>small</b>' });
    const details = question.querySelector('details.hint');
    expect(details?.querySelector('summary')?.textContent).toBe('Notes');
    expect(details?.querySelector('b')?.textContent).toBe('small');
    expect(question.querySelector('[onclick]')).toBeNull();
  });

  it('drops what a shared deck’s template may carry: script, style elements, handlers, remote images', () => {
    const template = '<script>window.canary = 1</script><style>.x{}</style><div onclick="steal()" style="color: red">{{Front}}</div><img src="https://tracker.example/p.gif"><img src="{{Image}}">';
    const { question } = shown(template, '', { Front: 'q', Image: 'paste-1.png' });
    expect(question.querySelector('script, style, [onclick]')).toBeNull();
    expect(question.querySelector('div')?.getAttribute('style')).toBe('color: red');
    expect([...question.querySelectorAll('img')].map((img) => img.getAttribute('src'))).toEqual([null, 'paste-1.png']);
  });

  it('plays [sound:] with a native control whose file the app resolves like an image', () => {
    const { question } = shown('{{Front}}', '', { Front: 'hear [sound:ko word 1.mp3]' });
    const audio = question.querySelector('audio');
    expect(audio?.getAttribute('src')).toBe('ko%20word%201.mp3');
    expect(audio?.hasAttribute('controls')).toBe(true);
    expect(question.textContent?.trim()).toBe('hear');
  });
});
