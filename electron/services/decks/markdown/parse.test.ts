import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/shared/errors';
import { deckKeyFromName, looksLikeMarkdownDeck, parseMarkdownDeck, type ParsedNote } from './parse';
import { exportMarkdownDeck, exportMarkdownFiles, noteIdFromGuid } from './export';

const seedPath = join(__dirname, '../../../../../shared/seeds/000_67e3304794e832ae.txt');
const seed = readFileSync(seedPath, 'utf8');
const builtinKo = readFileSync(join(__dirname, '../../../../resources/decks/kv-flash/ko.md'), 'utf8');

function expectAppError(run: () => unknown, code: string, pattern: RegExp): void {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(code);
    expect((error as AppError).message).toMatch(pattern);
    return;
  }
  throw new Error('expected an AppError');
}

describe('the seed note, read as it is', () => {
  const deck = parseMarkdownDeck(seed, { fileName: '000_67e3304794e832ae.txt' });

  it('gives exactly its four interview questions with their answers', () => {
    expect(deck.warnings).toEqual([]);
    expect(deck.notes.map((note) => note.front)).toEqual([
      'KV-Cache의 장점과 단점은 무엇인가요?',
      'Flash-Attention이 표준 어텐션보다 빠른 이유는 무엇인가요? 메모리 I/O 관점에서 설명해주세요.',
      'Flash-Attention은 근사(approximation) 기법인가요?',
      'KV-Cache와 Flash-Attention은 함께 사용될 수 있나요? 그렇다면 어떤 시너지 효과가 있나요?',
    ]);
    expect(deck.notes[0].back).toMatch(/^\*\*장점\*\*은 자기회귀적 추론 시 중복 계산을 제거/);
    expect(deck.notes[1].back).toContain('$N \\times N$ 크기의 거대한 어텐션 행렬');
    expect(deck.notes[2].back).toMatch(/^아닙니다\./);
    expect(deck.notes[3].back).toMatch(/LLM 서빙 효율을 극대화합니다\.$/);
    for (const note of deck.notes) expect(note.back).not.toContain('**A.**');
  });

  it('reads the front matter: title, tags, Korean', () => {
    expect(deck.meta.title).toBe('메모리·속도 최적화 (KV-Cache, Flash-Attention)');
    expect(deck.meta.tags).toEqual(['LLM', 'Transformer', 'Optimization', 'KV-Cache', 'Flash-Attention']);
    expect(deck.meta.language).toBe('ko');
    for (const note of deck.notes) {
      expect(note.tags).toEqual(deck.meta.tags);
      expect(note.language).toBe('ko');
      expect(note.experiment).toBeNull();
    }
  });

  it('keeps the note sections as context, with the math and the mermaid block verbatim', () => {
    const context = deck.notes[0].context;
    expect(context).toContain('## 1. 핵심 개념 (Core Concept)');
    expect(context).toContain('### 2.2 Flash-Attention: I/O를 최적화한 어텐션 알고리즘');
    expect(context).toContain('$O(L \\cdot d)$');
    expect(context).toContain('$O(N^2)$에서 $O(N)$으로');
    const mermaid = /```mermaid\n[\s\S]*?\n```/.exec(context)?.[0];
    const original = /```mermaid\n[\s\S]*?\n```/.exec(seed)?.[0];
    expect(mermaid).toBeDefined();
    expect(mermaid).toBe(original);
    // The questions are not repeated inside the context, and the empty question section is gone.
    expect(context).not.toContain('**Q.');
    expect(context).not.toContain('예상 면접 질문');
    expect(context).toContain('## 5. 더 읽어보기');
  });

  it('gives the same guids on every import, whatever the spacing, and different ones per question', () => {
    const again = parseMarkdownDeck(seed.replace(/\n/g, '\r\n').replace('**Q. KV-Cache의 장점과', '**Q.  KV-Cache의   장점과'));
    expect(again.notes.map((note) => note.guid)).toEqual(deck.notes.map((note) => note.guid));
    expect(new Set(deck.notes.map((note) => note.guid)).size).toBe(4);
    for (const note of deck.notes) expect(note.guid.startsWith(`${deck.meta.key}:q-`)).toBe(true);
  });
});

describe('seed-style bullets beyond the seed', () => {
  it('keeps multi-paragraph answers with indented math, lists and diagrams, in numbered lists too', () => {
    const deck = parseMarkdownDeck(
      [
        '## Questions',
        '',
        '1. **Q. Draw the flow?** {#flow}',
        '    - **A.** Like this:',
        '',
        '      $$',
        '      O(N^2)',
        '      $$',
        '',
        '      ```mermaid',
        '      graph TD',
        '        A["Q, K, V (HBM)"] --> B',
        '      ```',
        '',
        '      - a nested point',
        '2. **Q.** Second one?',
        '    - **A.** Short.',
        '',
        'Closing prose.',
      ].join('\n'),
    );
    expect(deck.notes.map((note) => note.guid)).toEqual([`${deck.meta.key}:flow`, expect.stringMatching(/:q-[0-9a-f]{16}$/)]);
    expect(deck.notes[0].back).toBe('Like this:\n\n$$\nO(N^2)\n$$\n\n```mermaid\ngraph TD\n  A["Q, K, V (HBM)"] --> B\n```\n\n- a nested point');
    expect(deck.notes[1]).toMatchObject({ front: 'Second one?', back: 'Short.' });
    expect(deck.notes[0].context).toBe('## Questions\n\nClosing prose.');
  });
});

