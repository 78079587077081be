import { describe, expect, it } from 'vitest';
import { ankiCardOrdinals, compileAnkiTemplate, parseAnkiTemplate, rendersWithFields, type TemplateNode } from './template';

const nodes = (template: string): TemplateNode[] => {
  const parsed = parseAnkiTemplate(template);
  if (!parsed.ok) throw new Error(`did not parse: ${JSON.stringify(parsed.error)}`);
  return parsed.nodes;
};

// Cases follow the tests in rslib/src/template.rs and notetype/cardgen.rs (ankitects/anki 25.09).
describe('parsing Anki templates', () => {
  it('reads replacements, filters right to left, conditionals and comments', () => {
    expect(nodes('foo {{bar}} {{#baz}} quux {{/baz}}')).toEqual([
      { kind: 'text', text: 'foo ' },
      { kind: 'replacement', key: 'bar', filters: [] },
      { kind: 'text', text: ' ' },
      { kind: 'conditional', key: 'baz', negated: false, children: [{ kind: 'text', text: ' quux ' }] },
    ]);
    expect(nodes('{{one:two:B}}')).toEqual([{ kind: 'replacement', key: 'B', filters: ['two', 'one'] }]);
    expect(nodes('{{ tag }}')).toEqual([{ kind: 'replacement', key: 'tag', filters: [] }]);
    expect(nodes('{{^baz}}{{/baz}}')).toEqual([{ kind: 'conditional', key: 'baz', negated: true, children: [] }]);
    expect(nodes('text }} more')).toEqual([{ kind: 'text', text: 'text }} more' }]);
    expect(nodes('<!--{{bar }} --> x')).toEqual([
      { kind: 'comment', text: '{{bar }} ' },
      { kind: 'text', text: ' x' },
    ]);
    expect(nodes('{{Front')).toEqual([{ kind: 'text', text: '{{Front' }]);
  });

  it('refuses conditionals that do not pair up, but not inside comments', () => {
    expect(parseAnkiTemplate('{{#mis}}{{/matched}}')).toEqual({ ok: false, error: { kind: 'conditional-not-open', closed: 'matched', open: 'mis' } });
    expect(parseAnkiTemplate('{{/matched}}')).toEqual({ ok: false, error: { kind: 'conditional-not-open', closed: 'matched', open: null } });
    expect(parseAnkiTemplate('{{#mis}}')).toEqual({ ok: false, error: { kind: 'conditional-not-closed', tag: 'mis' } });
    expect(parseAnkiTemplate('{{#mis}}<!--{{/matched}}-->').ok).toBe(false);
    expect(parseAnkiTemplate('<!--{{#mis}}{{/matched}}-->').ok).toBe(true);
    expect(parseAnkiTemplate('{{foo}}-->').ok).toBe(true);
  });

  it('switches to <% %> when the template starts with {{=<% %>=}}', () => {
    expect(nodes('\n{{=<% %>=}}\n<%Front%>\n<% #Back %>\n<%/Back%>')).toEqual([
      { kind: 'text', text: '\n' },
      { kind: 'replacement', key: 'Front', filters: [] },
      { kind: 'text', text: '\n' },
      { kind: 'conditional', key: 'Back', negated: false, children: [{ kind: 'text', text: '\n' }] },
    ]);
    expect(nodes('\n{{=<% %>=}}\n{{#foo}}\n<%Front%>\n{{/foo}}\n')).toEqual([
      { kind: 'text', text: '\n{{#foo}}\n' },
      { kind: 'replacement', key: 'Front', filters: [] },
      { kind: 'text', text: '\n{{/foo}}\n' },
    ]);
  });

  it('knows which non-empty fields make a front that is not blank', () => {
    const fields = new Set(['1', '3']);
    expect(rendersWithFields(nodes('{{2}}{{1}}'), fields)).toBe(true);
    expect(rendersWithFields(nodes('{{2}}'), fields)).toBe(false);
    expect(rendersWithFields(nodes('{{#3}}{{^2}}{{1}}{{/2}}{{/3}}'), fields)).toBe(true);
    expect(rendersWithFields(nodes('{{^1}}{{3}}{{/1}}'), fields)).toBe(false);
  });
});

describe('which cards a note has', () => {
  const templates = [
    compileAnkiTemplate({ name: 'Card 1', front: '{{Front}}', back: '' }),
    compileAnkiTemplate({ name: 'Card 2', front: '{{#Add Reverse}}{{Back}}{{/Add Reverse}}', back: '' }),
  ];
  it('follows the fields on a standard note type, and keeps at least card 0', () => {
    expect(ankiCardOrdinals(templates, { Front: 'a', Back: 'b', 'Add Reverse': '' }, { cloze: false })).toEqual([0]);
    expect(ankiCardOrdinals(templates, { Front: 'a', Back: 'b', 'Add Reverse': 'y' }, { cloze: false })).toEqual([0, 1]);
    expect(ankiCardOrdinals(templates, { Front: '', Back: 'b', 'Add Reverse': 'y' }, { cloze: false })).toEqual([1]);
    expect(ankiCardOrdinals(templates, { Front: '', Back: '', 'Add Reverse': '' }, { cloze: false })).toEqual([0]);
    // Special fields count as filled: a template of {{Deck}} alone always makes its card.
    expect(ankiCardOrdinals([compileAnkiTemplate({ name: 'D', front: '{{Deck}}', back: '' })], { Front: '' }, { cloze: false })).toEqual([0]);
    expect(ankiCardOrdinals([compileAnkiTemplate({ name: 'T', front: 'x', back: '' }), compileAnkiTemplate({ name: 'T2', front: '{{Tags}}', back: '' })], { F: '' }, { cloze: false, hasTags: true })).toEqual([1]);
  });
  it('follows the cloze numbers of every field on a cloze note type', () => {
    expect(ankiCardOrdinals([], { Text: '{{c3::a}} {{c1::b}}', Extra: '{{c5::c}}' }, { cloze: true })).toEqual([0, 2, 4]);
    expect(ankiCardOrdinals([], { Text: 'none' }, { cloze: true })).toEqual([0]);
    expect(ankiCardOrdinals([], { Text: '{{c900::far}}' }, { cloze: true })).toEqual([499]);
  });
});
