import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../../src/shared/errors';
import { temporaryDir } from '../../../testing/fixtures';
import { readMarkdownFile, readMarkdownFolder, resolveInside, writeMarkdownFolder } from './folder';

const seedPath = join(__dirname, '../../../../../shared/seeds/000_67e3304794e832ae.txt');
const builtinDir = join(__dirname, '../../../../resources/decks/kv-flash');
const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((remove) => remove()));

function folder(): string {
  const { dir, remove } = temporaryDir('proofdeck-md-');
  cleanups.push(remove);
  return dir;
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return (error as AppError).code + ': ' + (error as AppError).message;
  }
  return 'no error';
}

describe('Markdown folders of notes', () => {
  it('reads a folder of notes in both shapes, sub-folders included, and merges translations by id', () => {
    const dir = folder();
    writeFileSync(join(dir, 'seed.txt'), readFileSync(seedPath));
    mkdirSync(join(dir, 'cards'));
    writeFileSync(join(dir, 'cards', 'ko.md'), '---\ntitle: 카드\ndeck: cards\nlanguage: ko\n---\n## Q. 질문? {#one}\nA. 답.\n\n## Q. 둘? {#two}\nA. 둘.\n');
    writeFileSync(join(dir, 'cards', 'en.md'), '---\ntitle: Cards\ndeck: cards\nlanguage: en\ntranslation_of: ko\n---\n## Q. Question? {#one}\nA. Answer.\n\n## Q. Orphan {#three}\nA. x\n');
    writeFileSync(join(dir, 'README'), 'not markdown, ignored');
    writeFileSync(join(dir, 'notes.md'), '# Just prose\n\nNo questions here.\n');

    const result = readMarkdownFolder(dir);
    expect(result.files).toEqual(['cards/en.md', 'cards/ko.md', 'notes.md', 'seed.txt']);
    expect(result.decks.map((deck) => [deck.meta.key, deck.notes.length])).toEqual([
      ['cards', 2],
      ['메모리-속도-최적화-kv-cache-flash-attention', 4],
    ]);
    const cards = result.decks[0];
    expect(cards.notes[0].translations).toEqual({ en: { front: 'Question?', back: 'Answer.', context: '' } });
    expect(cards.notes[1].translations).toEqual({});
    const messages = result.warnings.map((warning) => warning.message).join('\n');
    expect(messages).toMatch(/"Orphan" \(three\) has no ko original/);
    expect(messages).toMatch(/no questions found/);
  });

  it('writes a deck as <language>.md files that read back to the same notes, translations included', () => {
    const original = readMarkdownFolder(builtinDir).decks[0];
    const out = join(folder(), 'export');
    const written = writeMarkdownFolder(out, original.meta, original.notes);
    expect(written.map((path) => path.slice(out.length + 1))).toEqual(['ko.md', 'en.md']);
    const again = readMarkdownFolder(out).decks;
    expect(again).toHaveLength(1);
    expect(again[0].notes).toEqual(original.notes);
    expect(again[0].meta).toEqual(original.meta);
  });

  it('refuses links that leave the folder, .. and absolute paths', () => {
    const outside = folder();
    writeFileSync(join(outside, 'secret.md'), '## Q. stolen? {#s}\nA. yes\n');
    const dir = folder();
    writeFileSync(join(dir, 'ok.md'), '## Q. fine? {#f}\nA. yes\n');
    symlinkSync(join(outside, 'secret.md'), join(dir, 'link.md'));
    expect(codeOf(() => readMarkdownFolder(dir))).toMatch(/^import-invalid: "link\.md" is a link that points outside the folder/);

    expect(codeOf(() => resolveInside(dir, '../secret.md'))).toMatch(/^import-invalid: "\.\.\/secret\.md" is not a plain path/);
    expect(codeOf(() => resolveInside(dir, 'a/../../secret.md'))).toMatch(/not a plain path/);
    expect(codeOf(() => resolveInside(dir, join(outside, 'secret.md')))).toMatch(/not a plain path/);
    expect(resolveInside(dir, 'ok.md')).toBe(join(dir, 'ok.md'));
  });

  it('follows a link that stays inside the folder', () => {
    const dir = folder();
    mkdirSync(join(dir, 'real'));
    writeFileSync(join(dir, 'real', 'a.md'), '---\ndeck: a\n---\n## Q. inside? {#i}\nA. yes\n');
    symlinkSync(join(dir, 'real', 'a.md'), join(dir, 'alias.md'));
    const result = readMarkdownFolder(dir);
    expect(result.files).toEqual(['alias.md', 'real/a.md']);
    // Both paths are the same file: the note is kept once.
    expect(result.decks[0].notes.map((note) => note.guid)).toEqual(['a:i']);
  });

  it('refuses invalid UTF-8 and a file without questions, naming the file', () => {
    const dir = folder();
    writeFileSync(join(dir, 'latin1.md'), Buffer.from([0x23, 0x23, 0x20, 0x51, 0x2e, 0x20, 0xe9, 0x0a]));
    expect(codeOf(() => readMarkdownFile(join(dir, 'latin1.md')))).toBe('import-invalid: latin1.md is not valid UTF-8 text');
    expect(codeOf(() => readMarkdownFolder(dir))).toMatch(/latin1\.md is not valid UTF-8/);
    writeFileSync(join(dir, 'empty.md'), '# nothing\n');
    expect(codeOf(() => readMarkdownFile(join(dir, 'empty.md')))).toMatch(/^import-invalid: empty\.md holds no questions/);
  });

  it('refuses to write through a link', () => {
    const dir = folder();
    const target = join(folder(), 'victim.md');
    writeFileSync(target, 'keep me');
    symlinkSync(target, join(dir, 'en.md'));
    const notes = readMarkdownFolder(builtinDir).decks[0].notes.slice(0, 1);
    expect(codeOf(() => writeMarkdownFolder(dir, { title: 'x', key: 'x', language: 'en' }, notes.map((note) => ({ ...note, language: 'en', translations: {} }))))).toMatch(
      /^forbidden: .*en\.md is a link/,
    );
    expect(readFileSync(target, 'utf8')).toBe('keep me');
  });
});