describe('the clean DESIGN.md form', () => {
  const text = `---
title: Demo
deck: demo
version: 3
tags: [base]
language: en
---

Intro text before any section belongs to no card.

# Section one

Section one explains things with $O(N^2)$ math.

## Q. First question? {#first}
A. First answer.

\`\`\`prove kv-cache-speed
{"tokens": 256}
\`\`\`

## Q. Second question with a diagram {#second tags="extra deep::tag"}

A.
- a list answer
- with \`code\`

\`\`\`mermaid
graph TD
  A["x (y)"] --> B
\`\`\`

### Detail inside the answer

More answer.

# Section two

## Q. Third, without an id
A. Third answer.
`;
  const deck = parseMarkdownDeck(text);

  it('reads ids, answers, prove links, tags and the section context', () => {
    expect(deck.meta).toMatchObject({ title: 'Demo', key: 'demo', version: 3, language: 'en' });
    expect(deck.notes.map((note) => note.guid)).toEqual(['demo:first', 'demo:second', expect.stringMatching(/^demo:q-[0-9a-f]{16}$/)]);
    const [first, second, third] = deck.notes;
    expect(first).toMatchObject({ front: 'First question?', back: 'First answer.', experiment: { id: 'kv-cache-speed', params: { tokens: 256 } } });
    expect(first.context).toBe('# Section one\n\nSection one explains things with $O(N^2)$ math.');
    expect(second.tags).toEqual(['base', 'extra', 'deep::tag']);
    expect(second.back).toContain('- a list answer');
    expect(second.back).toContain('A["x (y)"] --> B');
    expect(second.back).toContain('### Detail inside the answer\n\nMore answer.');
    expect(second.experiment).toBeNull();
    expect(second.context).toBe(first.context);
    expect(third).toMatchObject({ front: 'Third, without an id', back: 'Third answer.', context: '' });
  });

  it('round-trips: parse(export(notes)) gives the same deck back', () => {
    const again = parseMarkdownDeck(exportMarkdownDeck(deck.meta, deck.notes));
    expect(again.notes).toEqual(deck.notes);
    expect(again.meta).toEqual(deck.meta);
  });
});

