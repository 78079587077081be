// @vitest-environment jsdom
// (jsdom: mermaid's parser needs a DOM to load.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalog, findMeta } from '../../../src/experiments/catalog';
import { parseMarkdownDeck } from './markdown/parse';
import { readMarkdownFolder } from './markdown/folder';
import { builtinExperimentIds, cardRenderer, firstExperimentIds, formulasOf, mathProblems, renderFormula, sourceLineOf, sramSlips } from '../../testing/deck-content';

/** Content checks on the built-in deck: what a candidate would otherwise memorise wrong. */

const deckDir = join(__dirname, '../../../resources/decks/kv-flash');
const seedText = readFileSync(join(__dirname, '../../../../shared/seeds/000_67e3304794e832ae.txt'), 'utf8');
const files = { ko: readFileSync(join(deckDir, 'ko.md'), 'utf8'), en: readFileSync(join(deckDir, 'en.md'), 'utf8') };
const deck = readMarkdownFolder(deckDir).decks[0];

describe('the built-in kv-flash deck', () => {
  it('has one name that reads the same in the Korean and the English UI', () => {
    // Deck names are identifiers (deck: search, export); a Korean one would show in the English UI.
    const title = (text: string) => /^title:\s*"?([^"\n]+)"?$/m.exec(text)?.[1];
    expect(title(files.ko)).toBe(title(files.en));
    expect(deck.meta.title).toBe(title(files.en));
    expect(deck.meta.title).not.toMatch(/[\uAC00-\uD7A3]/);
  });

  it('has at least 15 cards, each in Korean and English', () => {
    expect(deck.meta).toMatchObject({ key: 'kv-flash', language: 'ko', version: 2 });
    expect(deck.notes.length).toBeGreaterThanOrEqual(15);
    for (const note of deck.notes) {
      expect(note.language).toBe('ko');
      expect(note.front).toMatch(/[\uAC00-\uD7A3]/);
      const english = note.translations.en;
      expect(english, note.id).toBeDefined();
      expect(english.front).not.toMatch(/[\uAC00-\uD7A3]/);
      expect(english.back).not.toMatch(/[\uAC00-\uD7A3]/);
      expect(english.back.length).toBeGreaterThan(80);
      expect(english.context.length).toBeGreaterThan(80);
      expect(note.context.length).toBeGreaterThan(80);
    }
  });

  it('covers every idea of the seed note', () => {
    const ids = deck.notes.map((note) => note.id);
    for (const id of [
      'kv-cache-removes',
      'prefill-vs-decode',
      'kv-cache-memory-formula',
      'kv-cache-lives-in-hbm',
      'mha-gqa-mqa',
      'standard-attention-io-bound',
      'flash-tiling-sram',
      'online-softmax',
      'flash-memory-linear',
      'flash-io-not-flops',
      'flash-backward-recompute',
      'flash-exact',
      'flash-decoding',
      'when-each-helps',
      'kv-flash-synergy',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('asks the seed’s four interview questions word for word, each linked to an experiment', () => {
    const seedQuestions = parseMarkdownDeck(seedText).notes.map((note) => note.front);
    expect(seedQuestions).toHaveLength(4);
    for (const question of seedQuestions) {
      const note = deck.notes.find((candidate) => candidate.front === question);
      expect(note, question).toBeDefined();
      expect(note?.experiment).not.toBeNull();
    }
  });

  it('links every card to a known experiment, with params its schema accepts once the experiment exists', () => {
    for (const note of deck.notes) {
      expect(note.experiment, note.id).not.toBeNull();
      expect(builtinExperimentIds, note.id).toContain(note.experiment!.id);
      const meta = findMeta(note.experiment!.id);
      // Until the experiment is in the catalog nobody can say which params it takes: none are passed.
      if (!meta) expect(note.experiment!.params, note.id).toEqual({});
      else expect(meta.params.safeParse(note.experiment!.params).success, `${note.id}: ${JSON.stringify(note.experiment!.params)}`).toBe(true);
    }
    // Every experiment of the first release backs at least one card, and all of them are in the catalog.
    const linked = new Set(deck.notes.map((note) => note.experiment!.id));
    for (const id of firstExperimentIds) expect(linked, id).toContain(id);
    expect(catalog.map((meta) => meta.id)).toEqual(expect.arrayContaining([...firstExperimentIds]));
    // Two questions are proved where their claims are measured: the roofline, and the KV heads.
    const experimentOf = (id: string) => deck.notes.find((note) => note.id === id)!.experiment!.id;
    expect(experimentOf('prefill-vs-decode')).toBe('prefill-decode-batching');
    expect(experimentOf('mha-gqa-mqa')).toBe('gqa-mqa');
  });

  it('ends every answer with its source, in both languages', () => {
    for (const note of deck.notes) {
      expect(sourceLineOf(note.back), note.id).toMatch(/^출처: \S.*\((?:19|20)\d\d\)/);
      expect(sourceLineOf(note.translations.en.back), note.id).toMatch(/^Source: \S.*\((?:19|20)\d\d\)/);
    }
  });

  it('never says the KV-cache is stored in SRAM, in either language (the seed’s slip)', () => {
    // The check itself catches the seed's sentence...
    expect(sramSlips(seedText).join('\n')).toContain('GPU 메모리(SRAM)에 저장');
    expect(sramSlips('The KV-cache is stored in SRAM between steps.')).toHaveLength(1);
    // ...and finds nothing in the deck.
    expect(sramSlips(files.ko)).toEqual([]);
    expect(sramSlips(files.en)).toEqual([]);
    const location = deck.notes.find((note) => note.id === 'kv-cache-lives-in-hbm')!;
    expect(location.back).toMatch(/SRAM이 아니라 GPU 전역 메모리\(HBM/);
    expect(location.translations.en.back).toMatch(/lives in \*\*GPU global memory \(HBM\)\*\*, not in SRAM/);
    // The on-chip total counts every kind of SRAM, not only the shared memory: 108 SMs × (192 KB
    // shared/L1 + 256 KB registers) + 40 MB of L2 is still under 100 MB, against a 2 GiB cache.
    expect((108 * (192 + 256) * 1024 + 40 * 1024 ** 2) / 1e6).toBeLessThan(100);
    expect(location.translations.en.back).toMatch(/register files \(256 KB per SM\) and the 40 MB L2 cache its on-chip SRAM comes to less than 100 MB/);
    expect(location.back).toMatch(/레지스터 파일\(SM마다 256 KB\)과 40 MB L2 캐시까지 더해도 온칩 SRAM은 100 MB가 안 됩니다/);
  });

  it('states the facts interviewers check', () => {
    const byId = new Map(deck.notes.map((note) => [note.id, note]));
    const both = (id: string): string => {
      const note = byId.get(id)!;
      return `${note.back}\n${note.translations.en.back}`;
    };
    expect(both('kv-cache-memory-formula')).toContain('2 \\cdot L \\cdot h_{kv} \\cdot d_h \\cdot T \\cdot b');
    // 2 · 32 layers · 32 heads · 128 dims · 2 bytes = 524,288 bytes per token; 4,096 tokens = 2 GiB.
    expect(2 * 32 * 32 * 128 * 2).toBe(524_288);
    expect(524_288 * 4096).toBe(2 * 1024 ** 3);
    expect(both('kv-cache-memory-formula')).toContain('524{,}288');
    expect(byId.get('flash-memory-linear')!.translations.en.back).toMatch(/\$O\(N\^2\)\$ to \$O\(N\)\$/);
    expect(byId.get('flash-memory-linear')!.translations.en.back).toMatch(/still \*\*read\*\* from HBM and the output O is still \*\*written\*\*/);
    expect(byId.get('flash-io-not-flops')!.translations.en.back).toMatch(/^No\..*\*\*more FLOPs\*\*/s);
    expect(byId.get('flash-backward-recompute')!.translations.en.back).toContain('\\exp\\big(S_{ij} - \\mathrm{lse}_i\\big)');
    expect(byId.get('flash-exact')!.translations.en.back).toMatch(/^No\./);
    expect(byId.get('flash-decoding')!.translations.en.back).toMatch(/partial output \$O_c\$ and its logsumexp/);
  });

  it('renders every formula with KaTeX and the diagram with mermaid 12', async () => {
    let formulas = 0;
    for (const text of [files.ko, files.en]) {
      for (const formula of formulasOf(text)) {
        expect(() => renderFormula(formula), formula.tex).not.toThrow();
        formulas++;
      }
    }
    expect(formulas).toBeGreaterThan(60);

    const mermaid = (await import('mermaid')).default;
    mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    const withDiagram = deck.notes.filter((note) => note.back.includes('```mermaid'));
    expect(withDiagram.map((note) => note.id)).toEqual(['flash-faster-io']);
    for (const back of [withDiagram[0].back, withDiagram[0].translations.en.back]) {
      const source = /```mermaid\n([\s\S]*?)\n```/.exec(back)![1];
      await expect(mermaid.parse(source)).resolves.toMatchObject({ diagramType: 'flowchart-v2' });
    }
    // The check can fail: an unquoted label with parentheses is a mermaid parse error.
    await expect(mermaid.parse('graph TD\n  A[Compute P = softmax(S)] --> B\n')).rejects.toThrow(/Parse error/);
  });

  it('shows no formula error and no stray $ through the app’s own card renderer', async () => {
    const renderMarkdown = await cardRenderer();
    expect(mathProblems(renderMarkdown('a $\\frac{1}{$ b'))).not.toEqual([]);
    expect(mathProblems(renderMarkdown('costs $5 and $6'))).not.toEqual([]);

    const fields = new Set(deck.notes.flatMap((note) => [note.front, note.back, note.context, ...Object.values(note.translations).flatMap((t) => [t.front, t.back, t.context])]));
    let formulas = 0;
    for (const field of fields) {
      const html = renderMarkdown(field);
      expect(mathProblems(html), field.slice(0, 60)).toEqual([]);
      formulas += (html.match(/class="katex"/g) ?? []).length;
    }
    expect(formulas).toBeGreaterThan(60);
  });
});