describe('export → parse round trip', () => {
  it('keeps the seed and the built-in deck exactly', () => {
    for (const source of [seed, builtinKo]) {
      const deck = parseMarkdownDeck(source);
      const exported = exportMarkdownDeck(deck.meta, deck.notes);
      const again = parseMarkdownDeck(exported);
      expect(again.notes).toEqual(deck.notes);
      expect(again.meta).toEqual(deck.meta);
      // Exported ids are explicit, so a renamed question keeps its guid after a round trip.
      expect(exported).toMatch(/\{#q-[0-9a-f]{16}\}|\{#kv-cache-removes\}/);
    }
  });

  it('keeps notes from elsewhere: Anki guids, multi-line fronts, answers that open with a block, mixed contexts', () => {
    const note = (guid: string, fields: Partial<ParsedNote>): ParsedNote => ({
      id: noteIdFromGuid('study', guid),
      guid,
      front: 'Q',
      back: 'A',
      context: '',
      tags: [],
      language: 'en',
      experiment: null,
      translations: {},
      ...fields,
    });
    const notes = [
      note('f9Jk#a/}{"x', { front: 'What does `{#x}` mean?', back: '```python\nprint(1)\n```', tags: ['anki::deck', 'leech'] }),
      note('study:plain', { front: 'Line one\n\nLine two of the question', back: '$$\nx^2\n$$', context: '# Shared\n\nShared context.' }),
      note('study:second', { back: '1. first\n2. second', context: '# Shared\n\nShared context.' }),
      note('study:empty-context', { back: 'after a section, no context' }),
      note('study:own-context', { context: 'Just a paragraph of context, no heading.', language: 'ko', experiment: { id: 'flash-exact', params: { n: 33 } } }),
      note('study:ends-with-hash', { front: 'Is C# a language? #' }),
    ];
    const exported = exportMarkdownDeck({ title: 'Study group', key: 'study', language: 'en' }, notes);
    const again = parseMarkdownDeck(exported);
    expect(again.warnings).toEqual([]);
    expect(again.notes).toEqual(notes);
  });
});

describe('telling a Markdown deck from other text, and naming decks that have no key', () => {
  it('recognises the seed (a .txt file) and clean decks, but not CSV', () => {
    expect(looksLikeMarkdownDeck(seed)).toBe(true);
    expect(looksLikeMarkdownDeck('## Q. what? {#w}\nA. this\n')).toBe(true);
    expect(looksLikeMarkdownDeck('- **Q. what?**\n  - **A.** this\n')).toBe(true);
    expect(looksLikeMarkdownDeck('front,back\nQ. what?,this\n')).toBe(false);
  });

  it('exports a Korean-named deck under a key that imports again with the same guids', () => {
    const key = deckKeyFromName('면접 노트 / 2주차');
    expect(key).toBe('면접-노트-2주차');
    const notes = parseMarkdownDeck(seed).notes.map((note) => ({ ...note, id: noteIdFromGuid(key, note.guid) }));
    const again = parseMarkdownDeck(exportMarkdownDeck({ title: '면접 노트 / 2주차', key }, notes));
    expect(again.meta.key).toBe(key);
    expect(again.notes).toEqual(notes);
  });

  it('exports one file per language', () => {
    const notes = [
      { id: 'a', guid: 'k:a', front: '질문', back: '답', context: '', tags: [], language: 'ko', experiment: null, translations: { en: { front: 'Question', back: 'Answer', context: '' } } },
    ];
    const files = exportMarkdownFiles({ title: 'T', key: 'k' }, notes);
    expect(files.map((file) => file.name)).toEqual(['ko.md', 'en.md']);
    expect(parseMarkdownDeck(files[1].text).meta).toMatchObject({ language: 'en', translationOf: 'ko' });
    expect(parseMarkdownDeck(files[1].text).notes[0]).toMatchObject({ id: 'a', front: 'Question', back: 'Answer' });
  });
});

describe('bad input gets a clear error', () => {
  it('front matter that is not YAML names the line', () => {
    expectAppError(() => parseMarkdownDeck('---\ntitle: [unclosed\ntags: x\n---\n## Q. a\nA. b\n', { fileName: 'bad.md' }), 'import-invalid', /^bad\.md:\d+: front matter is not valid YAML/);
  });

  it('front matter that is never closed, or not a mapping, or with a bad version', () => {
    expectAppError(() => parseMarkdownDeck('---\ntitle: x\n## Q. a\nA. b\n'), 'import-invalid', /never closed/);
    expectAppError(() => parseMarkdownDeck('---\n- a\n- b\n---\n## Q. a\nA. b\n'), 'import-invalid', /must be a mapping/);
    expectAppError(() => parseMarkdownDeck('---\nversion: two\n---\n## Q. a\nA. b\n'), 'import-invalid', /"version" must be a whole number/);
    expectAppError(() => parseMarkdownDeck('---\ndeck: "a b/../c"\n---\n## Q. a\nA. b\n'), 'import-invalid', /deck key/);
  });

  it('prove blocks with bad JSON or no experiment id', () => {
    expectAppError(() => parseMarkdownDeck('## Q. a {#a}\nA. b\n```prove kv-cache-speed\n{tokens: 1}\n```\n'), 'import-invalid', /line 4: the params of prove kv-cache-speed are not valid JSON/);
    expectAppError(() => parseMarkdownDeck('## Q. a {#a}\nA. b\n```prove kv-cache-speed\n[1]\n```\n'), 'import-invalid', /must be a JSON object/);
    expectAppError(() => parseMarkdownDeck('## Q. a {#a}\nA. b\n```prove\n{}\n```\n'), 'import-invalid', /needs an experiment id/);
  });

  it('the same id twice is refused; the same question twice is kept once with a warning', () => {
    expectAppError(() => parseMarkdownDeck('## Q. a {#x}\nA. b\n\n## Q. c {#x}\nA. d\n'), 'import-invalid', /line 4: id "x" is used twice \(first on line 1\)/);
    const deck = parseMarkdownDeck('## Q. same\nA. one\n\n## Q. same\nA. two\n');
    expect(deck.notes).toHaveLength(1);
    expect(deck.warnings[0].message).toMatch(/same question appears on line 1/);
  });

  it('a question without an answer is skipped with a warning', () => {
    const deck = parseMarkdownDeck('* **Q. lonely?**\n\n* **Q. answered?**\n    * **A.** yes\n');
    expect(deck.notes.map((note) => note.front)).toEqual(['answered?']);
    expect(deck.warnings[0]).toMatchObject({ line: 1, message: expect.stringMatching(/no "\*\*A\.\*\*" answer/) });
  });

  it('files over 10 MB and decks over 10,000 notes are refused', () => {
    expectAppError(() => parseMarkdownDeck('x'.repeat(10 * 1024 * 1024 + 1), { fileName: 'big.md' }), 'import-too-large', /big\.md is larger than 10 MB/);
    const many = Array.from({ length: 10_001 }, (_, index) => `## Q. q${index}\nA. a\n`).join('\n');
    expectAppError(() => parseMarkdownDeck(many), 'import-too-large', /10001 questions; the limit is 10000/);
  });
});
